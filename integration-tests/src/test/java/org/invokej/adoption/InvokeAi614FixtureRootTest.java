package org.invokej.adoption;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A copy of the real InvokeAI 6.14 root made by InvokeAI's own code ({@code shared/fixtures}), opened
 * by the real server: its accounts log in with their passwords and see their content.
 */
class InvokeAi614FixtureRootTest {

    private static final Map<String, String> PASSWORDS = Map.of(
            "admin@invoke.local", "InvokeAdmin-2026",
            "alice@invoke.local", "AlicePaints-42",
            "bob@invoke.local", "BobSketches-77");

    @TempDir
    Path work;

    /** From {@code invokej.invokeaiRoot}, {@code INVOKEJ_INVOKEAI_ROOT}, or beside the repository. */
    static Path fixtureRoot() {
        String configured = System.getProperty("invokej.invokeaiRoot", System.getenv("INVOKEJ_INVOKEAI_ROOT"));
        Path root;
        if (configured != null && !configured.isBlank()) {
            root = Path.of(configured);
        } else {
            Path repository = Path.of("").toAbsolutePath();
            while (repository != null && !Files.isDirectory(repository.resolve(".git")) && !Files.isRegularFile(repository.resolve(".git"))) {
                repository = repository.getParent();
            }
            root = (repository == null ? Path.of("..") : repository).resolve("../shared/fixtures/invokeai-6.14-root").normalize();
        }
        if (!Files.isRegularFile(root.resolve("databases/invokeai.db"))) {
            fail("The real InvokeAI 6.14 root is not at " + root.toAbsolutePath() + ": set -Dinvokej.invokeaiRoot=DIR or"
                    + " INVOKEJ_INVOKEAI_ROOT to the folder holding databases/invokeai.db");
        }
        return root;
    }

    @Test
    void everyAccountLogsInAndSeesItsContentAndNothingIsLost() {
        Path source = fixtureRoot();
        AdoptedRoot adopted = AdoptedRoot.copyOf(source, work);
        Set<String> invokeAiBackups = AdoptedRoot.fileNames(source.resolve("databases"));
        invokeAiBackups.remove("invokeai.db");
        byte[] yaml = AdoptedRoot.read(adopted.root.resolve("invokeai.yaml"));
        assertEquals(3, adopted.before.users().size(), "the README's three accounts");

        try (TestServer server = adopted.start(Map.of())) {
            for (DatabaseFacts.User user : adopted.before.users()) {
                TestAccounts.Account account = AdoptedRoot.login(server, user.email(), PASSWORDS.get(user.email()));
                assertEquals(user.userId(), account.userId());
                adopted.assertViewOf(account.client(), user.userId(), user.admin());
                adopted.assertFilesServed(account.client(), user.userId(), user.admin());
            }
            // the system account never authenticates
            TestResponse system = server.client().post("/api/v1/auth/login",
                    Map.of("email", "system@system.invokeai", "password", ""));
            assertTrue(system.status() == 401 || system.status() == 422, system.toString());
            TestAccounts.Account admin = AdoptedRoot.login(server, "admin@invoke.local", PASSWORDS.get("admin@invoke.local"));
            JsonNode models = admin.client().get("/api/v2/models/").json().path("models");
            assertEquals(4, models.size());
            // InvokeAI's checkpoint, diffusers folder and embedding do not run here; its LoRA (single-file, sd-1) is usable
            models.forEach(model -> assertEquals(model.path("type").asText().equals("lora"), model.path("runnable").asBoolean(),
                    model.toString()));
            JsonNode diffusers = stream(models).filter(m -> m.path("format").asText().equals("diffusers")).findFirst().orElseThrow();
            assertEquals("fp16", diffusers.path("repo_variant").asText(), "InvokeAI's own fields are listed: " + diffusers);
            String key = diffusers.path("key").asText();
            TestResponse delete = admin.client().delete("/api/v2/models/i/" + key);
            assertEquals(409, delete.status(), delete.toString());
            assertTrue(Files.isDirectory(adopted.root.resolve("models").resolve(key)), "the model's files are kept");
        }
        Path backup = adopted.ourBackup(invokeAiBackups);
        adopted.assertBackupIdenticalToOriginal(backup);
        adopted.assertRowsKept("6.14 fixture");
        AdoptedRoot.assertUnchanged(yaml, adopted.root.resolve("invokeai.yaml"), "invokeai.yaml");

        // A second start is an ordinary one: no new backup, same rows, same views.
        Map<String, Long> counts = new java.util.TreeMap<>(DatabaseFacts.rowCounts(adopted.database));
        counts.remove("audit_log");
        try (TestServer server = adopted.start(Map.of())) {
            TestAccounts.Account alice = AdoptedRoot.login(server, "alice@invoke.local", PASSWORDS.get("alice@invoke.local"));
            DatabaseFacts.User fact = adopted.before.users().stream().filter(u -> u.email().startsWith("alice")).findFirst().orElseThrow();
            adopted.assertViewOf(alice.client(), fact.userId(), false);
        }
        assertEquals(backup, adopted.ourBackup(invokeAiBackups));
        Map<String, Long> again = new java.util.TreeMap<>(DatabaseFacts.rowCounts(adopted.database));
        again.remove("audit_log");
        assertEquals(counts, again, "restarting changes no rows (the audit log records the logins)");
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
