package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Beyond InvokeAI: administrators hand a board, or all of a user's content, to another user; each transfer is audited. */
class TransferTest {

    @TempDir
    static Path root;
    private static ContentWorld world;
    private static TestAccounts accounts;

    @BeforeAll
    static void start() {
        world = new ContentWorld(root);
        accounts = new TestAccounts(world.server);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void aBoardGoesWithItsOwnersImagesButNotGuestsImages() {
        String board = TestImages.board(world.user1.client(), "handed over");
        TestImages.visibility(world.user1.client(), board, "public");
        String owners = TestImages.uploadPng(world.user1.client(), board);
        String guests = TestImages.uploadPng(world.user2.client(), board);
        TestImages.visibility(world.user1.client(), board, "private");

        TestResponse refused = world.user1.client().post("/api/v1/boards/" + board + "/transfer", Map.of("to_user_id", world.user2.userId()));
        assertEquals(403, refused.status());
        TestResponse moved = world.admin.client().post("/api/v1/boards/" + board + "/transfer", Map.of("to_user_id", world.user2.userId()));
        assertEquals(200, moved.status(), moved.toString());
        assertEquals(world.user2.userId(), moved.json().path("user_id").asText());

        assertEquals(403, world.user1.client().get("/api/v1/boards/" + board).status());
        assertEquals(200, world.user2.client().get("/api/v1/images/i/" + owners).status());
        assertEquals(403, world.user1.client().get("/api/v1/images/i/" + owners).status(), "the owner's images went with the board");
        assertEquals(2, world.user2.client().get("/api/v1/images/?board_id=" + board).json().path("total").asInt());
        assertEquals(404, world.admin.client().post("/api/v1/boards/nope/transfer", Map.of("to_user_id", world.user2.userId())).status());
        assertEquals(404, world.admin.client().post("/api/v1/boards/" + board + "/transfer", Map.of("to_user_id", "nobody")).status());
        assertEquals(422, world.admin.client().post("/api/v1/boards/" + board + "/transfer", Map.of()).status());
        assertTrue(guests.length() > 0);
        assertTrue(audit().contains("board " + board), audit());
    }

    @Test
    void deletingAUserWithTransferMovesEverythingThenDeletes() {
        TestAccounts.Account leaving = accounts.create(world.admin, "leaving@test.com", "Leaving", false);
        String board = TestImages.board(leaving.client(), "leaving's board");
        String image = TestImages.uploadPng(leaving.client(), board);
        String workflow = WorkflowsTest.create(leaving.client(), "leaving's workflow");

        TestResponse self = world.admin.client().delete("/api/v1/auth/users/" + leaving.userId() + "?transfer_to=" + leaving.userId());
        assertEquals(400, self.status());
        TestResponse unknown = world.admin.client().delete("/api/v1/auth/users/" + leaving.userId() + "?transfer_to=nobody");
        assertEquals(404, unknown.status());
        assertEquals(200, world.admin.client().get("/api/v1/auth/users/" + leaving.userId()).status(), "a failed transfer deletes nobody");
        assertEquals(403, world.user2.client().delete("/api/v1/auth/users/" + leaving.userId() + "?transfer_to=" + world.user2.userId()).status());

        assertEquals(204, world.admin.client().delete("/api/v1/auth/users/" + leaving.userId() + "?transfer_to=" + world.user2.userId()).status());
        assertEquals(404, world.admin.client().get("/api/v1/auth/users/" + leaving.userId()).status());
        assertEquals(world.user2.userId(), world.user2.client().get("/api/v1/boards/" + board).json().path("user_id").asText());
        assertEquals(200, world.user2.client().get("/api/v1/images/i/" + image + "/full").status());
        assertEquals(world.user2.userId(), world.user2.client().get("/api/v1/workflows/i/" + workflow).json().path("user_id").asText());
        String log = audit();
        assertTrue(log.contains("1 board(s), 1 image(s), 1 workflow(s)"), log);
        assertTrue(log.contains("user_deleted"), log);
    }

    @Test
    void userWideTransferIsForAdminsAndGuarded() {
        TestAccounts.Account giver = accounts.create(world.admin, "giver@test.com", "Giver", false);
        TestImages.uploadPng(giver.client(), null);
        assertEquals(403, giver.client().post("/api/v1/auth/users/" + giver.userId() + "/transfer",
                Map.of("to_user_id", world.user1.userId())).status());
        assertEquals(400, world.admin.client().post("/api/v1/auth/users/" + giver.userId() + "/transfer",
                Map.of("to_user_id", giver.userId())).status());
        assertEquals(404, world.admin.client().post("/api/v1/auth/users/nobody/transfer",
                Map.of("to_user_id", world.user1.userId())).status());
        JsonNode moved = world.admin.client().post("/api/v1/auth/users/" + giver.userId() + "/transfer",
                Map.of("to_user_id", world.user1.userId())).json();
        assertEquals(1, moved.path("images").asInt());
        assertEquals(0, giver.client().get("/api/v1/images/?limit=-1").json().path("total").asInt());
    }

    @Test
    void theLastAdminAndSystemAreStillProtectedWhenTransferring() {
        assertEquals(400, world.admin.client().delete("/api/v1/auth/users/" + world.admin.userId()
                + "?transfer_to=" + world.user1.userId()).status());
        assertEquals(400, world.admin.client().delete("/api/v1/auth/users/system?transfer_to=" + world.user1.userId()).status());
    }

    private static String audit() {
        return world.admin.client().get("/api/v1/audit?limit=500").text();
    }
}
