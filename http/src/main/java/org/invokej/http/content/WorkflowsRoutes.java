package org.invokej.http.content;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;
import org.invokej.core.content.Workflow;
import org.invokej.core.content.WorkflowDocument;
import org.invokej.core.content.WorkflowRepository;
import org.invokej.core.content.WorkflowService;
import org.invokej.core.content.WorkflowThumbnails;
import org.invokej.http.MultipartForm;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** {@code /api/v1/workflows}: the workflow library and its thumbnails. Call-compatibility checks are not kept. */
public final class WorkflowsRoutes implements HttpService {

    private final Json json;
    private final WorkflowService workflows;
    private final WorkflowThumbnails thumbnails;
    private final long maxUploadBytes;

    public WorkflowsRoutes(Json json, WorkflowService workflows, WorkflowThumbnails thumbnails, long maxUploadBytes) {
        this.json = json;
        this.workflows = workflows;
        this.thumbnails = thumbnails;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** A thumbnail takes the media cookie too, for {@code <img src>}. */
    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.MEDIA_OR_DEFAULT, "/api/v1/workflows/i/*/thumbnail", Method.GET)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/workflows/**");
    }

    /** {@code {"workflow": {...}}}, validated as the library stores it (422 for bad documents). */
    record Body(JsonNode workflow) {
        WorkflowDocument document() {
            if (workflow == null || workflow.isNull()) {
                throw DomainException.unprocessable("Field required: workflow");
            }
            return WorkflowDocument.of(workflow);
        }
    }

    record Publish(Boolean isPublic) {
        Publish {
            if (isPublic == null) {
                throw DomainException.unprocessable("Field required: is_public");
            }
        }
    }

    record Page(int page, int pages, int perPage, long total, List<WorkflowDtos.ListItem> items) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", (req, res) -> send(res, workflows.create(Caller.actor(req), json.read(req, Body.class).document())))
                .get("/tags", (req, res) -> json.send(res, workflows.tags(Caller.actor(req), filter(req, false))))
                .get("/counts_by_tag", (req, res) -> {
                    List<String> tags = QueryParams.all(req, "tags");
                    if (tags.isEmpty()) {
                        throw DomainException.unprocessable("Query parameter 'tags' is required");
                    }
                    json.send(res, workflows.countsByTag(Caller.actor(req), tags, filter(req, false)));
                })
                .get("/counts_by_category", (req, res) -> {
                    WorkflowService.Filter filter = filter(req, false);
                    if (filter.categories().isEmpty()) {
                        throw DomainException.unprocessable("Query parameter 'categories' is required");
                    }
                    json.send(res, workflows.countsByCategory(Caller.actor(req), filter));
                })
                .get("/i/{workflow_id}", (req, res) -> send(res, workflows.get(Caller.actor(req), id(req))))
                // As InvokeAI: the document's own id says which workflow changes, not the path.
                .patch("/i/{workflow_id}", (req, res) -> send(res, workflows.update(Caller.actor(req), json.read(req, Body.class).document())))
                .delete("/i/{workflow_id}", (req, res) -> {
                    workflows.delete(Caller.actor(req), id(req));
                    json.send(res, null);
                })
                .patch("/i/{workflow_id}/is_public", (req, res) -> send(res,
                        workflows.setPublic(Caller.actor(req), id(req), json.read(req, Publish.class).isPublic())))
                .get("/i/{workflow_id}/thumbnail", this::thumbnail)
                .put("/i/{workflow_id}/thumbnail", (req, res) -> {
                    MultipartForm.Part image = MultipartForm.read(req, maxUploadBytes).part("image")
                            .orElseThrow(() -> DomainException.unprocessable("Field required: image"));
                    if (image.contentType() == null || !image.contentType().startsWith("image")) {
                        throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "Not an image");
                    }
                    thumbnails.set(Caller.actor(req), id(req), image.bytes());
                    send(res, workflows.get(Caller.actor(req), id(req)));
                })
                .delete("/i/{workflow_id}/thumbnail", (req, res) -> {
                    thumbnails.delete(Caller.actor(req), id(req));
                    json.send(res, null);
                })
                .put("/i/{workflow_id}/opened_at", (req, res) -> {
                    workflows.opened(Caller.actor(req), id(req));
                    json.send(res, null);
                });
    }

    private void list(ServerRequest req, ServerResponse res) {
        WorkflowRepository.Order order = WorkflowRepository.Order.valueOf(QueryParams.choice(req, "order_by", "name",
                List.of("name", "created_at", "updated_at", "opened_at", "is_public")).toUpperCase(Locale.ROOT));
        boolean ascending = QueryParams.choice(req, "direction", "ASC", List.of("ASC", "DESC")).equals("ASC");
        int page = QueryParams.integer(req, "page", 0, 0, Integer.MAX_VALUE);
        Integer perPage = QueryParams.text(req, "per_page").isPresent()
                ? QueryParams.integer(req, "per_page", 0, 1, 10_000) : null;
        WorkflowService.Page found = workflows.list(Caller.actor(req), filter(req, true), order, ascending, page, perPage);
        json.send(res, new Page(found.page(), found.pages(), found.perPage(), found.total(),
                found.items().stream().map(item -> WorkflowDtos.ListItem.of(item, thumbnailUrl(item))).toList()));
    }

    private static WorkflowService.Filter filter(ServerRequest req, boolean listing) {
        List<String> categories = QueryParams.all(req, "categories");
        for (String category : categories) {
            if (!List.of(Workflow.USER_CATEGORY, Workflow.DEFAULT_CATEGORY).contains(category)) {
                throw DomainException.unprocessable("Query parameter 'categories' must be user or default");
            }
        }
        return new WorkflowService.Filter(new LinkedHashSet<>(categories),
                listing ? QueryParams.all(req, "tags") : List.of(),
                listing ? QueryParams.text(req, "query").orElse(null) : null,
                QueryParams.bool(req, "has_been_opened").orElse(null),
                QueryParams.bool(req, "is_public").orElse(null));
    }

    private void send(ServerResponse res, Workflow workflow) {
        json.send(res, WorkflowDtos.Record.of(workflow, json.mapper(), thumbnailUrl(workflow)));
    }

    private String thumbnailUrl(Workflow workflow) {
        return thumbnails.has(workflow.workflowId()) ? "api/v1/workflows/i/" + workflow.workflowId() + "/thumbnail" : null;
    }

    private void thumbnail(ServerRequest req, ServerResponse res) {
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(thumbnails.get(Caller.actor(req), id(req)));
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "image/png");
            res.send(bytes);
        } catch (java.nio.file.NoSuchFileException e) {
            throw DomainException.notFound("Workflow thumbnail not found");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("workflow_id");
    }
}
