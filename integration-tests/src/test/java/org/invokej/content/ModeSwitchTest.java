package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A root used in single-user mode, then switched to multi-user (invokeai-multiuser.md §6.12): nothing is lost, everything made
 * before belongs to {@code system}; its boards and images are the administrators' to see, its workflows
 * everyone's to read; and an administrator can hand the legacy content to a real user.
 */
class ModeSwitchTest {

    @TempDir
    Path root;

    @Test
    void singleUserContentStaysOwnedBySystemAfterTheSwitch() {
        String board;
        String onBoard;
        String loose;
        String workflow;
        try (TestServer single = TestServer.start(root, Map.of("multiuser", "false"))) {
            TestClient anyone = single.client();
            board = TestImages.board(anyone, "from the old days");
            onBoard = TestImages.uploadPng(anyone, board);
            loose = TestImages.uploadPng(anyone, null);
            JsonNode created = anyone.post("/api/v1/workflows/", Map.of("workflow", WorkflowsTest.document("Legacy"))).json();
            workflow = created.path("workflow_id").asText();
            assertTrue(created.path("is_public").asBoolean(), "single-user workflows are public");
            assertEquals("system", created.path("user_id").asText());
            JsonNode boardDto = anyone.get("/api/v1/boards/" + board).json();
            assertEquals("system", boardDto.path("user_id").asText());
            assertTrue(boardDto.path("owner_username").isNull(), "no owner names in single-user mode");
            TestResponse full = anyone.get("/api/v1/images/i/" + onBoard + "/full");
            assertEquals("max-age=31536000", full.header("Cache-Control").orElseThrow());
        }
        try (TestServer multi = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"))) {
            TestAccounts accounts = new TestAccounts(multi);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            TestAccounts.Account user = accounts.create(admin, "user@test.com", "User", false);

            assertTrue(ids(admin.client().get("/api/v1/boards/?all=true").json(), "board_id").contains(board));
            assertEquals(200, admin.client().get("/api/v1/images/i/" + loose).status());
            assertEquals(List.of(onBoard), strings(admin.client().get("/api/v1/boards/" + board + "/image_names").json()));
            JsonNode adminList = admin.client().get("/api/v1/boards/?all=true").json();
            assertEquals("System", adminList.get(0).path("owner_username").asText());

            assertFalse(ids(user.client().get("/api/v1/boards/?all=true").json(), "board_id").contains(board));
            assertEquals(403, user.client().get("/api/v1/boards/" + board).status());
            assertEquals(403, user.client().get("/api/v1/images/i/" + loose).status());
            assertEquals(403, user.client().get("/api/v1/images/i/" + loose + "/full").status());
            assertEquals(0, user.client().get("/api/v1/images/?limit=-1").json().path("total").asInt());

            assertEquals(200, user.client().get("/api/v1/workflows/i/" + workflow).status(), "legacy workflows stay readable");
            assertTrue(ids(user.client().get("/api/v1/workflows/?is_public=true").json().path("items"), "workflow_id").contains(workflow));
            assertEquals(403, user.client().delete("/api/v1/workflows/i/" + workflow).status());

            // Beyond InvokeAI: the legacy content goes to a real person.
            JsonNode moved = admin.client().post("/api/v1/auth/users/system/transfer", Map.of("to_user_id", user.userId())).json();
            assertEquals(1, moved.path("boards").asInt());
            assertEquals(2, moved.path("images").asInt());
            assertEquals(1, moved.path("workflows").asInt());
            assertEquals(200, user.client().get("/api/v1/boards/" + board).status());
            assertEquals(200, user.client().get("/api/v1/images/i/" + loose + "/full").status());
            assertEquals(200, user.client().delete("/api/v1/workflows/i/" + workflow).status());
        }
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path(field).asText()));
        return ids;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
