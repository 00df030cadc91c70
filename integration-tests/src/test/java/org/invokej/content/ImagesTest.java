package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images and board membership in multi-user mode: InvokeAI's test_multiuser_authorization.py (invokeai-multiuser.md §11.16) and the shapes of invokeai-api-shapes.md §2. */
class ImagesTest {

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

    private static TestClient admin() {
        return world.admin.client();
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(node -> names.add(node.isTextual() ? node.asText() : node.path("image_name").asText()));
        return names;
    }

    @Test
    void imageReadsNeedATokenOrTheMediaCookieForFiles() {
        String image = TestImages.uploadPng(u1(), null);
        TestClient anonymous = world.anonymous();
        for (String path : List.of("", "/metadata", "/urls", "/workflow", "/full", "/thumbnail")) {
            assertEquals(401, anonymous.get("/api/v1/images/i/" + image + path).status(), path);
        }
        TestClient cookieOnly = anonymous.withHeader("Cookie", "invokeai_media_token=" + world.user1.token());
        TestResponse full = cookieOnly.get("/api/v1/images/i/" + image + "/full");
        assertEquals(200, full.status());
        assertEquals("image/png", full.header("Content-Type").orElseThrow());
        assertEquals("private, no-store", full.header("Cache-Control").orElseThrow());
        assertEquals("inline; filename=\"" + image + "\"", full.header("Content-Disposition").orElseThrow());
        assertEquals(200, cookieOnly.get("/api/v1/images/i/" + image + "/thumbnail").status());
        assertEquals(401, cookieOnly.get("/api/v1/images/i/" + image).status(), "the cookie is for files only");

        TestClient otherCookie = anonymous.withHeader("Cookie", "invokeai_media_token=" + world.user2.token());
        TestResponse refused = otherCookie.get("/api/v1/images/i/" + image + "/full");
        assertEquals(403, refused.status());
        assertEquals("Not authorized to access this image", refused.detail());
    }

    @Test
    void ownerAndAdminReadAPrivateImageAndOthersDoNot() {
        String image = TestImages.uploadPng(u1(), null);
        JsonNode dto = u1().get("/api/v1/images/i/" + image).json();
        assertEquals(image, dto.path("image_name").asText());
        assertEquals("api/v1/images/i/" + image + "/full", dto.path("image_url").asText());
        assertEquals("api/v1/images/i/" + image + "/thumbnail", dto.path("thumbnail_url").asText());
        assertEquals("external", dto.path("image_origin").asText());
        assertEquals(24, dto.path("width").asInt());
        assertEquals(16, dto.path("height").asInt());
        assertFalse(dto.has("user_id"), "no owner in ImageDTO");
        assertEquals(200, admin().get("/api/v1/images/i/" + image).status());
        for (String path : List.of("", "/metadata", "/urls", "/workflow", "/full", "/thumbnail")) {
            TestResponse response = u2().get("/api/v1/images/i/" + image + path);
            assertEquals(403, response.status(), path);
            assertEquals("Not authorized to access this image", response.detail());
        }
    }

    @Test
    void imagesOnASharedBoardAreReadableByOthers() {
        String board = TestImages.board(u1(), "shared gallery");
        TestImages.visibility(u1(), board, "shared");
        String image = TestImages.uploadPng(u1(), board);
        assertEquals(200, u2().get("/api/v1/images/i/" + image).status());
        assertEquals(200, u2().get("/api/v1/images/i/" + image + "/full").status());
        assertEquals(List.of(image), names(u2().get("/api/v1/images/?board_id=" + board).json().path("items")));
        assertEquals(List.of(image), names(u2().get("/api/v1/images/names?board_id=" + board).json().path("image_names")));
        TestResponse change = u2().patch("/api/v1/images/i/" + image, Map.of("starred", true));
        assertEquals(403, change.status(), "a shared board is read-only for others");
        assertEquals("Not authorized to modify this image", change.detail());
    }

    @Test
    void listingsOfAPrivateBoardAreRefusedToOthers() {
        String board = TestImages.board(u1(), "private gallery");
        TestImages.uploadPng(u1(), board);
        TestResponse list = u2().get("/api/v1/images/?board_id=" + board);
        assertEquals(403, list.status());
        assertEquals("Not authorized to access this board", list.detail());
        assertEquals(403, u2().get("/api/v1/images/names?board_id=" + board).status());
        assertEquals(200, u1().get("/api/v1/images/?board_id=" + board).status());
        assertEquals(200, admin().get("/api/v1/images/?board_id=" + board).status());
        assertEquals(404, u1().get("/api/v1/images/?board_id=no-such-board").status());
    }

    @Test
    void galleryWithoutBoardShowsOwnImagesAndAdminsSeeAll() {
        String board = TestImages.board(u1(), "own board");
        TestImages.visibility(u1(), board, "public");
        String boarded = TestImages.uploadPng(u1(), board);
        String loose = TestImages.uploadPng(u1(), null);
        String theirs = TestImages.uploadPng(u2(), null);
        String theirsOnMyPublicBoard = TestImages.uploadPng(u2(), board);

        JsonNode mine = u1().get("/api/v1/images/?limit=-1").json();
        List<String> mineNames = names(mine.path("items"));
        assertTrue(mineNames.containsAll(List.of(boarded, loose)));
        assertFalse(mineNames.contains(theirs));
        assertFalse(mineNames.contains(theirsOnMyPublicBoard));
        assertEquals(mineNames.size(), mine.path("total").asInt(), "the total counts only what the caller may list");

        List<String> none = names(u1().get("/api/v1/images/?board_id=none&limit=-1").json().path("items"));
        assertTrue(none.contains(loose));
        assertFalse(none.contains(boarded));
        assertFalse(none.contains(theirs));

        JsonNode namesResult = u1().get("/api/v1/images/names").json();
        assertEquals(Set.copyOf(mineNames), Set.copyOf(names(namesResult.path("image_names"))));
        assertEquals(namesResult.path("image_names").size(), namesResult.path("total_count").asInt());
        assertFalse(names(u1().get("/api/v1/images/names?board_id=none").json().path("image_names")).contains(theirs));

        List<String> everything = names(admin().get("/api/v1/images/?limit=-1").json().path("items"));
        assertTrue(everything.containsAll(List.of(boarded, loose, theirs, theirsOnMyPublicBoard)));
    }

    @Test
    void paginationFiltersAndStarredFirst() {
        String board = TestImages.board(u2(), "pages");
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(TestImages.uploadPng(u2(), board));
        }
        assertEquals(200, u2().post("/api/v1/images/star", Map.of("image_names", List.of(made.get(0)))).status());
        JsonNode page = u2().get("/api/v1/images/?board_id=" + board + "&offset=0&limit=2").json();
        assertEquals(5, page.path("total").asInt());
        assertEquals(2, page.path("limit").asInt());
        assertEquals(2, page.path("items").size());
        assertEquals(made.get(0), page.path("items").get(0).path("image_name").asText(), "starred first");
        assertEquals(made.get(4), page.path("items").get(1).path("image_name").asText(), "then newest");
        JsonNode ascending = u2().get("/api/v1/images/?board_id=" + board + "&starred_first=false&order_dir=ASC&limit=5").json();
        assertEquals(made, names(ascending.path("items")));
        assertEquals(0, u2().get("/api/v1/images/?board_id=" + board + "&categories=mask").json().path("total").asInt());
        assertEquals(5, u2().get("/api/v1/images/?board_id=" + board + "&categories=general&categories=mask&image_origin=external")
                .json().path("total").asInt());
        assertEquals(1, u2().get("/api/v1/images/names?board_id=" + board).json().path("starred_count").asInt());
        assertEquals(422, u2().get("/api/v1/images/?categories=pictures").status());
        assertEquals(422, u2().get("/api/v1/images/?order_dir=UP").status());
    }

    @Test
    void searchTermMatchesMetadataText() {
        TestResponse upload = TestImages.upload(u2(), TestImages.png(8, 8), "image/png", "image_category=general&is_intermediate=false",
                Map.of("metadata", "{\"positive_prompt\": \"A Purple Giraffe\"}"));
        assertEquals(201, upload.status());
        String name = upload.json().path("image_name").asText();
        assertEquals(List.of(name), names(u2().get("/api/v1/images/?search_term=purple%20giraffe").json().path("items")));
        assertEquals(List.of(), names(u1().get("/api/v1/images/?search_term=purple%20giraffe").json().path("items")));
        assertEquals("A Purple Giraffe", u2().get("/api/v1/images/i/" + name + "/metadata").json().path("positive_prompt").asText());
    }

    @Test
    void imagesByNamesDropsWhatTheCallerMayNotRead() {
        String mine = TestImages.uploadPng(u1(), null);
        String theirs = TestImages.uploadPng(u2(), null);
        JsonNode found = u1().post("/api/v1/images/images_by_names",
                Map.of("image_names", List.of(theirs, mine, "../etc/passwd", "00000000-0000-0000-0000-000000000000.png"))).json();
        assertEquals(List.of(mine), names(found));
        assertEquals(401, world.anonymous().post("/api/v1/images/images_by_names", Map.of("image_names", List.of(mine))).status());
    }

    @Test
    void mutationsFollowOwnershipAndBoards() {
        String image = TestImages.uploadPng(u1(), null);
        assertEquals(403, u2().patch("/api/v1/images/i/" + image, Map.of("starred", true)).status());
        assertEquals(403, u2().post("/api/v1/images/star", Map.of("image_names", List.of(image))).status());
        assertEquals(403, u2().post("/api/v1/images/unstar", Map.of("image_names", List.of(image))).status());
        TestResponse delete = u2().delete("/api/v1/images/i/" + image);
        assertEquals(403, delete.status());
        assertEquals("Not authorized to modify this image", delete.detail());
        JsonNode batch = u2().post("/api/v1/images/delete", Map.of("image_names", List.of(image))).json();
        assertEquals(List.of(), names(batch.path("deleted_images")), "foreign images are skipped in a batch delete");
        assertEquals(200, u1().get("/api/v1/images/i/" + image).status());

        JsonNode patched = u1().patch("/api/v1/images/i/" + image, Map.of("starred", true, "image_category", "user",
                "is_intermediate", false, "ignored", 1)).json();
        assertTrue(patched.path("starred").asBoolean());
        assertEquals("user", patched.path("image_category").asText());
        assertEquals(422, u1().patch("/api/v1/images/i/" + image, Map.of("starred", "yes")).status());

        JsonNode deleted = admin().delete("/api/v1/images/i/" + image).json();
        assertEquals(List.of(image), names(deleted.path("deleted_images")));
        assertEquals(List.of("none"), names(deleted.path("affected_boards")));
        assertFalse(root.resolve("outputs/images").resolve(image).toFile().exists());
        assertFalse(root.resolve("outputs/images/thumbnails").resolve(image).toFile().exists());
    }

    @Test
    void aPublicBoardLetsOthersChangeAndDeleteItsImagesAndTheBoardOwnerManagesTheirs() {
        String board = TestImages.board(u1(), "open house");
        TestImages.visibility(u1(), board, "public");
        String ownerImage = TestImages.uploadPng(u1(), board);
        assertEquals(200, u2().post("/api/v1/images/star", Map.of("image_names", List.of(ownerImage))).status());
        assertEquals(200, u2().delete("/api/v1/images/i/" + ownerImage).status());

        String guestImage = TestImages.uploadPng(u2(), board);
        TestImages.visibility(u1(), board, "private");
        assertEquals(200, u1().get("/api/v1/images/i/" + guestImage).status(), "a board's owner reads what is on it");
        assertEquals(200, u1().delete("/api/v1/images/i/" + guestImage).status(), "and may delete it");
    }

    @Test
    void uploadsToOthersBoardsNeedAPublicBoard() {
        String shared = TestImages.board(u1(), "look only");
        TestImages.visibility(u1(), shared, "shared");
        TestResponse refused = TestImages.upload(u2(), TestImages.png(8, 8), "image/png",
                "image_category=general&is_intermediate=false&board_id=" + shared, Map.of());
        assertEquals(403, refused.status());
        assertEquals("Not authorized to upload to this board", refused.detail());
        assertEquals(201, TestImages.upload(u1(), TestImages.png(8, 8), "image/png",
                "image_category=general&is_intermediate=false&board_id=" + shared, Map.of()).status());
        TestImages.visibility(u1(), shared, "public");
        TestResponse accepted = TestImages.upload(u2(), TestImages.png(8, 8), "image/png",
                "image_category=general&is_intermediate=false&board_id=" + shared, Map.of());
        assertEquals(201, accepted.status());
        assertEquals(shared, accepted.json().path("board_id").asText());
        assertEquals("api/v1/images/i/" + accepted.json().path("image_name").asText() + "/full", accepted.header("Location").orElseThrow());
        assertEquals(404, TestImages.upload(u1(), TestImages.png(8, 8), "image/png",
                "image_category=general&is_intermediate=false&board_id=nope", Map.of()).status());
    }

    @Test
    void boardMembershipNeedsBoardWriteAndDirectImageOwnership() {
        String own = TestImages.board(u1(), "mine");
        String shared = TestImages.board(u1(), "shared");
        TestImages.visibility(u1(), shared, "shared");
        String pub = TestImages.board(u1(), "public");
        TestImages.visibility(u1(), pub, "public");
        String image1 = TestImages.uploadPng(u1(), null);
        String image2 = TestImages.uploadPng(u2(), null);

        TestResponse added = u1().post("/api/v1/board_images/", Map.of("board_id", own, "image_name", image1));
        assertEquals(201, added.status());
        assertEquals(Set.of(own, "none"), Set.copyOf(names(added.json().path("affected_boards"))));
        assertEquals(List.of(image1), names(added.json().path("added_images")));

        TestResponse toShared = u2().post("/api/v1/board_images/", Map.of("board_id", shared, "image_name", image2));
        assertEquals(403, toShared.status());
        assertEquals("Not authorized to modify this board", toShared.detail());
        assertEquals(403, u2().post("/api/v1/board_images/batch", Map.of("board_id", shared, "image_names", List.of(image2))).status());
        assertEquals(201, u2().post("/api/v1/board_images/", Map.of("board_id", pub, "image_name", image2)).status());

        TestResponse pull = u1().post("/api/v1/board_images/", Map.of("board_id", own, "image_name", image2));
        assertEquals(403, pull.status(), "owning the board is not enough to pull another user's image onto it");
        assertEquals("Not authorized to move this image", pull.detail());
        assertEquals(403, u1().post("/api/v1/board_images/batch", Map.of("board_id", own, "image_names", List.of(image1, image2))).status());
        assertEquals(own, u1().get("/api/v1/images/i/" + image1).json().path("board_id").asText(), "a refused batch changes nothing");
        assertEquals(201, admin().post("/api/v1/board_images/", Map.of("board_id", own, "image_name", image2)).status());

        TestResponse removed = u1().json("DELETE", "/api/v1/board_images/", Map.of("image_name", image1));
        assertEquals(201, removed.status());
        assertEquals(Set.of(own, "none"), Set.copyOf(names(removed.json().path("affected_boards"))));
        assertEquals(201, u1().post("/api/v1/board_images/batch/delete", Map.of("image_names", List.of(image2))).status());
        assertTrue(u2().get("/api/v1/images/i/" + image2).json().path("board_id").isNull());
        assertEquals(404, u1().post("/api/v1/board_images/", Map.of("board_id", "no-board", "image_name", image1)).status());
        assertEquals(401, world.anonymous().post("/api/v1/board_images/", Map.of("board_id", own, "image_name", image1)).status());
    }

    @Test
    void intermediatesAndUncategorizedDeletesAreScopedToTheCaller() {
        TestResponse i1 = TestImages.upload(u1(), TestImages.png(8, 8), "image/png", "image_category=general&is_intermediate=true", Map.of());
        TestResponse i2 = TestImages.upload(u2(), TestImages.png(8, 8), "image/png", "image_category=general&is_intermediate=true", Map.of());
        assertEquals(201, i1.status());
        assertEquals(201, i2.status());
        long mine = u1().get("/api/v1/images/intermediates").json().asLong();
        long all = admin().get("/api/v1/images/intermediates").json().asLong();
        assertTrue(mine >= 1 && all >= mine + 1, mine + " / " + all);
        TestResponse clear = u1().delete("/api/v1/images/intermediates");
        assertEquals(403, clear.status());
        assertEquals("Only admins can clear all intermediates", clear.detail());

        String loose1 = TestImages.uploadPng(u1(), null);
        String loose2 = TestImages.uploadPng(u2(), null);
        JsonNode deleted = u1().delete("/api/v1/images/uncategorized").json();
        assertTrue(names(deleted.path("deleted_images")).contains(loose1));
        assertFalse(names(deleted.path("deleted_images")).contains(loose2));
        assertEquals(200, u2().get("/api/v1/images/i/" + loose2).status());
        assertTrue(admin().delete("/api/v1/images/intermediates").json().asInt() >= 1);
        assertEquals(0, admin().get("/api/v1/images/intermediates").json().asLong());
    }

    @Test
    void fileBytesAreTheStoredPngAndUrlsMatch() {
        String image = TestImages.uploadPng(u1(), null);
        TestResponse full = u1().get("/api/v1/images/i/" + image + "/full");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(full.body(), 4));
        JsonNode urls = u1().get("/api/v1/images/i/" + image + "/urls").json();
        assertEquals(image, urls.path("image_name").asText());
        assertEquals("api/v1/images/i/" + image + "/full", urls.path("image_url").asText());
        assertEquals(501, u1().post("/api/v1/images/", Map.of("width", 8, "height", 8)).status());
        TestResponse head = u1().send("HEAD", "/api/v1/images/i/" + image + "/full", null, new byte[0]);
        assertEquals(200, head.status());
        assertEquals(Integer.toString(full.body().length), head.header("Content-Length").orElseThrow());
    }
}
