package org.invokej.http.content;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.content.Image;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageFiles;
import org.invokej.core.content.ImageOrigin;
import org.invokej.core.content.ImageRepository;
import org.invokej.core.content.ImageService;
import org.invokej.http.Json;
import org.invokej.http.MultipartForm;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.http.auth.RouteAccess;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/images}: upload, list, read (DTOs, files, metadata), change, star and delete images. */
public final class ImagesRoutes implements HttpService {

    private final Json json;
    private final ImageService images;
    private final boolean multiuser;
    private final long maxUploadBytes;

    /**
     * @param multiuser      whether files are sent {@code private, no-store} (each user's own) rather than cached for a year
     * @param maxUploadBytes the largest multipart upload body
     */
    public ImagesRoutes(Json json, ImageService images, boolean multiuser, long maxUploadBytes) {
        this.json = json;
        this.images = images;
        this.multiuser = multiuser;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** Image files take the media cookie too, so that {@code <img src>} works; everything else a user. */
    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.MEDIA_OR_DEFAULT, "/api/v1/images/i/*/full")
                .route(Requirement.MEDIA_OR_DEFAULT, "/api/v1/images/i/*/thumbnail")
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/images/**")
                // Queue-only API keys fetch what they generated.
                .keys(ApiKeyScope.QUEUE, "/api/v1/images/i/**", Method.GET);
    }

    /** Request bodies. */
    record Names(List<String> imageNames) {
        Names {
            if (imageNames == null) {
                throw DomainException.unprocessable("Field required: image_names");
            }
        }
    }

    record Changes(String imageCategory, String sessionId, Boolean isIntermediate, Boolean starred) {
        ImageService.Changes toChanges() {
            return new ImageService.Changes(imageCategory == null ? null : ImageCategory.of(imageCategory), sessionId,
                    isIntermediate, starred);
        }
    }

    /** Response bodies. */
    record Page(int limit, int offset, long total, List<ImageDto> items) {
    }

    record NamesResult(List<String> imageNames, long starredCount, int totalCount) {
    }

    record DeleteResult(Set<String> affectedBoards, List<String> deletedImages, List<String> failedImages) {
        static DeleteResult of(ImageService.Deleted deleted) {
            return new DeleteResult(deleted.affectedBoards(), deleted.deletedImages(), List.of());
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", (req, res) -> json.send(res, Status.NOT_IMPLEMENTED_501, Map.of("detail", "Not implemented")))
                .get("/names", this::names)
                .post("/images_by_names", (req, res) -> json.send(res,
                        images.byNames(actor(req), json.read(req, Names.class).imageNames()).stream().map(ImageDto::of).toList()))
                .post("/upload", this::upload)
                .post("/delete", (req, res) -> json.send(res,
                        DeleteResult.of(images.deleteMany(actor(req), json.read(req, Names.class).imageNames()))))
                .delete("/uncategorized", (req, res) -> json.send(res, DeleteResult.of(images.deleteUncategorized(actor(req)))))
                .get("/intermediates", (req, res) -> json.send(res, images.countIntermediates(actor(req))))
                .delete("/intermediates", (req, res) -> json.send(res, images.clearIntermediates(actor(req))))
                .post("/star", (req, res) -> star(req, res, true))
                .post("/unstar", (req, res) -> star(req, res, false))
                .get("/i/{image_name}", (req, res) -> json.send(res, ImageDto.of(images.get(actor(req), name(req)))))
                .patch("/i/{image_name}", (req, res) -> json.send(res, ImageDto.of(
                        images.update(actor(req), name(req), json.read(req, Changes.class).toChanges()))))
                .delete("/i/{image_name}", (req, res) -> json.send(res, DeleteResult.of(images.delete(actor(req), name(req)))))
                .get("/i/{image_name}/full", (req, res) -> file(req, res, images.full(actor(req), name(req)), true))
                .route(Method.HEAD, "/i/{image_name}/full", (req, res) -> file(req, res, images.full(actor(req), name(req)), true))
                .get("/i/{image_name}/thumbnail", (req, res) -> file(req, res, images.thumbnail(actor(req), name(req)), false))
                .get("/i/{image_name}/metadata", this::metadata)
                .get("/i/{image_name}/workflow", (req, res) -> {
                    ImageService.EmbeddedWorkflow embedded = images.workflow(actor(req), name(req));
                    Map<String, String> body = new LinkedHashMap<>();
                    body.put("workflow", embedded.workflow());
                    body.put("graph", embedded.graph());
                    json.send(res, body);
                })
                .get("/i/{image_name}/urls", (req, res) -> {
                    Image image = images.get(actor(req), name(req));
                    json.send(res, ImageDto.Urls.of(image.imageName()));
                });
    }

    private void list(ServerRequest req, ServerResponse res) {
        int offset = QueryParams.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
        // Not clamped, as in InvokeAI: a negative limit means all.
        int limit = QueryParams.integer(req, "limit", 10, Integer.MIN_VALUE, Integer.MAX_VALUE);
        ImageRepository.Page page = images.list(actor(req), filter(req), offset, limit);
        json.send(res, new Page(limit, offset, page.total(), page.items().stream().map(ImageDto::of).toList()));
    }

    private void names(ServerRequest req, ServerResponse res) {
        ImageService.Names names = images.names(actor(req), filter(req));
        json.send(res, new NamesResult(names.imageNames(), names.starredCount(), names.imageNames().size()));
    }

    private static ImageService.Filter filter(ServerRequest req) {
        return filter(req, null);
    }

    /** The listing filters of InvokeAI's image and gallery routes, for images made on {@code createdDate} when given. */
    static ImageService.Filter filter(ServerRequest req, java.time.LocalDate createdDate) {
        Set<ImageCategory> categories = EnumSet.noneOf(ImageCategory.class);
        QueryParams.all(req, "categories").forEach(category -> categories.add(ImageCategory.of(category)));
        return new ImageService.Filter(
                QueryParams.text(req, "image_origin").map(ImageOrigin::of).orElse(null),
                categories,
                QueryParams.bool(req, "is_intermediate").orElse(null),
                QueryParams.text(req, "board_id").orElse(null),
                QueryParams.choice(req, "order_dir", "DESC", List.of("ASC", "DESC")).equals("ASC"),
                QueryParams.bool(req, "starred_first").orElse(true),
                QueryParams.text(req, "search_term").orElse(null),
                createdDate);
    }

    private void upload(ServerRequest req, ServerResponse res) {
        ImageCategory category = ImageCategory.of(QueryParams.text(req, "image_category")
                .orElseThrow(() -> DomainException.unprocessable("Query parameter 'image_category' is required")));
        boolean intermediate = QueryParams.bool(req, "is_intermediate")
                .orElseThrow(() -> DomainException.unprocessable("Query parameter 'is_intermediate' is required"));
        MultipartForm form = MultipartForm.read(req, maxUploadBytes);
        MultipartForm.Part file = form.part("file").orElseThrow(() -> DomainException.unprocessable("Field required: file"));
        if (file.contentType() == null || !file.contentType().startsWith("image")) {
            throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "Not an image");
        }
        if (form.part("resize_to").isPresent()) {
            throw DomainException.invalid("resize_to is not supported by this server");
        }
        Image image = images.upload(actor(req), new ImageService.Upload(file.bytes(), category, intermediate,
                QueryParams.text(req, "board_id").orElse(null), QueryParams.text(req, "session_id").orElse(null),
                form.part("metadata").map(MultipartForm.Part::text).orElse(null)));
        ImageDto dto = ImageDto.of(image);
        res.header(HeaderNames.LOCATION, dto.imageUrl());
        json.send(res, Status.CREATED_201, dto);
    }

    private void metadata(ServerRequest req, ServerResponse res) {
        byte[] body = images.metadata(actor(req), name(req)).map(text -> text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .orElse("null".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }

    private void star(ServerRequest req, ServerResponse res, boolean starred) {
        ImageService.Starred result = images.star(actor(req), json.read(req, Names.class).imageNames(), starred);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("affected_boards", result.affectedBoards());
        body.put(starred ? "starred_images" : "unstarred_images", result.images());
        json.send(res, body);
    }

    /** Sends an image file; in multi-user mode never cached by shared caches or kept by the browser. */
    private void file(ServerRequest req, ServerResponse res, ImageFiles.StoredFile file, boolean attachmentName) {
        try {
            long size = Files.size(file.path());
            res.header(HeaderNames.CONTENT_TYPE, file.contentType());
            res.header(HeaderNames.CACHE_CONTROL, multiuser ? "private, no-store" : "max-age=31536000");
            if (attachmentName) {
                res.header(HeaderNames.CONTENT_DISPOSITION, "inline; filename=\"" + file.path().getFileName() + "\"");
            }
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(size));
            if (req.prologue().method() == Method.HEAD) {
                res.send();
                return;
            }
            try (OutputStream out = res.outputStream()) {
                Files.copy(file.path(), out);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw DomainException.notFound("Image not found");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Actor actor(ServerRequest req) {
        return Caller.actor(req);
    }

    private static String name(ServerRequest req) {
        return req.path().pathParameters().get("image_name");
    }
}
