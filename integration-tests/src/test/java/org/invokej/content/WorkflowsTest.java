package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow library in multi-user mode: InvokeAI's test_workflows_multiuser.py (invokeai-multiuser.md §11.18) and the validation of invokeai-api-shapes.md §3. */
class WorkflowsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    static ObjectNode document(String name) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("name", name).put("author", "me").put("description", "about " + name).put("version", "1.0.0")
                .put("contact", "").put("tags", "SD1.5, text to image").put("notes", "");
        doc.putArray("exposedFields").addObject().put("nodeId", "n1").put("fieldName", "prompt");
        doc.putObject("meta").put("version", "3.0.0").put("category", "user");
        doc.putArray("nodes").addObject().put("id", "n1").put("type", "invocation");
        doc.putArray("edges");
        doc.put("unknown_top_level", "dropped");
        return doc;
    }

    static String create(TestClient client, String name) {
        TestResponse created = client.post("/api/v1/workflows/", Map.of("workflow", document(name)));
        assertEquals(200, created.status(), created.toString());
        return created.json().path("workflow_id").asText();
    }

    private static List<String> ids(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        List<String> ids = new ArrayList<>();
        listing.json().path("items").forEach(item -> ids.add(item.path("workflow_id").asText()));
        return ids;
    }

    @Test
    void routesNeedAToken() {
        assertEquals(401, world.anonymous().get("/api/v1/workflows/").status());
        assertEquals(401, world.anonymous().post("/api/v1/workflows/", Map.of("workflow", document("x"))).status());
        String id = create(world.user1.client(), "locked");
        assertEquals(401, world.anonymous().put("/api/v1/workflows/i/" + id + "/opened_at", null).status());
    }

    @Test
    void createdWorkflowIsPrivateOwnedAndCleaned() {
        TestResponse created = world.user1.client().post("/api/v1/workflows/", Map.of("workflow", document("Portrait")));
        JsonNode record = created.json();
        String id = record.path("workflow_id").asText();
        assertEquals(world.user1.userId(), record.path("user_id").asText());
        assertFalse(record.path("is_public").asBoolean());
        assertEquals("Portrait", record.path("name").asText());
        assertEquals(id, record.path("workflow").path("id").asText());
        assertFalse(record.path("workflow").has("unknown_top_level"));
        assertTrue(record.path("opened_at").isNull());
        JsonNode got = world.user1.client().get("/api/v1/workflows/i/" + id).json();
        assertTrue(got.has("thumbnail_url") && got.has("call_saved_workflow_compatibility"));
    }

    @Test
    void workflowsAreIsolatedBetweenUsers() {
        String id = create(world.user1.client(), "Isolated");
        assertTrue(ids(world.user1.client().get("/api/v1/workflows/?categories=user")).contains(id));
        assertFalse(ids(world.user2.client().get("/api/v1/workflows/?categories=user")).contains(id));
        assertFalse(ids(world.user2.client().get("/api/v1/workflows/")).contains(id));
        TestResponse read = world.user2.client().get("/api/v1/workflows/i/" + id);
        assertEquals(403, read.status());
        assertEquals("Not authorized to access this workflow", read.detail());
        assertTrue(ids(world.admin.client().get("/api/v1/workflows/")).contains(id));
    }

    @Test
    void onlyOwnerOrAdminUpdatesOrDeletes() {
        String id = create(world.user1.client(), "Guarded");
        ObjectNode changed = document("Changed").put("id", id);
        TestResponse update = world.user2.client().patch("/api/v1/workflows/i/" + id, Map.of("workflow", changed));
        assertEquals(403, update.status());
        assertEquals("Not authorized to update this workflow", update.detail());
        TestResponse delete = world.user2.client().delete("/api/v1/workflows/i/" + id);
        assertEquals(403, delete.status());
        assertEquals("Not authorized to delete this workflow", delete.detail());
        assertEquals(403, world.user2.client().put("/api/v1/workflows/i/" + id + "/opened_at", null).status());
        assertEquals(403, world.user2.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", true)).status());

        TestResponse updated = world.user1.client().patch("/api/v1/workflows/i/ignored-path-id", Map.of("workflow", changed));
        assertEquals(200, updated.status(), "the body's id selects the workflow, as in InvokeAI");
        assertEquals("Changed", updated.json().path("name").asText());
        assertEquals(200, world.user1.client().put("/api/v1/workflows/i/" + id + "/opened_at", null).status());
        assertFalse(world.user1.client().get("/api/v1/workflows/i/" + id).json().path("opened_at").isNull());
        assertTrue(ids(world.user1.client().get("/api/v1/workflows/?has_been_opened=true")).contains(id));

        assertEquals(200, world.user1.client().delete("/api/v1/workflows/i/" + id).status());
        assertEquals(404, world.user1.client().get("/api/v1/workflows/i/" + id).status());
        String other = create(world.user1.client(), "Admin removes");
        assertEquals(200, world.admin.client().delete("/api/v1/workflows/i/" + other).status());
    }

    @Test
    void publishingSharesReadOnlyAndTagsIt() {
        String id = create(world.user1.client(), "Published");
        TestResponse published = world.user1.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", true));
        assertEquals(200, published.status());
        assertTrue(published.json().path("is_public").asBoolean());
        assertEquals("SD1.5, text to image, shared", published.json().path("workflow").path("tags").asText());

        assertTrue(ids(world.user2.client().get("/api/v1/workflows/?is_public=true")).contains(id));
        assertFalse(ids(world.user2.client().get("/api/v1/workflows/")).contains(id), "the default listing is own + default only");
        assertTrue(ids(world.user1.client().get("/api/v1/workflows/")).contains(id), "still in the owner's own list");
        assertEquals(200, world.user2.client().get("/api/v1/workflows/i/" + id).status());
        assertEquals(403, world.user2.client().delete("/api/v1/workflows/i/" + id).status());

        JsonNode unpublished = world.user1.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", false)).json();
        assertEquals("SD1.5, text to image", unpublished.path("workflow").path("tags").asText());
        assertEquals(403, world.user2.client().get("/api/v1/workflows/i/" + id).status());
    }

    @Test
    void listingPagesFiltersAndCounts() {
        TestClient client = world.user2.client();
        String a = create(client, "Alpha search");
        String b = create(client, "beta");
        JsonNode page = client.get("/api/v1/workflows/?page=0&per_page=1&order_by=name&direction=ASC").json();
        assertEquals(1, page.path("per_page").asInt());
        assertTrue(page.path("total").asInt() >= 2);
        assertEquals(page.path("total").asInt(), page.path("pages").asInt());
        JsonNode all = client.get("/api/v1/workflows/").json();
        assertEquals(1, all.path("pages").asInt());
        assertEquals(all.path("total").asInt(), all.path("per_page").asInt());
        assertEquals(List.of(a), ids(client.get("/api/v1/workflows/?query=alpha%20SEARCH")));
        JsonNode item = all.path("items").get(0);
        assertFalse(item.has("workflow"), "list items carry no document");
        assertEquals("user", item.path("category").asText());
        assertTrue(ids(client.get("/api/v1/workflows/?tags=text%20to%20image")).containsAll(List.of(a, b)));
        assertEquals(List.of(), ids(client.get("/api/v1/workflows/?tags=nothing-like-it")));
        assertTrue(client.get("/api/v1/workflows/tags").json().toString().contains("SD1.5"));
        assertTrue(client.get("/api/v1/workflows/counts_by_tag?tags=SD1.5").json().path("SD1.5").asInt() >= 2);
        assertTrue(client.get("/api/v1/workflows/counts_by_category?categories=user").json().path("user").asInt() >= 2);
        assertEquals(422, client.get("/api/v1/workflows/?order_by=size").status());
        assertEquals(422, client.get("/api/v1/workflows/?categories=mine").status());
    }

    @Test
    void badDocumentsAre422() {
        TestClient client = world.user1.client();
        for (String field : List.of("name", "author", "description", "version", "contact", "tags", "notes",
                "exposedFields", "meta", "nodes", "edges")) {
            ObjectNode missing = document("x");
            missing.remove(field);
            TestResponse response = client.post("/api/v1/workflows/", Map.of("workflow", missing));
            assertEquals(422, response.status(), field);
            assertTrue(response.detail().contains(field), response.detail());
        }
        ObjectNode badVersion = document("x");
        ((ObjectNode) badVersion.path("meta")).put("version", "three");
        assertEquals(422, client.post("/api/v1/workflows/", Map.of("workflow", badVersion)).status());
        ObjectNode twoReturns = document("x");
        for (int i = 0; i < 2; i++) {
            twoReturns.withArray("nodes").addObject().put("type", "invocation").putObject("data").put("type", "workflow_return");
        }
        assertEquals(422, client.post("/api/v1/workflows/", Map.of("workflow", twoReturns)).status());
        ObjectNode nodesNotObjects = document("x");
        nodesNotObjects.putArray("nodes").add(1);
        assertEquals(422, client.post("/api/v1/workflows/", Map.of("workflow", nodesNotObjects)).status());
        assertEquals(422, client.post("/api/v1/workflows/", Map.of("workflow", "text")).status());
        assertEquals(422, client.post("/api/v1/workflows/", Map.of()).status());
        assertEquals(422, client.post("/api/v1/workflows/", "{broken").status());
        ObjectNode defaults = document("x");
        ((ObjectNode) defaults.path("meta")).put("category", "default");
        assertEquals(400, client.post("/api/v1/workflows/", Map.of("workflow", defaults)).status());
        assertEquals(422, client.patch("/api/v1/workflows/i/x", Map.of("workflow", document("no id"))).status());
        assertEquals(404, client.patch("/api/v1/workflows/i/x", Map.of("workflow", document("gone").put("id", "nope"))).status());
    }
}
