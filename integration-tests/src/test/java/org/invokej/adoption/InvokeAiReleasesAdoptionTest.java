package org.invokej.adoption;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roots as three InvokeAI releases leave them (built by {@link InvokeAiRootBuilder}) open in place: the
 * single-user ones' content becomes the system user's, seen by administrators only once accounts are on;
 * the multi-user one's accounts log in with their passwords and see exactly their content.
 */
class InvokeAiReleasesAdoptionTest {

    @org.junit.jupiter.api.io.TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(InvokeAiRootBuilder.Release.class)
    void opensTheRootInPlaceKeepingEveryRow(InvokeAiRootBuilder.Release release) throws Exception {
        InvokeAiRootBuilder.Built built = InvokeAiRootBuilder.build(release, work.resolve("root"));
        AdoptedRoot adopted = AdoptedRoot.at(work);
        byte[] yaml = AdoptedRoot.read(adopted.root.resolve("invokeai.yaml"));
        DatabaseFacts facts = adopted.before;
        assertEquals(List.of(5, 8, 4, 3, 4, 5), List.of(facts.boards().size(), facts.images().size(), facts.workflows().size(),
                facts.stylePresets().size(), facts.queueItems().size(), facts.models().size()), "the scenario was built");
        if (release.multiUser) {
            InvokeAiRootBuilder.Account alice = built.account("alice");
            InvokeAiRootBuilder.Account bob = built.account("bob");
            assertEquals(3, facts.boardsVisibleTo(alice.userId(), false).size(), "alice: her two boards and bob's shared one");
            assertEquals(4, facts.galleryOf(alice.userId(), false).size(), "alice's images, the missing one included");
            assertEquals(2, facts.galleryOf(bob.userId(), false).size());
            assertTrue(facts.boardsVisibleTo(alice.userId(), false).stream().noneMatch(
                    board -> facts.boardsVisibleTo(bob.userId(), false).contains(board)
                            && facts.boards().stream().anyMatch(b -> b.boardId().equals(board) && b.visibility().equals("private"))),
                    "no private board is seen by both");
        }
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger serverLog = Logger.getLogger("org.invokej.launcher"); // the server and its parts (ContentParts reports missing files)
        serverLog.addHandler(handler);
        try (TestServer server = adopted.start(Map.of())) {
            if (release.multiUser) {
                for (InvokeAiRootBuilder.Account account : built.accounts()) {
                    TestAccounts.Account session = AdoptedRoot.login(server, account.email(), account.password());
                    assertEquals(account.userId(), session.userId());
                    adopted.assertViewOf(session.client(), account.userId(), account.admin());
                    adopted.assertFilesServed(session.client(), account.userId(), account.admin());
                }
                TestResponse system = server.client().post("/api/v1/auth/login",
                        Map.of("email", "system@system.invokeai", "password", ""));
                assertTrue(system.status() == 401 || system.status() == 422, system.toString());
            } else {
                // single-user: everyone is the administrator and sees everything
                adopted.assertViewOf(server.client(), "system", true);
                adopted.assertFilesServed(server.client(), "system", true);
            }
            TestResponse model = adminClient(server, built).get("/api/v2/models/i/" + built.diffusersModelKey());
            assertEquals(200, model.status(), model.toString());
            assertEquals("fp16", model.json().path("repo_variant").asText(), "InvokeAI's own fields are listed: " + model.text());
        } finally {
            serverLog.removeHandler(handler);
        }
        assertTrue(warnings.stream().anyMatch(message -> message != null && message.startsWith("1 image(s) in the database have no file")
                && message.contains(built.missingImage())), "the missing file is reported at start: " + warnings);
        Path backup = adopted.ourBackup(Set.of());
        adopted.assertBackupIdenticalToOriginal(backup);
        adopted.assertRowsKept(release.label);
        AdoptedRoot.assertUnchanged(yaml, adopted.root.resolve("invokeai.yaml"), "invokeai.yaml");
        if (release == InvokeAiRootBuilder.Release.V6_0) {
            // the one UI-state row became InvokeAI 6.12's per-user rows, the system user's
            assertEquals(Map.of("gallery", "{\"selection\": []}", "ui", "{\"activeTab\": \"canvas\"}"), clientState(adopted.database));
        }

        // A second start, now with accounts: an ordinary start (no new backup, no row changes); the
        // content of the single-user era is the system user's, which only administrators see.
        Map<String, Long> counts = countsWithoutAuditLog(adopted.database);
        try (TestServer server = adopted.start(Map.of("multiuser", "true"))) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = release.multiUser
                    ? AdoptedRoot.login(server, built.account("admin").email(), built.account("admin").password())
                    : accounts.setupAdmin("new-admin@example.com");
            adopted.assertViewOf(admin.client(), admin.userId(), true);
            TestAccounts.Account newcomer = accounts.create(admin, "newcomer@example.com", "Newcomer", false);
            adopted.assertViewOf(newcomer.client(), newcomer.userId(), false);
            if (!release.multiUser) {
                assertEquals(0, newcomer.client().get("/api/v1/images/?limit=1000").json().path("items").size(),
                        "single-user images are not a new user's");
            }
        }
        assertEquals(backup, adopted.ourBackup(Set.of()));
        Map<String, Long> again = countsWithoutAuditLog(adopted.database);
        again.remove("users");
        counts.remove("users");
        assertEquals(counts, again, "restarting changes no rows (besides the accounts this test made)");
    }

    private static org.invokej.testing.TestClient adminClient(TestServer server, InvokeAiRootBuilder.Built built) {
        if (!built.release().multiUser) {
            return server.client();
        }
        InvokeAiRootBuilder.Account admin = built.account("admin");
        return AdoptedRoot.login(server, admin.email(), admin.password()).client();
    }

    private static Map<String, Long> countsWithoutAuditLog(Path database) {
        Map<String, Long> counts = new TreeMap<>(DatabaseFacts.rowCounts(database));
        counts.remove("audit_log");
        return counts;
    }

    private static Map<String, String> clientState(Path database) throws SQLException {
        Map<String, String> values = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rows = connection.createStatement().executeQuery("SELECT key, value FROM client_state WHERE user_id = 'system'")) {
            while (rows.next()) {
                values.put(rows.getString(1), rows.getString(2));
            }
        }
        assertTrue(Files.exists(database));
        return values;
    }
}
