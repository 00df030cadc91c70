package org.invokej.socketio;

import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Open sockets follow their user's access as the database has it: deactivation, a password change and
 * deletion end them ({@code 41}) at once when made through the API, and within the re-check interval
 * when made by another process ({@code bin/invoke-usermod}); a role change moves them into or out of
 * the admin room.
 */
class SocketReauthorisationTest {

    private static final int REVALIDATION_SECONDS = 1;

    @TempDir
    Path root;

    private TestServer server;
    private TestAccounts accounts;
    private TestAccounts.Account admin;

    @BeforeEach
    void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4",
                "socket_revalidation_seconds", String.valueOf(REVALIDATION_SECONDS)));
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TestAccounts.Account user(boolean isAdmin) {
        return accounts.create(admin, "u" + UUID.randomUUID().toString().substring(0, 8) + "@test.com", "U", isAdmin);
    }

    private TestSocket socket(TestAccounts.Account account) {
        return TestSocket.open(server.server().uri()).connectWithToken(account.token()).subscribe("default");
    }

    private void publish(String name, Audience audience) {
        server.server().events().publish(new ServerEvent(name, TestPayload.of(Map.of()), audience));
    }

    /** The socket's next message is the server's DISCONNECT, and nothing reaches it afterwards. */
    private void assertDisconnected(TestSocket socket, Duration within, String why) {
        assertEquals("41", socket.poll(within).orElse("nothing"), why);
        publish("after", new Audience.Everyone());
        assertTrue(socket.poll(Duration.ofMillis(300)).isEmpty(), why + ": no event after the disconnect");
    }

    private static void assertStillConnected(TestSocket socket, String marker) {
        assertEquals(marker, socket.nextEvent().get(0).asText());
    }

    @Test
    void deactivationThroughTheApiDisconnectsEverySocketOfTheUserAtOnce() {
        TestAccounts.Account user = user(false);
        TestAccounts.Account bystander = user(false);
        try (TestSocket first = socket(user); TestSocket second = socket(user); TestSocket unaffected = socket(bystander)) {
            accounts.setActive(admin, user.userId(), false);
            assertDisconnected(first, Duration.ofMillis(500), "deactivated");
            assertDisconnected(second, Duration.ofMillis(500), "deactivated, second socket");
            assertStillConnected(unaffected, "after");
            assertTrue(first.awaitClose(Duration.ofSeconds(10)).isPresent(),
                    "a client that does not close after the 41 is closed after the grace period");
        }
    }

    @Test
    void aPasswordChangeEndsTheOldSessionsSocketsAndTheReplacementTokenConnects() {
        TestAccounts.Account user = user(false);
        try (TestSocket socket = socket(user)) {
            TestResponse changed = user.client().patch("/api/v1/auth/me",
                    Map.of("current_password", TestAccounts.PASSWORD, "new_password", "NewPass456"));
            assertEquals(200, changed.status(), changed.toString());
            assertDisconnected(socket, Duration.ofMillis(500), "own password changed");
            String replacement = changed.header("X-Refreshed-Token").orElseThrow();
            try (TestSocket again = TestSocket.open(server.server().uri()).connectWithToken(replacement)) {
                publish("welcome", new Audience.User(user.userId()));
                assertStillConnected(again, "welcome");
            }
        }
        TestAccounts.Account other = user(false);
        try (TestSocket socket = socket(other)) {
            assertEquals(200, admin.client().patch("/api/v1/auth/users/" + other.userId(), Map.of("password", "Reset1234")).status());
            assertDisconnected(socket, Duration.ofMillis(500), "password set by an administrator");
        }
    }

    @Test
    void deletionDisconnectsAtOnce() {
        TestAccounts.Account user = user(false);
        try (TestSocket socket = socket(user)) {
            assertEquals(204, admin.client().delete("/api/v1/auth/users/" + user.userId()).status());
            assertDisconnected(socket, Duration.ofMillis(500), "deleted");
        }
    }

    @Test
    void aDemotedSocketLeavesTheAdminRoomAndSubscribingDoesNotBringItBack() {
        TestAccounts.Account second = user(true);
        try (TestSocket socket = socket(second)) {
            publish("download_started", new Audience.Admins());
            assertStillConnected(socket, "download_started");

            assertEquals(200, admin.client().patch("/api/v1/auth/users/" + second.userId(), Map.of("is_admin", false)).status());
            publish("download_complete", new Audience.Admins());
            publish("marker", new Audience.Everyone());
            assertStillConnected(socket, "marker");

            socket.subscribe("default");
            publish("download_error", new Audience.Admins());
            publish("marker", new Audience.Everyone());
            assertStillConnected(socket, "marker");
            assertFalse(socket.isClosed(), "a demotion does not disconnect");
        }
    }

    @Test
    void aPromotedSocketJoinsTheAdminRoom() {
        TestAccounts.Account user = user(false);
        try (TestSocket socket = socket(user)) {
            assertEquals(200, admin.client().patch("/api/v1/auth/users/" + user.userId(), Map.of("is_admin", true)).status());
            publish("model_install_started", new Audience.Admins());
            assertStillConnected(socket, "model_install_started");
        }
    }

    @Test
    void changesFromTheCommandLineReachOpenSocketsWithinTheInterval() {
        TestAccounts.Account user = user(false);
        TestAccounts.Account second = user(true);
        try (TestSocket userSocket = socket(user); TestSocket adminSocket = socket(second)) {
            usermod("-e", second.email(), "--no-admin");
            usermod("-e", user.email(), "--deactivate", "--force");
            long done = System.nanoTime();
            assertDisconnected(userSocket, Duration.ofSeconds(REVALIDATION_SECONDS * 3L + 2), "deactivated by invoke-usermod");
            long seconds = (System.nanoTime() - done) / 1_000_000_000L;
            assertTrue(seconds <= REVALIDATION_SECONDS * 3L + 2, "within the interval, not InvokeAI's 30 s: " + seconds + " s");

            assertStillConnected(adminSocket, "after");
            publish("download_started", new Audience.Admins());
            publish("marker", new Audience.Everyone());
            assertStillConnected(adminSocket, "marker");
        }
    }

    private void usermod(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        Scripts.Result result = Scripts.run("invoke-usermod", all, Map.of(), null, Duration.ofMinutes(2));
        assertEquals(0, result.exitCode(), result.toString());
    }
}
