package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Boards in multi-user mode: InvokeAI's test_boards_multiuser.py (invokeai-multiuser.md §11.17) and the shapes of invokeai-api-shapes.md §1. */
class BoardsTest {

    @TempDir
    static Path root;
    private static ContentWorld world;

    @BeforeAll
    static void start() {
        world = new ContentWorld(root);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static TestClient u1() {
        return world.user1.client();
    }

    private static TestClient u2() {
        return world.user2.client();
    }

    private static List<String> ids(JsonNode boards) {
        List<String> ids = new ArrayList<>();
        boards.forEach(board -> ids.add(board.path("board_id").asText()));
        return ids;
    }

    @Test
    void everyBoardRouteNeedsAToken() {
        TestClient anonymous = world.anonymous();
        String board = TestImages.board(u1(), "mine");
        assertEquals(401, anonymous.post("/api/v1/boards/?board_name=x", null).status());
        assertEquals(401, anonymous.get("/api/v1/boards/?all=true").status());
        assertEquals(401, anonymous.get("/api/v1/boards/" + board).status());
        assertEquals(401, anonymous.patch("/api/v1/boards/" + board, Map.of("board_name", "y")).status());
        assertEquals(401, anonymous.delete("/api/v1/boards/" + board).status());
        assertEquals(401, anonymous.get("/api/v1/boards/" + board + "/image_names").status());
        assertEquals(401, anonymous.get("/api/v1/boards/none/image_names").status());
    }

    @Test
    void createdBoardIsPrivateAndOwnedByTheCaller() {
        TestResponse created = u1().post("/api/v1/boards/?board_name=Holiday", null);
        assertEquals(201, created.status());
        JsonNode board = created.json();
        assertEquals("Holiday", board.path("board_name").asText());
        assertEquals(world.user1.userId(), board.path("user_id").asText());
        assertEquals("private", board.path("board_visibility").asText());
        assertEquals(0, board.path("image_count").asInt());
        assertEquals(0, board.path("asset_count").asInt());
        assertTrue(board.path("cover_image_name").isNull());
        assertTrue(board.has("deleted_at") && board.path("deleted_at").isNull(), "nulls are sent: " + board);
        assertTrue(board.path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}"));
        assertTrue(board.path("owner_username").isNull());
    }

    @Test
    void privateBoardsAreIsolatedAndSharedOrPublicOnesAreVisible() {
        String priv = TestImages.board(u1(), "private one");
        String shared = TestImages.board(u1(), "shared one");
        String pub = TestImages.board(u1(), "public one");
        TestImages.visibility(u1(), shared, "shared");
        TestImages.visibility(u1(), pub, "public");

        assertTrue(ids(u1().get("/api/v1/boards/?all=true").json()).containsAll(List.of(priv, shared, pub)));
        List<String> seenBy2 = ids(u2().get("/api/v1/boards/?all=true").json());
        assertFalse(seenBy2.contains(priv));
        assertTrue(seenBy2.containsAll(List.of(shared, pub)));

        assertEquals(200, u1().get("/api/v1/boards/" + priv).status());
        TestResponse forbidden = u2().get("/api/v1/boards/" + priv);
        assertEquals(403, forbidden.status());
        assertEquals("Not authorized to access this board", forbidden.detail());
        assertEquals(200, u2().get("/api/v1/boards/" + shared).status());
        assertEquals(200, u2().get("/api/v1/boards/" + pub).status());
        assertEquals(200, world.admin.client().get("/api/v1/boards/" + priv).status());
        assertEquals(404, u1().get("/api/v1/boards/no-such-board").status());

        TestImages.visibility(u1(), shared, "private");
        assertFalse(ids(u2().get("/api/v1/boards/?all=true").json()).contains(shared));
        assertEquals(403, u2().get("/api/v1/boards/" + shared).status());
    }

    @Test
    void onlyOwnerOrAdminMayUpdateOrDelete() {
        String board = TestImages.board(u1(), "to change");
        TestImages.visibility(u1(), board, "public");
        TestResponse rename = u2().patch("/api/v1/boards/" + board, Map.of("board_name", "mine now"));
        assertEquals(403, rename.status());
        assertEquals("Not authorized to update this board", rename.detail());
        assertEquals(403, u2().patch("/api/v1/boards/" + board, Map.of("board_visibility", "private")).status());

        TestResponse renamed = u1().patch("/api/v1/boards/" + board, Map.of("board_name", "renamed", "archived", true));
        assertEquals(201, renamed.status());
        assertEquals("renamed", renamed.json().path("board_name").asText());
        assertTrue(renamed.json().path("archived").asBoolean());
        assertEquals(201, world.admin.client().patch("/api/v1/boards/" + board, Map.of("board_visibility", "shared")).status());
        assertEquals("shared", u1().get("/api/v1/boards/" + board).json().path("board_visibility").asText());

        TestResponse delete = u2().delete("/api/v1/boards/" + board);
        assertEquals(403, delete.status());
        assertEquals("Not authorized to delete this board", delete.detail());
        assertEquals(200, u1().delete("/api/v1/boards/" + board).status());
        assertEquals(404, u1().get("/api/v1/boards/" + board).status());

        String another = TestImages.board(u1(), "admin deletes");
        assertEquals(200, world.admin.client().delete("/api/v1/boards/" + another).status());
    }

    @Test
    void badChangesAreRefused() {
        String board = TestImages.board(u1(), "strict");
        assertEquals(422, u1().patch("/api/v1/boards/" + board, Map.of("unknown_field", 1)).status());
        assertEquals(422, u1().patch("/api/v1/boards/" + board, Map.of("board_visibility", "everyone")).status());
        assertEquals(422, u1().patch("/api/v1/boards/" + board, Map.of("board_name", "x".repeat(301))).status());
        assertEquals(422, u1().post("/api/v1/boards/?board_name=" + "x".repeat(301), null).status());
        assertEquals(422, u1().post("/api/v1/boards/", null).status());
        assertEquals(422, u1().patch("/api/v1/boards/" + board, "{not json").status());
    }

    @Test
    void listingNeedsAllOrAPageAndThePageTotalIsItsLength() {
        TestImages.board(u2(), "b-one");
        TestImages.board(u2(), "B-two");
        TestImages.board(u2(), "a-three");
        TestResponse neither = u2().get("/api/v1/boards/");
        assertEquals(400, neither.status());
        assertEquals("Invalid request: Must provide either 'all' or both 'offset' and 'limit'", neither.detail());
        JsonNode page = u2().get("/api/v1/boards/?offset=0&limit=2&order_by=board_name&direction=ASC").json();
        assertEquals(2, page.path("limit").asInt());
        assertEquals(0, page.path("offset").asInt());
        assertEquals(2, page.path("total").asInt());
        assertEquals(List.of("a-three", "b-one"), StreamSupport.stream(page.path("items").spliterator(), false)
                .map(board -> board.path("board_name").asText()).toList());
        assertEquals(422, u2().get("/api/v1/boards/?all=true&order_by=size").status());
    }

    @Test
    void archivedBoardsAreListedOnlyOnRequest() {
        String board = TestImages.board(u1(), "old stuff");
        assertEquals(201, u1().patch("/api/v1/boards/" + board, Map.of("archived", true)).status());
        assertFalse(ids(u1().get("/api/v1/boards/?all=true").json()).contains(board));
        assertTrue(ids(u1().get("/api/v1/boards/?all=true&include_archived=true").json()).contains(board));
    }

    @Test
    void adminListingsNameTheOwnerAndUsersDoNot() {
        String board = TestImages.board(u1(), "named");
        JsonNode admins = world.admin.client().get("/api/v1/boards/?all=true").json();
        JsonNode mine = StreamSupport.stream(admins.spliterator(), false)
                .filter(b -> b.path("board_id").asText().equals(board)).findFirst().orElseThrow();
        assertEquals("User One", mine.path("owner_username").asText());
        u1().get("/api/v1/boards/?all=true").json().forEach(b -> assertTrue(b.path("owner_username").isNull()));
    }

    @Test
    void imageNamesNeedReadAccessAndNoneGivesOnlyOwnUncategorized() {
        String board = TestImages.board(u1(), "with images");
        String onBoard = TestImages.uploadPng(u1(), board);
        String loose1 = TestImages.uploadPng(u1(), null);
        String loose2 = TestImages.uploadPng(u2(), null);

        assertEquals(List.of(onBoard), names(u1().get("/api/v1/boards/" + board + "/image_names")));
        assertEquals(403, u2().get("/api/v1/boards/" + board + "/image_names").status());
        assertEquals(List.of(onBoard), names(world.admin.client().get("/api/v1/boards/" + board + "/image_names")));
        TestImages.visibility(u1(), board, "shared");
        assertEquals(List.of(onBoard), names(u2().get("/api/v1/boards/" + board + "/image_names")));

        List<String> none1 = names(u1().get("/api/v1/boards/none/image_names"));
        assertTrue(none1.contains(loose1));
        assertFalse(none1.contains(loose2));
        assertFalse(none1.contains(onBoard));
        assertTrue(names(world.admin.client().get("/api/v1/boards/none/image_names")).containsAll(List.of(loose1, loose2)));
    }

    @Test
    void countsAndCoverFollowTheImagesOnTheBoard() {
        String board = TestImages.board(u1(), "counted");
        String first = TestImages.uploadPng(u1(), board);
        String second = TestImages.uploadPng(u1(), board);
        TestResponse asset = TestImages.upload(u1(), TestImages.png(8, 8), "image/png",
                "image_category=mask&is_intermediate=false&board_id=" + board, Map.of());
        assertEquals(201, asset.status());
        TestResponse intermediate = TestImages.upload(u1(), TestImages.png(8, 8), "image/png",
                "image_category=general&is_intermediate=true&board_id=" + board, Map.of());
        assertEquals(201, intermediate.status());
        JsonNode dto = u1().get("/api/v1/boards/" + board).json();
        assertEquals(2, dto.path("image_count").asInt());
        assertEquals(1, dto.path("asset_count").asInt());
        assertTrue(Set.of(first, second, asset.json().path("image_name").asText()).contains(dto.path("cover_image_name").asText()));
        assertEquals(200, u1().post("/api/v1/images/star", Map.of("image_names", List.of(first))).status());
        assertEquals(first, u1().get("/api/v1/boards/" + board).json().path("cover_image_name").asText());
    }

    @Test
    void deletingWithImagesDeletesOnlyTheOwnersImagesUnlessAdmin() {
        String board = TestImages.board(u1(), "public pile");
        TestImages.visibility(u1(), board, "public");
        String own = TestImages.uploadPng(u1(), board);
        String foreign = TestImages.uploadPng(u2(), board);
        JsonNode result = u1().delete("/api/v1/boards/" + board + "?include_images=true").json();
        assertEquals(board, result.path("board_id").asText());
        assertEquals(List.of(own), names(result.path("deleted_images")));
        assertEquals(404, world.admin.client().get("/api/v1/images/i/" + own).status());
        assertFalse(Files.exists(root.resolve("outputs/images").resolve(own)), "the file went with the row");
        JsonNode survivor = u2().get("/api/v1/images/i/" + foreign).json();
        assertTrue(survivor.path("board_id").isNull(), "another user's image survives, uncategorized: " + survivor);

        String adminBoard = TestImages.board(u1(), "admin clears");
        TestImages.visibility(u1(), adminBoard, "public");
        String a = TestImages.uploadPng(u1(), adminBoard);
        String b = TestImages.uploadPng(u2(), adminBoard);
        JsonNode all = world.admin.client().delete("/api/v1/boards/" + adminBoard + "?include_images=true").json();
        assertEquals(Set.of(a, b), Set.copyOf(names(all.path("deleted_images"))));
    }

    @Test
    void deletingWithoutImagesLeavesThemUncategorized() {
        String board = TestImages.board(u1(), "keep images");
        String image = TestImages.uploadPng(u1(), board);
        JsonNode result = u1().delete("/api/v1/boards/" + board).json();
        assertEquals(List.of(image), names(result.path("deleted_board_images")));
        assertEquals(List.of(), names(result.path("deleted_images")));
        assertTrue(u1().get("/api/v1/images/i/" + image).json().path("board_id").isNull());
    }

    private static List<String> names(TestResponse response) {
        assertEquals(200, response.status(), response.toString());
        return names(response.json());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }
}
