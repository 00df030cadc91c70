package org.invokej.http.content;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.TestUser;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/board_images}: putting images on boards and taking them off, and who may. */
@ServerTest
class BoardImagesRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestUser owner;
    private final TestUser other;

    BoardImagesRoutesTest(URI uri) {
        TestClient anonymous = RouteTestServer.client(uri);
        this.owner = CORE.caller(anonymous, "owner", false);
        this.other = CORE.caller(anonymous, "other", false);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    @Test
    void anOwnerMovesTheirImageOntoTheirBoardAndOffAgain() {
        String board = TestImages.board(owner.client(), "Album");
        String image = TestImages.uploadPng(owner.client(), null);
        TestResponse added = owner.client().post("/api/v1/board_images/", Map.of("board_id", board, "image_name", image));
        assertEquals(201, added.status(), added.toString());
        assertEquals(image, added.json().path("added_images").get(0).asText());
        assertEquals(board, owner.client().get("/api/v1/images/i/" + image).json().path("board_id").asText());
        assertEquals(1, owner.client().get("/api/v1/boards/" + board).json().path("image_count").asInt());
        assertEquals(List.of(image), names(owner.client().get("/api/v1/boards/" + board + "/image_names")));

        TestResponse removed = owner.client().json("DELETE", "/api/v1/board_images/", Map.of("image_name", image));
        assertEquals(201, removed.status(), removed.toString());
        assertTrue(owner.client().get("/api/v1/images/i/" + image).json().path("board_id").isNull());
        assertEquals(0, owner.client().get("/api/v1/boards/" + board).json().path("image_count").asInt());
    }

    @Test
    void nobodyPutsImagesOnAnotherUsersPrivateBoardOrMovesAnotherUsersImages() {
        String board = TestImages.board(owner.client(), "Mine");
        String theirs = TestImages.uploadPng(other.client(), null);
        String mine = TestImages.uploadPng(owner.client(), null);
        assertEquals(403, other.client().post("/api/v1/board_images/", Map.of("board_id", board, "image_name", theirs)).status());
        assertEquals(403, owner.client().post("/api/v1/board_images/", Map.of("board_id", board, "image_name", theirs)).status(),
                "owning the board is not enough to take another user's image");
        assertEquals(201, owner.client().post("/api/v1/board_images/", Map.of("board_id", board, "image_name", mine)).status());
        assertEquals(403, other.client().json("DELETE", "/api/v1/board_images/", Map.of("image_name", mine)).status());
        assertEquals(List.of(mine), names(owner.client().get("/api/v1/boards/" + board + "/image_names")));
    }

    @Test
    void missingFieldsAndUnknownNamesAre4xxWithADetail() {
        String board = TestImages.board(owner.client(), "Target");
        String image = TestImages.uploadPng(owner.client(), null);
        for (TestResponse response : List.of(
                owner.client().post("/api/v1/board_images/", Map.of("board_id", board)),
                owner.client().post("/api/v1/board_images/", Map.of("image_name", image)),
                owner.client().post("/api/v1/board_images/", Map.of("board_id", "no-such-board", "image_name", image)),
                owner.client().post("/api/v1/board_images/", Map.of("board_id", board, "image_name", "no-such-image.png")),
                owner.client().post("/api/v1/board_images/batch", Map.of("board_id", board, "image_names", "not-a-list")),
                owner.client().post("/api/v1/board_images/", "null"))) {
            assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
            assertFalse(response.detail().isBlank(), response.toString());
        }
        assertTrue(names(owner.client().get("/api/v1/boards/" + board + "/image_names")).isEmpty());
    }

    private static List<String> names(TestResponse response) {
        assertEquals(200, response.status(), response.toString());
        List<String> names = new java.util.ArrayList<>();
        response.json().forEach(name -> names.add(name.asText()));
        return names;
    }
}
