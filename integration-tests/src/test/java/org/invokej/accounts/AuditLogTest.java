package org.invokej.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditLogTest {

    @TempDir
    Path root;

    @Test
    void authAndAdministrationAreRecordedNewestFirstWithoutSecrets() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"))) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User", false);
            server.client().post("/api/v1/auth/login", Map.of("email", "user1@test.com", "password", "WrongSecret9"));
            admin.client().patch("/api/v1/auth/users/" + user.userId(), Map.of("is_admin", true, "display_name", "Promoted"));
            assertEquals(200, user.client().post("/api/v1/auth/logout", null).status());
            admin.client().patch("/api/v1/auth/users/" + user.userId(), Map.of("is_active", false, "password", "Another789"));
            admin.client().delete("/api/v1/auth/users/" + user.userId());

            JsonNode page = admin.client().get("/api/v1/audit?limit=100").json();
            List<String> actions = new ArrayList<>();
            page.path("items").forEach(item -> actions.add(item.path("action").asText()));
            assertEquals(List.of("user_deleted", "password_changed", "active_changed", "logout", "role_changed", "user_updated",
                    "login_failed", "login", "user_created", "login", "setup"), actions);
            assertEquals(page.path("total").asInt(), page.path("items").size());

            JsonNode role = page.path("items").get(4);
            assertEquals(user.userId(), page.path("items").get(3).path("actor_user_id").asText(), "the user logged themselves out");
            assertEquals(admin.userId(), role.path("actor_user_id").asText());
            assertEquals(user.userId(), role.path("target_user_id").asText());
            assertEquals("is_admin: false -> true", role.path("detail").asText());
            assertEquals("127.0.0.1", role.path("client_address").asText());
            assertTrue(role.path("occurred_at").asText().endsWith("Z"));

            JsonNode second = admin.client().get("/api/v1/audit?offset=1&limit=1").json();
            assertEquals(1, second.path("items").size());
            assertEquals("password_changed", second.path("items").get(0).path("action").asText());
            assertEquals(422, admin.client().get("/api/v1/audit?limit=0").status());
            assertEquals(422, admin.client().get("/api/v1/audit?offset=x").status());

            String everything = page.toString() + Files.readString(root.resolve("invokeai.yaml"));
            for (String secret : List.of(TestAccounts.PASSWORD, "WrongSecret9", "Another789", "$2b$", admin.token(), user.token())) {
                assertFalse(everything.contains(secret), "the audit log must not hold " + secret);
            }
        }
    }
}
