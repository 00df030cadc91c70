package org.invokej.cli;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPostgres;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code invokej db copy} as a real process, between a root's SQLite file and a real PostgreSQL database. */
class DbCopyCommandTest {

    @TempDir
    Path folder;

    private static Scripts.Result copy(Path root, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("db", "copy", "--root", root.toString(), "--user", TestPostgres.server().user()));
        all.addAll(List.of(args));
        return Scripts.run("invokej", all, Map.of("INVOKEAI_DATABASE_PASSWORD", TestPostgres.server().password()), null,
                Duration.ofMinutes(3));
    }

    @Test
    void aRootMovesToPostgresqlWithItsAccountsAndBackAndATargetWithDataIsRefused() throws IOException {
        Path root = folder.resolve("root");
        Files.createDirectories(root);
        Files.writeString(root.resolve("invokeai.yaml"), "bcrypt_cost: 4\nmultiuser: true\n");
        try (TestServer server = TestServer.start(root, Map.of("database_url", ""))) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@example.com");
            accounts.create(admin, "alice@example.com", "Alice", false);
        }
        String url = TestPostgres.server().newDatabase();

        Scripts.Result to = copy(root, "--to", url);

        assertEquals(0, to.exitCode(), to.toString());
        assertTrue(to.stdout().lines().anyMatch(line -> line.strip().startsWith("users") && line.contains(" 3 rows")), to.stdout());
        assertTrue(to.stdout().contains("every table's row count matches"), to.stdout());

        Scripts.Result again = copy(root, "--to", url);
        assertEquals(1, again.exitCode(), again.toString());
        List<String> errors = again.stderr().lines().filter(line -> line.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), again.toString());
        assertTrue(errors.getFirst().contains("already holds data (") && errors.getFirst().contains("users: 2 rows")
                        && errors.getFirst().contains("add --force"),
                again.toString());
        assertFalse(again.stderr().contains("\tat "), again.toString());

        // A server on a new root with database_url finds the accounts: the data moved.
        Path second = folder.resolve("second");
        try (TestServer server = TestServer.start(second, Map.of("database_url", url, "database_user", TestPostgres.server().user(),
                "database_password", TestPostgres.server().password(), "multiuser", "true"))) {
            new TestAccounts(server).login("alice@example.com", TestAccounts.PASSWORD);
        }

        Path back = folder.resolve("back");
        Scripts.Result from = copy(back, "--from", url);
        assertEquals(0, from.exitCode(), from.toString());
        assertTrue(Files.isRegularFile(back.resolve("databases/invokeai.db")), from.toString());
    }

    @Test
    void aWrongPasswordIsOneLineAndLeavesNoRootBehind() {
        Path root = folder.resolve("never");
        Scripts.Result result = Scripts.run("invokej", List.of("db", "copy", "--root", root.toString(), "--user", "postgres",
                "--from", TestPostgres.server().newDatabase()), Map.of("INVOKEAI_DATABASE_PASSWORD", "wrong"), null, Duration.ofMinutes(2));
        assertEquals(1, result.exitCode(), result.toString());
        List<String> errors = result.stderr().lines().filter(line -> line.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), result.toString());
        assertTrue(errors.getFirst().contains("refused the login of postgres"), result.toString());
        assertFalse(Files.exists(root.resolve("databases/invokeai.db")), "nothing was created");
    }
}
