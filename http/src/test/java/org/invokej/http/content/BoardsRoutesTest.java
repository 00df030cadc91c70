package org.invokej.http.content;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/boards}: create, list, read, change, delete, and who sees which board. */
@ServerTest
class BoardsRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestUser owner;
    private final TestUser other;
    private final TestUser admin;

    BoardsRoutesTest(URI uri) {
        TestClient anonymous = RouteTestServer.client(uri);
        this.owner = CORE.caller(anonymous, "owner", false);
        this.other = CORE.caller(anonymous, "other", false);
        this.admin = CORE.caller(anonymous, "admin", true);
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
    void anOwnerCreatesRenamesAndDeletesABoard() {
        TestResponse created = owner.client().post("/api/v1/boards/?board_name=Cats", null);
        assertEquals(201, created.status(), created.toString());
        String id = created.json().path("board_id").asText();
        assertEquals("Cats", created.json().path("board_name").asText());
        assertEquals(owner.userId(), created.json().path("user_id").asText());

        TestResponse renamed = owner.client().patch("/api/v1/boards/" + id, Map.of("board_name", "Dogs"));
        assertEquals(201, renamed.status(), renamed.toString());
        assertEquals("Dogs", owner.client().get("/api/v1/boards/" + id).json().path("board_name").asText());

        TestResponse deleted = owner.client().delete("/api/v1/boards/" + id);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(id, deleted.json().path("board_id").asText());
        assertEquals(404, owner.client().get("/api/v1/boards/" + id).status());
    }

    @Test
    void aPrivateBoardIsTheOwnersAndTheAdministratorsOnly() {
        String id = TestImages.board(owner.client(), "Private");
        assertEquals(403, other.client().get("/api/v1/boards/" + id).status());
        assertEquals(403, other.client().patch("/api/v1/boards/" + id, Map.of("board_name", "Mine now")).status());
        assertEquals(403, other.client().delete("/api/v1/boards/" + id).status());
        assertFalse(ids(other.client().get("/api/v1/boards/?all=true")).contains(id));

        assertEquals(200, admin.client().get("/api/v1/boards/" + id).status());
        assertTrue(ids(admin.client().get("/api/v1/boards/?all=true")).contains(id));
        assertEquals("Private", owner.client().get("/api/v1/boards/" + id).json().path("board_name").asText(), "refusals changed nothing");
    }

    @Test
    void aSharedBoardIsSeenByEveryoneButManagedByItsOwner() {
        String id = TestImages.board(owner.client(), "Shared");
        TestImages.visibility(owner.client(), id, "shared");
        assertEquals(200, other.client().get("/api/v1/boards/" + id).status());
        assertTrue(ids(other.client().get("/api/v1/boards/?all=true")).contains(id));
        assertEquals(403, other.client().patch("/api/v1/boards/" + id, Map.of("board_name", "Taken")).status());
        assertEquals(403, other.client().delete("/api/v1/boards/" + id).status());
        assertEquals(201, admin.client().patch("/api/v1/boards/" + id, Map.of("archived", true)).status(), "administrators manage any board");
        assertFalse(ids(owner.client().get("/api/v1/boards/?all=true")).contains(id), "archived boards are left out by default");
        assertTrue(ids(owner.client().get("/api/v1/boards/?all=true&include_archived=true")).contains(id));
    }

    @Test
    void listingsPageAndSortByName() {
        TestUser lister = CORE.caller(RouteTestServer.client(owner.client().base()), "lister", false);
        for (String name : List.of("b", "C", "a")) {
            TestImages.board(lister.client(), name);
        }
        TestResponse page = lister.client().get("/api/v1/boards/?offset=0&limit=2&order_by=board_name&direction=ASC");
        assertEquals(200, page.status(), page.toString());
        List<String> names = new ArrayList<>();
        page.json().path("items").forEach(board -> names.add(board.path("board_name").asText()));
        assertEquals(List.of("a", "b"), names);
        assertEquals(3, lister.client().get("/api/v1/boards/?all=true").json().size());
    }

    @Test
    void badRequestsAre4xxWithADetail() {
        String id = TestImages.board(owner.client(), "Target");
        for (TestResponse response : List.of(
                owner.client().post("/api/v1/boards/", null),
                owner.client().post("/api/v1/boards/?board_name=", null),
                owner.client().post("/api/v1/boards/?board_name=" + "x".repeat(301), null),
                owner.client().get("/api/v1/boards/"),
                owner.client().get("/api/v1/boards/?offset=zero&limit=2"),
                owner.client().get("/api/v1/boards/?all=true&order_by=colour"),
                owner.client().patch("/api/v1/boards/" + id, Map.of("board_visibility", "everyone")),
                owner.client().patch("/api/v1/boards/" + id, Map.of("no_such_field", 1)),
                owner.client().patch("/api/v1/boards/" + id, "{"),
                owner.client().get("/api/v1/boards/no-such-board"))) {
            assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
            assertFalse(response.detail().isBlank(), response.toString());
        }
        assertEquals("Target", owner.client().get("/api/v1/boards/" + id).json().path("board_name").asText());
        assertEquals(401, RouteTestServer.client(owner.client().base()).get("/api/v1/boards/?all=true").status());
    }

    private static List<String> ids(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        List<String> ids = new ArrayList<>();
        for (JsonNode board : listing.json()) {
            ids.add(board.path("board_id").asText());
        }
        return ids;
    }
}
