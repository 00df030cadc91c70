package org.invokej.http.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.TestUser;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
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

/** {@code /api/v1/workflows}: the library's CRUD, its listing, and sharing a workflow with everyone. */
@ServerTest
class WorkflowsRoutesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient anonymous;
    private final TestUser owner;
    private final TestUser other;

    WorkflowsRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
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

    static ObjectNode document(String name) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("name", name).put("author", "me").put("description", "about " + name).put("version", "1.0.0")
                .put("contact", "").put("tags", "SD1.5, text to image").put("notes", "");
        doc.putArray("exposedFields").addObject().put("nodeId", "n1").put("fieldName", "prompt");
        doc.putObject("meta").put("version", "3.0.0").put("category", "user");
        doc.putArray("nodes").addObject().put("id", "n1").put("type", "invocation");
        doc.putArray("edges");
        return doc;
    }

    private static String create(TestUser caller, String name) {
        TestResponse created = caller.client().post("/api/v1/workflows/", Map.of("workflow", document(name)));
        assertEquals(200, created.status(), created.toString());
        return created.json().path("workflow_id").asText();
    }

    @Test
    void anOwnerCreatesReadsUpdatesAndDeletesAWorkflow() {
        String id = create(owner, "Portrait");
        TestResponse read = owner.client().get("/api/v1/workflows/i/" + id);
        assertEquals(200, read.status(), read.toString());
        assertEquals("Portrait", read.json().path("name").asText());
        assertEquals(id, read.json().path("workflow").path("id").asText(), "the document carries its id");
        assertFalse(read.json().path("is_public").asBoolean(), "private by default in multi-user mode");

        ObjectNode changed = document("Landscape").put("id", id);
        TestResponse updated = owner.client().patch("/api/v1/workflows/i/" + id, Map.of("workflow", changed));
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("Landscape", owner.client().get("/api/v1/workflows/i/" + id).json().path("name").asText());
        assertTrue(names(owner.client().get("/api/v1/workflows/?categories=user")).contains("Landscape"));

        assertEquals(200, owner.client().delete("/api/v1/workflows/i/" + id).status());
        assertEquals(404, owner.client().get("/api/v1/workflows/i/" + id).status());
    }

    @Test
    void aWorkflowIsPrivateUntilItsOwnerSharesIt() {
        String id = create(owner, "Secret sauce");
        assertEquals(403, other.client().get("/api/v1/workflows/i/" + id).status());
        assertFalse(names(other.client().get("/api/v1/workflows/")).contains("Secret sauce"));
        assertEquals(403, other.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", true)).status());

        TestResponse shared = owner.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", true));
        assertEquals(200, shared.status(), shared.toString());
        assertTrue(shared.json().path("is_public").asBoolean());
        assertEquals(200, other.client().get("/api/v1/workflows/i/" + id).status());
        assertTrue(names(other.client().get("/api/v1/workflows/?is_public=true")).contains("Secret sauce"));

        ObjectNode hijack = document("Mine now").put("id", id);
        assertEquals(403, other.client().patch("/api/v1/workflows/i/" + id, Map.of("workflow", hijack)).status(), "shared means readable");
        assertEquals(403, other.client().delete("/api/v1/workflows/i/" + id).status());
        assertEquals("Secret sauce", owner.client().get("/api/v1/workflows/i/" + id).json().path("name").asText());
    }

    @Test
    void listingsCountAndFilter() {
        TestUser lister = CORE.caller(anonymous, "lister", false);
        create(lister, "Alpha");
        create(lister, "beta");
        TestResponse listing = lister.client().get("/api/v1/workflows/?order_by=name&direction=ASC&per_page=10");
        assertEquals(List.of("Alpha", "beta"), names(listing));
        assertEquals(2, listing.json().path("total").asInt());
        assertEquals(List.of("beta"), names(lister.client().get("/api/v1/workflows/?query=BETA")));
        TestResponse counts = lister.client().get("/api/v1/workflows/counts_by_category?categories=user");
        assertEquals(200, counts.status(), counts.toString());
        assertEquals(2, counts.json().path("user").asInt());
    }

    @Test
    void badDocumentsAndParametersAre4xxWithADetail() {
        ObjectNode noName = document("x");
        noName.remove("name");
        ObjectNode badVersion = document("x");
        ((ObjectNode) badVersion.path("meta")).put("version", "three");
        ObjectNode builtIn = document("x");
        ((ObjectNode) builtIn.path("meta")).put("category", "default");
        int before = names(owner.client().get("/api/v1/workflows/")).size();
        for (TestResponse response : List.of(
                owner.client().post("/api/v1/workflows/", Map.of("workflow", noName)),
                owner.client().post("/api/v1/workflows/", Map.of("workflow", badVersion)),
                owner.client().post("/api/v1/workflows/", Map.of("workflow", builtIn)),
                owner.client().post("/api/v1/workflows/", Map.of("workflow", "text")),
                owner.client().post("/api/v1/workflows/", "{\"workflow\":"),
                owner.client().patch("/api/v1/workflows/i/anything", Map.of("workflow", document("no id"))),
                owner.client().get("/api/v1/workflows/?categories=everything"),
                owner.client().get("/api/v1/workflows/?per_page=0"),
                owner.client().get("/api/v1/workflows/counts_by_tag"),
                owner.client().get("/api/v1/workflows/i/no-such-workflow"))) {
            assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
            assertFalse(response.detail().isBlank(), response.toString());
        }
        assertEquals(before, names(owner.client().get("/api/v1/workflows/")).size());
    }

    private static List<String> names(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode item : listing.json().path("items")) {
            names.add(item.path("name").asText());
        }
        return names;
    }
}
