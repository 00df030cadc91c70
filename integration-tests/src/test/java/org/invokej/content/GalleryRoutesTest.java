package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/gallery}, {@code /api/v1/virtual_boards} and {@code /api/v1/videos}: the listings the
 * web UI's gallery runs on, with InvokeAI's ordering, filters and multi-user scoping.
 */
class GalleryRoutesTest {

    private static final String OLD_DAY = "2025-01-02";

    @TempDir
    static Path root;
    private static ContentWorld world;
    /** user1's images, oldest first: loose, on a private board, a starred one, an asset, and one made on OLD_DAY. */
    private static String loose;
    private static String onBoard;
    private static String starred;
    private static String asset;
    private static String old;
    private static String board;
    private static String user2Image;

    @BeforeAll
    static void start() throws SQLException {
        world = new ContentWorld(root);
        TestClient user1 = world.user1.client();
        board = TestImages.board(user1, "private");
        loose = upload(user1, "general", null, "{\"positive_prompt\": \"a Red FOX\"}");
        onBoard = upload(user1, "general", board, "{}");
        starred = upload(user1, "general", null, "{}");
        user1.post("/api/v1/images/star", Map.of("image_names", List.of(starred)));
        asset = upload(user1, "user", null, "{}");
        old = upload(user1, "general", null, "{}");
        user2Image = upload(world.user2.client(), "general", null, "{}");
        // As an image kept from an earlier day (InvokeAI roots carry years of them).
        try (Connection db = TestServer.database(root);
             PreparedStatement update = db.prepareStatement("UPDATE images SET created_at = ? WHERE image_name = ?")) {
            update.setString(1, OLD_DAY + " 10:00:00.000");
            update.setString(2, old);
            update.executeUpdate();
        }
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String upload(TestClient client, String category, String boardId, String metadata) {
        TestResponse response = TestImages.upload(client, TestImages.png(24, 16), "image/png",
                "image_category=" + category + "&is_intermediate=false" + (boardId == null ? "" : "&board_id=" + boardId),
                Map.of("metadata", metadata));
        assertEquals(201, response.status(), response.toString());
        return response.json().path("image_name").asText();
    }

    private static List<String> names(TestResponse response) {
        assertEquals(200, response.status(), response.toString());
        List<String> names = new ArrayList<>();
        response.json().path("item_names").forEach(name -> names.add(name.asText()));
        return names;
    }

    @Test
    void itemNamesAreTheCallersOwnStarredFirstNewestFirst() {
        TestResponse response = world.user1.client().get("/api/v1/gallery/item_names?is_intermediate=false");
        assertEquals("private, no-store", response.header("Cache-Control").orElse(""));
        assertEquals(List.of(starred, asset, onBoard, loose, old), names(response));
        assertEquals(1, response.json().path("starred_count").asInt());
        assertEquals(5, response.json().path("total_count").asInt());
        assertEquals(List.of(user2Image), names(world.user2.client().get("/api/v1/gallery/item_names")));
        List<String> all = names(world.admin.client().get("/api/v1/gallery/item_names"));
        assertTrue(all.containsAll(List.of(starred, user2Image)) && all.size() == 6, all.toString());
    }

    @Test
    void filtersAsTheUiSendsThem() {
        TestClient user1 = world.user1.client();
        assertEquals(List.of(asset, starred, onBoard, loose, old),
                names(user1.get("/api/v1/gallery/item_names?starred_first=false")));
        assertEquals(List.of(old, loose, onBoard, starred, asset),
                names(user1.get("/api/v1/gallery/item_names?order_dir=ASC&starred_first=false")));
        assertEquals(List.of(starred, asset, loose, old), names(user1.get("/api/v1/gallery/item_names?board_id=none")));
        assertEquals(List.of(onBoard), names(user1.get("/api/v1/gallery/item_names?board_id=" + board)));
        assertEquals(List.of(asset), names(user1.get("/api/v1/gallery/item_names?categories=user&categories=mask")));
        assertEquals(List.of(starred, onBoard, loose, old), names(user1.get("/api/v1/gallery/item_names?categories=general")));
        assertEquals(List.of(loose), names(user1.get("/api/v1/gallery/item_names?search_term=fox")),
                "a case-folded search of the metadata");
        assertEquals(List.of(old), names(user1.get("/api/v1/gallery/item_names?created_date=" + OLD_DAY)));
        assertEquals(List.of(), names(user1.get("/api/v1/gallery/item_names?is_intermediate=true")));
    }

    @Test
    void anotherUsersBoardIsRefused() {
        TestResponse refused = world.user2.client().get("/api/v1/gallery/item_names?board_id=" + board);
        assertEquals(403, refused.status(), refused.toString());
        assertEquals(403, world.user2.client().get("/api/v1/gallery/items/?board_id=" + board).status());
        assertEquals(List.of(onBoard), names(world.admin.client().get("/api/v1/gallery/item_names?board_id=" + board)));
        assertEquals(404, world.user1.client().get("/api/v1/gallery/item_names?board_id=no-such-board").status());
        assertEquals(401, world.anonymous().get("/api/v1/gallery/item_names").status());
    }

    @Test
    void itemsArePagesOfGalleryItems() {
        TestResponse page = world.user1.client().get("/api/v1/gallery/items/?offset=1&limit=2");
        assertEquals(200, page.status(), page.toString());
        JsonNode body = page.json();
        assertEquals(2, body.path("limit").asInt());
        assertEquals(1, body.path("offset").asInt());
        assertEquals(5, body.path("total").asInt());
        assertEquals(2, body.path("items").size());
        JsonNode item = body.path("items").get(0);
        assertEquals("image", item.path("kind").asText());
        assertEquals(asset, item.path("name").asText());
        assertEquals("api/v1/images/i/" + asset + "/full", item.path("full_url").asText());
        assertEquals("api/v1/images/i/" + asset + "/thumbnail", item.path("thumbnail_url").asText());
        assertEquals(24, item.path("width").asInt());
        assertEquals(16, item.path("height").asInt());
        assertEquals("user", item.path("category").asText());
        assertTrue(item.has("board_id") && item.path("board_id").isNull());
        assertTrue(item.has("duration") && item.path("duration").isNull() && item.has("fps"));
        assertTrue(item.path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*"), item.toString());
        JsonNode refs = world.user1.client().get("/api/v1/gallery/items/names").json();
        assertEquals("image", refs.path("items").get(0).path("kind").asText());
        assertEquals(starred, refs.path("items").get(0).path("name").asText());
    }

    @Test
    void badQueriesAre422() {
        TestClient user1 = world.user1.client();
        for (String query : List.of("limit=1001", "limit=-1", "offset=-1", "order_dir=sideways", "created_date=yesterday",
                "categories=pictures", "starred_first=maybe")) {
            TestResponse response = user1.get("/api/v1/gallery/items/?" + query);
            assertEquals(422, response.status(), query + " " + response);
        }
        assertEquals(422, user1.get("/api/v1/gallery/item_names?created_date=2025-13-40").status());
    }

    @Test
    void dateBoardsCountTheCallersOwnDays() {
        JsonNode days = world.user1.client().get("/api/v1/virtual_boards/by_date").json();
        assertEquals(2, days.size(), days.toString());
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode newest = days.get(0);
        assertEquals("by_date:" + today, newest.path("virtual_board_id").asText());
        assertEquals(today, newest.path("board_name").asText());
        assertEquals(today, newest.path("date").asText());
        assertEquals(3, newest.path("image_count").asInt(), "general images");
        assertEquals(1, newest.path("asset_count").asInt());
        assertEquals(0, newest.path("video_count").asInt());
        assertEquals(asset, newest.path("cover_image_name").asText(), "the newest image of the day");
        assertNull(newest.path("cover_video_name").textValue());
        assertEquals(OLD_DAY, days.get(1).path("date").asText());
        assertEquals(old, days.get(1).path("cover_image_name").asText());

        JsonNode user2Days = world.user2.client().get("/api/v1/virtual_boards/by_date").json();
        assertEquals(1, user2Days.size());
        assertEquals(1, user2Days.get(0).path("image_count").asInt());
        assertEquals(5, world.admin.client().get("/api/v1/virtual_boards/by_date").json().get(0).path("image_count").asInt()
                + world.admin.client().get("/api/v1/virtual_boards/by_date").json().get(0).path("asset_count").asInt());

        JsonNode byDate = world.user1.client().get("/api/v1/virtual_boards/by_date/" + OLD_DAY + "/image_names").json();
        assertEquals(List.of(old), List.of(byDate.path("image_names").get(0).asText()));
        assertEquals(422, world.user1.client().get("/api/v1/virtual_boards/by_date/not-a-date/item_names").status());
        assertEquals(401, world.anonymous().get("/api/v1/virtual_boards/by_date").status());
    }

    @Test
    void thereAreNoVideos() {
        TestClient user1 = world.user1.client();
        JsonNode page = user1.get("/api/v1/videos/?board_id=none&limit=20").json();
        assertEquals(0, page.path("total").asInt());
        assertEquals(0, page.path("items").size());
        JsonNode names = user1.get("/api/v1/videos/names").json();
        assertEquals(0, names.path("total_count").asInt());
        assertEquals(0, names.path("video_names").size());
        assertEquals(404, user1.get("/api/v1/videos/i/clip.mp4").status());
        assertEquals(404, user1.get("/api/v1/videos/i/clip.mp4/thumbnail").status());
        JsonNode deleted = user1.post("/api/v1/videos/delete", Map.of("video_names", List.of("clip.mp4"))).json();
        assertEquals(0, deleted.path("deleted_videos").size());
        assertEquals(422, user1.post("/api/v1/videos/star", Map.of()).status());
        TestResponse upload = user1.send("POST", "/api/v1/videos/upload", "video/mp4", new byte[16]);
        assertEquals(415, upload.status(), upload.toString());
        assertEquals(401, world.anonymous().get("/api/v1/videos/").status());
    }
}
