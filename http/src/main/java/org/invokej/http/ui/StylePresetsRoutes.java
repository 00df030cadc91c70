package org.invokej.http.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.invokej.core.DomainException;
import org.invokej.core.prompts.StylePreset;
import org.invokej.core.prompts.StylePresetService;
import org.invokej.http.Json;
import org.invokej.http.MultipartForm;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/style_presets}: style presets (prompt templates) with a preview image, and the CSV/JSON
 * import and CSV export of InvokeAI 6.14. Who may do what is {@code ContentAccess}'s.
 */
public final class StylePresetsRoutes implements HttpService {

    private static final String CSV_INVALID = "Invalid CSV format: must include columns 'name', 'prompt', and "
            + "'negative_prompt' and name cannot be blank";
    private static final String JSON_INVALID = "Invalid JSON format: must be a list of objects with keys 'name', "
            + "'prompt', and 'negative_prompt' and name cannot be blank";

    private final Json json;
    private final StylePresetService presets;
    private final long maxUploadBytes;

    public StylePresetsRoutes(Json json, StylePresetService presets, long maxUploadBytes) {
        this.json = json;
        this.presets = presets;
        this.maxUploadBytes = maxUploadBytes;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/style_presets/export")
                .route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/style_presets/import")
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/style_presets/**");
    }

    /** InvokeAI's {@code StylePresetRecordWithImage}, fields in its order. */
    record Dto(String name, PresetData presetData, String type, boolean isPublic, String id, String userId, String image) {
        static Dto of(StylePresetService.WithImage found) {
            StylePreset preset = found.preset();
            return new Dto(preset.name(), new PresetData(preset.positivePrompt(), preset.negativePrompt()), preset.type(),
                    preset.isPublic(), preset.id(), preset.ownerId(),
                    found.hasImage() ? "api/v1/style_presets/i/" + preset.id() + "/image" : null);
        }
    }

    record PresetData(String positivePrompt, String negativePrompt) {
    }

    /** The {@code data} form field: InvokeAI's {@code StylePresetFormData}. */
    record FormData(String name, String positivePrompt, String negativePrompt, String type, Boolean isPublic) {
        StylePreset.Draft draft() {
            return new StylePreset.Draft(name, positivePrompt, negativePrompt, type, Boolean.TRUE.equals(isPublic));
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> json.send(res, presets.list(Caller.actor(req)).stream().map(Dto::of).toList()))
                .post("/", (req, res) -> {
                    Upload upload = upload(req);
                    json.send(res, Dto.of(presets.create(Caller.actor(req), upload.draft(), upload.image())));
                })
                .get("/export", this::export)
                .post("/import", this::importFile)
                .get("/i/{id}", (req, res) -> json.send(res, Dto.of(presets.get(Caller.actor(req), id(req)))))
                .patch("/i/{id}", (req, res) -> {
                    Upload upload = upload(req);
                    json.send(res, Dto.of(presets.update(Caller.actor(req), id(req), upload.draft(), upload.image())));
                })
                .delete("/i/{id}", (req, res) -> {
                    presets.delete(Caller.actor(req), id(req));
                    json.send(res, null);
                })
                .get("/i/{id}/image", this::image);
    }

    private record Upload(StylePreset.Draft draft, byte[] image) {
    }

    /** The multipart form of create and update: {@code data} (JSON) and an optional {@code image}. */
    private Upload upload(ServerRequest req) {
        MultipartForm form = MultipartForm.read(req, maxUploadBytes);
        String data = form.part("data").map(MultipartForm.Part::text)
                .orElseThrow(() -> DomainException.unprocessable("Field required: data"));
        StylePreset.Draft draft;
        try {
            draft = json.mapper().readerFor(FormData.class).<FormData>readValue(data).draft();
        } catch (JsonProcessingException | DomainException | IllegalArgumentException e) {
            throw DomainException.invalid("Invalid preset data");
        }
        byte[] image = null;
        if (form.part("image").isPresent()) {
            MultipartForm.Part part = form.part("image").get();
            if (part.contentType() == null || !part.contentType().startsWith("image")) {
                throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "Not an image");
            }
            image = part.bytes();
        }
        return new Upload(draft, image);
    }

    private void image(ServerRequest req, ServerResponse res) {
        try {
            byte[] bytes = Files.readAllBytes(presets.image(Caller.actor(req), id(req)));
            res.header(HeaderNames.CONTENT_TYPE, "image/png");
            res.header(HeaderNames.CONTENT_DISPOSITION, "inline; filename=\"" + id(req) + ".png\"");
            res.send(bytes);
        } catch (java.nio.file.NoSuchFileException e) {
            throw DomainException.notFound("Style preset image not found");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every user preset as InvokeAI's CSV: {@code name,prompt,negative_prompt}. */
    private void export(ServerRequest req, ServerResponse res) {
        List<StylePreset> all = presets.exportAll(Caller.actor(req));
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            printer.printRecord("name", "prompt", "negative_prompt");
            for (StylePreset preset : all) {
                printer.printRecord(preset.name(), preset.positivePrompt(), preset.negativePrompt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=prompt_templates.csv");
        res.send(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code file} part of type {@code text/csv} or {@code application/json}; all its presets or none. */
    private void importFile(ServerRequest req, ServerResponse res) {
        MultipartForm form = MultipartForm.read(req, maxUploadBytes);
        MultipartForm.Part file = form.part("file").orElseThrow(() -> DomainException.unprocessable("Field required: file"));
        String type = file.contentType() == null ? "" : file.contentType().split(";")[0].strip();
        List<StylePreset.Imported> rows = switch (type) {
            case "text/csv" -> fromCsv(file.text());
            case "application/json" -> fromJson(file.bytes());
            default -> throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA,
                    "Unsupported file type: import a CSV (text/csv) or JSON (application/json) file");
        };
        presets.importAll(Caller.actor(req), rows);
        json.send(res, null);
    }

    private static List<StylePreset.Imported> fromCsv(String text) {
        List<StylePreset.Imported> rows = new ArrayList<>();
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text.startsWith("\uFEFF") ? text.substring(1) : text))) {
            Set<String> columns = parser.getHeaderMap().keySet();
            String positive = columns.contains("prompt") ? "prompt" : "positive_prompt";
            // InvokeAI refuses columns it does not know.
            for (String column : columns) {
                if (!List.of("name", "prompt", "positive_prompt", "negative_prompt").contains(column)) {
                    throw DomainException.invalid(CSV_INVALID);
                }
            }
            for (CSVRecord record : parser) {
                rows.add(row(record.isMapped("name") ? record.get("name") : null,
                        record.isMapped(positive) ? record.get(positive) : "",
                        record.isMapped("negative_prompt") ? record.get("negative_prompt") : "", CSV_INVALID));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw DomainException.invalid(CSV_INVALID);
        }
        return rows;
    }

    private List<StylePreset.Imported> fromJson(byte[] bytes) {
        JsonNode list;
        try {
            list = json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw DomainException.invalid(JSON_INVALID);
        }
        if (list == null || !list.isArray()) {
            throw DomainException.invalid(JSON_INVALID);
        }
        List<StylePreset.Imported> rows = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isObject()) {
                throw DomainException.invalid(JSON_INVALID);
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = item.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!List.of("name", "prompt", "positive_prompt", "negative_prompt").contains(field.getKey())
                        || !field.getValue().isTextual()) {
                    throw DomainException.invalid(JSON_INVALID);
                }
            }
            JsonNode positive = item.has("positive_prompt") ? item.get("positive_prompt") : item.get("prompt");
            rows.add(row(item.path("name").textValue(), positive == null ? "" : positive.textValue(),
                    item.path("negative_prompt").asText(""), JSON_INVALID));
        }
        return rows;
    }

    /** One imported preset, whitespace stripped as InvokeAI does; a blank name refuses the whole file. */
    private static StylePreset.Imported row(String name, String positive, String negative, String invalid) {
        if (name == null || name.isBlank()) {
            throw DomainException.invalid(invalid);
        }
        return new StylePreset.Imported(name.strip(), positive.strip(), negative.strip());
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }
}
