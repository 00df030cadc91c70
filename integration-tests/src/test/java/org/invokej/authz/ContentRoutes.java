package org.invokej.authz;

import org.invokej.testing.TestImages;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.invokej.authz.Who.ADMIN;
import static org.invokej.authz.Who.OTHER;
import static org.invokej.authz.Who.OWNER;

/**
 * The matrix rows of {@code /api/v1/boards}, {@code /api/v1/board_images}, {@code /api/v1/images},
 * {@code /api/v1/workflows} and the content transfers. The owner's things sit on a private, a shared and
 * a public board, so that OTHER is tried against each visibility. Memoised images all sit on boards: the
 * uncategorized-delete row would otherwise take them away from later rows.
 */
final class ContentRoutes {

    private static final String GENERAL = "image_category=general&is_intermediate=false";

    private ContentRoutes() {
    }

    private static String board(MatrixWorld w, String visibility) {
        return w.memo("board." + visibility, () -> freshBoard(w, visibility));
    }

    private static String freshBoard(MatrixWorld w, String visibility) {
        String id = TestImages.board(w.owner.client(), visibility + " board");
        if (!visibility.equals("private")) {
            TestImages.visibility(w.owner.client(), id, visibility);
        }
        return id;
    }

    private static String image(MatrixWorld w, String visibility) {
        return w.memo("image." + visibility, () -> TestImages.uploadPng(w.owner.client(), board(w, visibility)));
    }

    /** A new image of the owner's on the board of that visibility (for rows that move or delete it). */
    private static String freshImage(MatrixWorld w, String visibility) {
        return TestImages.uploadPng(w.owner.client(), board(w, visibility));
    }

    private static String looseImage(MatrixWorld w) {
        return TestImages.uploadPng(w.owner.client(), null);
    }

    private static String workflow(MatrixWorld w, boolean shared) {
        return w.memo("workflow." + shared, () -> freshWorkflow(w, shared));
    }

    private static String freshWorkflow(MatrixWorld w, boolean shared) {
        String id = w.owner.client().post("/api/v1/workflows/", Map.of("workflow", document(null))).json().path("workflow_id").asText();
        if (shared) {
            w.owner.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", true));
        }
        return id;
    }

    private static Map<String, Object> document(String id) {
        Map<String, Object> doc = new java.util.LinkedHashMap<>(Map.of("name", "wf", "author", "", "description", "",
                "version", "1.0.0", "contact", "", "tags", "", "notes", "", "exposedFields", List.of(),
                "meta", Map.of("version", "3.0.0", "category", "user"), "nodes", List.of()));
        doc.put("edges", List.of());
        if (id != null) {
            doc.put("id", id);
        }
        return doc;
    }

    private static RouteCase image(String method, String suffix, String visibility) {
        return RouteCase.of(method, "/api/v1/images/i/{" + visibility + " image}" + suffix,
                w -> "/api/v1/images/i/" + image(w, visibility) + suffix);
    }

    private static Function<MatrixWorld, TestImages.Form> png() {
        return w -> TestImages.form(TestImages.png(8, 8), "image/png", Map.of());
    }

    static List<RouteCase> cases() {
        return List.of(
                // Boards
                RouteCase.of("POST", "/api/v1/boards/?board_name=m").expect(201, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/boards/?all=true").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/boards/?offset=0&limit=5").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/boards/{private}", w -> "/api/v1/boards/" + board(w, "private"))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/boards/{shared}", w -> "/api/v1/boards/" + board(w, "shared"))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/boards/{public}", w -> "/api/v1/boards/" + board(w, "public"))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PATCH", "/api/v1/boards/{shared}", w -> "/api/v1/boards/" + board(w, "shared"))
                        .body(w -> Map.of("archived", false)).expect(201, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PATCH", "/api/v1/boards/{public}", w -> "/api/v1/boards/" + board(w, "public"))
                        .body(w -> Map.of("archived", false)).expect(201, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/boards/{fresh public}", w -> "/api/v1/boards/" + freshBoard(w, "public"))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/boards/{private}/image_names", w -> "/api/v1/boards/" + board(w, "private") + "/image_names")
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/boards/{shared}/image_names", w -> "/api/v1/boards/" + board(w, "shared") + "/image_names")
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/boards/none/image_names").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/boards/{fresh}/transfer", w -> "/api/v1/boards/" + freshBoard(w, "private") + "/transfer")
                        .body(w -> Map.of("to_user_id", w.other.userId())).expect(200, ADMIN).expect(403, OWNER, OTHER),

                // Board membership
                RouteCase.of("POST", "/api/v1/board_images/ (private board)", w -> "/api/v1/board_images/")
                        .body(w -> Map.of("board_id", board(w, "private"), "image_name", looseImage(w)))
                        .expect(201, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("POST", "/api/v1/board_images/ (public board, owner's image)", w -> "/api/v1/board_images/")
                        .body(w -> Map.of("board_id", board(w, "public"), "image_name", looseImage(w)))
                        .expect(201, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("POST", "/api/v1/board_images/batch", w -> "/api/v1/board_images/batch")
                        .body(w -> Map.of("board_id", board(w, "shared"), "image_names", List.of(looseImage(w))))
                        .expect(201, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/board_images/ (shared board)", w -> "/api/v1/board_images/")
                        .body(w -> Map.of("image_name", freshImage(w, "shared"))).expect(201, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/board_images/ (public board)", w -> "/api/v1/board_images/")
                        .body(w -> Map.of("image_name", freshImage(w, "public"))).expect(201, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/board_images/batch/delete", w -> "/api/v1/board_images/batch/delete")
                        .body(w -> Map.of("image_names", List.of(freshImage(w, "private")))).expect(201, OWNER, ADMIN).expect(403, OTHER),

                // Images: listings
                RouteCase.of("GET", "/api/v1/images/").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/images/?board_id={private}", w -> "/api/v1/images/?board_id=" + board(w, "private"))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/images/?board_id={shared}", w -> "/api/v1/images/?board_id=" + board(w, "shared"))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/images/?board_id=none").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/images/names").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/images/names?board_id={private}", w -> "/api/v1/images/names?board_id=" + board(w, "private"))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("POST", "/api/v1/images/images_by_names")
                        .body(w -> Map.of("image_names", List.of(image(w, "private")))).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/images/intermediates").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("DELETE", "/api/v1/images/intermediates").expect(200, ADMIN).expect(403, OWNER, OTHER),

                // Images: upload
                RouteCase.of("POST", "/api/v1/images/upload?" + GENERAL).form(png()).expect(201, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/images/upload?…&board_id={shared}",
                                w -> "/api/v1/images/upload?" + GENERAL + "&board_id=" + board(w, "shared"))
                        .form(png()).expect(201, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("POST", "/api/v1/images/upload?…&board_id={public}",
                                w -> "/api/v1/images/upload?" + GENERAL + "&board_id=" + board(w, "public"))
                        .form(png()).expect(201, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/images/").body(w -> Map.of("width", 8, "height", 8)).expect(501, OWNER, OTHER, ADMIN),

                // Images: one image
                image("GET", "", "private").expect(200, OWNER, ADMIN).expect(403, OTHER),
                image("GET", "", "shared").expect(200, OWNER, OTHER, ADMIN),
                image("GET", "", "public").expect(200, OWNER, OTHER, ADMIN),
                image("GET", "/full", "private").expect(200, OWNER, ADMIN).expect(403, OTHER),
                image("GET", "/full", "shared").expect(200, OWNER, OTHER, ADMIN),
                image("GET", "/thumbnail", "private").expect(200, OWNER, ADMIN).expect(403, OTHER),
                image("GET", "/thumbnail", "public").expect(200, OWNER, OTHER, ADMIN),
                image("GET", "/metadata", "private").expect(200, OWNER, ADMIN).expect(403, OTHER),
                image("GET", "/workflow", "private").expect(200, OWNER, ADMIN).expect(403, OTHER),
                image("GET", "/urls", "private").expect(200, OWNER, ADMIN).expect(403, OTHER),
                image("GET", "/urls", "shared").expect(200, OWNER, OTHER, ADMIN),
                image("PATCH", "", "shared").body(w -> Map.of("starred", false)).expect(200, OWNER, ADMIN).expect(403, OTHER),
                image("PATCH", "", "public").body(w -> Map.of("starred", false)).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("DELETE", "/api/v1/images/i/{fresh shared image}", w -> "/api/v1/images/i/" + freshImage(w, "shared"))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/images/i/{fresh public image}", w -> "/api/v1/images/i/" + freshImage(w, "public"))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/images/delete").body(w -> Map.of("image_names", List.of(freshImage(w, "private"))))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/images/star").body(w -> Map.of("image_names", List.of(image(w, "shared"))))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("POST", "/api/v1/images/unstar").body(w -> Map.of("image_names", List.of(image(w, "public"))))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("DELETE", "/api/v1/images/uncategorized").expect(200, OWNER, OTHER, ADMIN),

                // Workflows
                RouteCase.of("GET", "/api/v1/workflows/").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/workflows/").body(w -> Map.of("workflow", document(null))).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/workflows/tags").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/workflows/counts_by_tag?tags=a").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/workflows/counts_by_category?categories=user").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/workflows/i/{private}", w -> "/api/v1/workflows/i/" + workflow(w, false))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/workflows/i/{public}", w -> "/api/v1/workflows/i/" + workflow(w, true))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PATCH", "/api/v1/workflows/i/{public}", w -> "/api/v1/workflows/i/" + workflow(w, true))
                        .body(w -> Map.of("workflow", document(workflow(w, true)))).expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PATCH", "/api/v1/workflows/i/{private}/is_public", w -> "/api/v1/workflows/i/" + workflow(w, false) + "/is_public")
                        .body(w -> Map.of("is_public", false)).expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PUT", "/api/v1/workflows/i/{public}/opened_at", w -> "/api/v1/workflows/i/" + workflow(w, true) + "/opened_at")
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/workflows/i/{fresh public}", w -> "/api/v1/workflows/i/" + freshWorkflow(w, true))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),

                // Transfers of a user's content (beyond InvokeAI)
                RouteCase.of("POST", "/api/v1/auth/users/{fresh}/transfer", w -> "/api/v1/auth/users/" + w.freshUserId() + "/transfer")
                        .body(w -> Map.of("to_user_id", w.other.userId())).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", "/api/v1/auth/users/{fresh}?transfer_to={other}",
                                w -> "/api/v1/auth/users/" + w.freshUserId() + "?transfer_to=" + w.other.userId())
                        .expect(204, ADMIN).expect(403, OWNER, OTHER));
    }
}
