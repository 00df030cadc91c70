package org.invokej.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/invoke-useradd, -usermod, -userdel and -userlist as real processes on a temporary root. */
class UserCommandsTest {

    @TempDir
    Path root;

    @BeforeEach
    void fastHashes() throws IOException {
        Files.writeString(root.resolve("invokeai.yaml"), "bcrypt_cost: 4\nmultiuser: true\n");
    }

    private Scripts.Result run(String script, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        return Scripts.run(script, all, Map.of(), stdin, Duration.ofMinutes(2));
    }

    private Scripts.Result ok(String script, String stdin, String... args) {
        Scripts.Result result = run(script, stdin, args);
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    /** Exit 1 and exactly one "Error:" line saying {@code expected}; nothing on stdout says it worked. */
    private void refused(Scripts.Result result, String expected) {
        assertEquals(1, result.exitCode(), result.toString());
        List<String> errors = result.stderr().lines().filter(line -> line.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), result.toString());
        assertTrue(errors.get(0).contains(expected), "expected '" + expected + "' in\n" + result);
        assertFalse(result.stdout().contains("✅"), result.toString());
        assertFalse(result.stderr().contains("\tat "), "no stack trace:\n" + result);
    }

    private JsonNode users() throws IOException {
        return new ObjectMapper().readTree(ok("invoke-userlist", null, "--json").stdout());
    }

    private JsonNode user(String email) throws IOException {
        for (JsonNode user : users()) {
            if (user.path("email").asText().equals(email)) {
                return user;
            }
        }
        return null;
    }

    @Test
    void eachCommandPrintsItsUsage() {
        for (String script : List.of("invoke-useradd", "invoke-usermod", "invoke-userdel", "invoke-userlist")) {
            Scripts.Result help = Scripts.run(script, "--help");
            assertEquals(0, help.exitCode(), help.toString());
            assertTrue(help.stdout().startsWith("Usage: " + script), help.stdout());
            assertTrue(help.stdout().contains("--root") && help.stdout().contains("$INVOKEAI_ROOT"), help.stdout());
        }
        assertTrue(Scripts.run("invoke-usermod", "--help").stdout().contains("--deactivate"));
        assertTrue(Scripts.run("invoke-userdel", "--help").stdout().contains("--force"));
        assertTrue(Scripts.run("invoke-userlist", "--help").stdout().contains("--json"));
        assertTrue(Scripts.run("invokej", "--help").stdout().contains("useradd"), "also commands of invokej");
    }

    @Test
    void useraddWithFlagsCreatesAnAdministratorOnANewRoot() throws IOException {
        Path fresh = root.resolve("fresh");
        Scripts.Result result = Scripts.run("invoke-useradd", List.of("-r", fresh.toString(), "-e", "Admin@Test.com", "-p", "TestPass123",
                "-n", "Ada", "-a"), Map.of(), null, Duration.ofMinutes(2));
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("User created successfully") && result.stdout().contains("Admin:        Yes"), result.stdout());
        assertTrue(Files.exists(fresh.resolve("databases/invokeai.db")), "the root and its database are made as the server makes them");
        Scripts.Result list = Scripts.run("invoke-userlist", List.of("--root", fresh.toString(), "--json"), Map.of(), null, Duration.ofMinutes(2));
        assertTrue(list.stdout().contains("\"email\" : \"Admin@test.com\""), list.stdout());
    }

    @Test
    void useraddAsksInOrderAndReadsPipedPasswords() throws IOException {
        Scripts.Result result = ok("invoke-useradd", "bob@test.com\nBob Builder\nBobPass123\nBobPass123\ny\n");
        String out = result.stdout();
        int email = out.indexOf("Email address");
        int name = out.indexOf("Display name (optional)");
        int password = out.indexOf("Password:");
        int confirm = out.indexOf("Confirm password");
        int admin = out.indexOf("Make this user an administrator? (y/N)");
        assertTrue(email >= 0 && email < name && name < password && password < confirm && confirm < admin, out);
        assertFalse(out.contains("BobPass123"), "the password is never printed");
        JsonNode bob = user("bob@test.com");
        assertEquals("Bob Builder", bob.path("name").asText());
        assertTrue(bob.path("is_admin").asBoolean());
    }

    @Test
    void useraddAsksAgainOnAMismatchOrAWeakPassword() throws IOException {
        Scripts.Result result = ok("invoke-useradd", "carol@test.com\n\nCarol1234\nCarol9999\nweak\nweak\nCarolPass1\nCarolPass1\nn\n");
        assertTrue(result.stderr().contains("Passwords do not match") && result.stderr().contains("at least 8 characters"), result.toString());
        JsonNode carol = user("carol@test.com");
        assertTrue(carol.path("name").isNull());
        assertFalse(carol.path("is_admin").asBoolean());
    }

    @Test
    void useraddRefusals() throws IOException {
        refused(run("invoke-useradd", null, "-e", "x@test.com"), "Both --email and --password are required");
        refused(run("invoke-useradd", null, "-p", "TestPass123"), "Both --email and --password are required");
        refused(run("invoke-useradd", null, "-e", "x@test.com", "-p", "weakpass"), "Password validation failed: Password must contain uppercase, lowercase, and numbers");
        refused(run("invoke-useradd", null, "-e", "not-an-email", "-p", "TestPass123"), "Invalid email address");
        ok("invoke-useradd", null, "-e", "dup@test.com", "-p", "TestPass123");
        refused(run("invoke-useradd", null, "-e", "dup@test.com", "-p", "TestPass123"), "User with email dup@test.com already exists");
        refused(run("invoke-useradd", "\n"), "An email address is required");
        refused(run("invoke-useradd", "eve@test.com\nEve\nEvePass123\n"), "end of input");
        refused(run("invoke-useradd", null, "--bogus"), "Unknown option");
        assertEquals(2, users().size(), "only dup@ and system exist: " + users());
    }

    @Test
    void usermodChangesEachThingAndRefusesWhatTheRulesForbid() throws IOException {
        ok("invoke-useradd", null, "-e", "admin@test.com", "-p", "TestPass123", "-a");
        ok("invoke-useradd", null, "-e", "dan@test.com", "-p", "TestPass123");
        ok("invoke-usermod", null, "-e", "dan@test.com", "-n", "Dan");
        ok("invoke-usermod", null, "-e", "dan@test.com", "--admin");
        assertTrue(user("dan@test.com").path("is_admin").asBoolean());
        ok("invoke-usermod", null, "-e", "dan@test.com", "--no-admin", "--deactivate");
        JsonNode dan = user("dan@test.com");
        assertEquals("Dan", dan.path("name").asText());
        assertFalse(dan.path("is_admin").asBoolean());
        assertFalse(dan.path("is_active").asBoolean());
        ok("invoke-usermod", null, "-e", "dan@test.com", "--activate", "-p", "NewPass456");
        assertTrue(user("dan@test.com").path("is_active").asBoolean());

        refused(run("invoke-usermod", null, "-e", "dan@test.com"), "No changes specified");
        refused(run("invoke-usermod", null, "-e", "nobody@test.com", "-n", "X"), "No user found with email 'nobody@test.com'");
        refused(run("invoke-usermod", null, "-e", "dan@test.com", "-p", "short"), "Password validation failed");
        refused(run("invoke-usermod", null, "-e", "admin@test.com", "--no-admin"), "Cannot remove the last administrator");
        refused(run("invoke-usermod", null, "-e", "admin@test.com", "--deactivate"), "Cannot remove the last administrator");
        refused(run("invoke-usermod", null, "-e", "system@system.invokeai", "--admin"), "The system user cannot be");
        refused(run("invoke-usermod", null, "-e", "system@system.invokeai", "-p", "TestPass123"), "The system user cannot be");
        refused(run("invoke-usermod", null, "-e", "dan@test.com", "--admin", "--no-admin"), "mutually exclusive");
        ok("invoke-usermod", null, "-e", "system@system.invokeai", "-n", "Legacy");
    }

    @Test
    void usermodInteractively() throws IOException {
        ok("invoke-useradd", null, "-e", "erin@test.com", "-p", "TestPass123", "-n", "Erin");
        Scripts.Result unchanged = ok("invoke-usermod", "erin@test.com\n\nn\nn\nn\n");
        assertTrue(unchanged.stdout().contains("No changes requested. User not modified."), unchanged.toString());
        assertTrue(unchanged.stdout().contains("New display name [Erin]"), unchanged.toString());
        ok("invoke-usermod", "erin@test.com\nErin E.\ny\nErinPass99\nErinPass99\ny\ny\nn\n");
        JsonNode erin = user("erin@test.com");
        assertEquals("Erin E.", erin.path("name").asText());
        assertTrue(erin.path("is_admin").asBoolean());
    }

    @Test
    void userdelAsksAndOnlyYesDeletes() throws IOException {
        ok("invoke-useradd", null, "-e", "admin@test.com", "-p", "TestPass123", "-a");
        ok("invoke-useradd", null, "-e", "fay@test.com", "-p", "TestPass123");
        Scripts.Result no = run("invoke-userdel", "no\n", "-e", "fay@test.com");
        assertEquals(1, no.exitCode());
        assertTrue(no.stderr().contains("Deletion cancelled."), no.toString());
        refused(run("invoke-userdel", null, "-e", "fay@test.com"), "Use --force");
        assertTrue(user("fay@test.com") != null);
        ok("invoke-userdel", "yes\n", "-e", "fay@test.com");
        assertEquals(null, user("fay@test.com"));
        ok("invoke-useradd", null, "-e", "gus@test.com", "-p", "TestPass123");
        ok("invoke-userdel", null, "-e", "gus@test.com", "--force");
        ok("invoke-useradd", null, "-e", "hal@test.com", "-p", "TestPass123");
        ok("invoke-userdel", "hal@test.com\ny\n");
        assertEquals(2, users().size());

        refused(run("invoke-userdel", null, "-e", "nobody@test.com", "-f"), "No user found with email 'nobody@test.com'");
        refused(run("invoke-userdel", null, "-e", "admin@test.com", "-f"), "Cannot remove the last administrator");
        refused(run("invoke-userdel", null, "-e", "system@system.invokeai", "-f"), "The system user cannot be");
    }

    @Test
    void userlistPrintsAnAlignedTableWithTheSystemUser() {
        ok("invoke-useradd", null, "-e", "ivy@test.com", "-p", "TestPass123", "-n", "Ivy");
        List<String> lines = ok("invoke-userlist", null).stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("Email") && lines.get(0).contains("Display Name") && lines.get(0).contains("Last Login"), lines.toString());
        int adminColumn = lines.get(0).indexOf("Admin");
        assertTrue(lines.get(2).startsWith("ivy@test.com") && lines.get(3).startsWith("system@system.invokeai"), lines.toString());
        assertEquals("No", lines.get(2).substring(adminColumn, adminColumn + 2), "columns line up: " + lines);
        assertEquals("Total users: 2", lines.getLast());
    }

    @Test
    void changesFromTheCommandLineReachARunningServerAtOnce() throws IOException {
        try (TestServer server = TestServer.start(root, Map.of())) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            TestAccounts.Account user = accounts.create(admin, "jo@test.com", "Jo", false);
            TestAccounts.Account other = accounts.create(admin, "kim@test.com", "Kim", false);

            ok("invoke-usermod", null, "-e", "jo@test.com", "-p", "Changed123");
            assertEquals(401, user.client().get("/api/v1/auth/me").status(), "a password set from the CLI ends the sessions");
            assertEquals(200, accounts.login("jo@test.com", "Changed123").client().get("/api/v1/auth/me").status());

            ok("invoke-usermod", null, "-e", "kim@test.com", "--deactivate");
            assertEquals(401, other.client().get("/api/v1/auth/me").status());

            ok("invoke-useradd", null, "-e", "lee@test.com", "-p", "TestPass123");
            assertEquals(200, accounts.login("lee@test.com", "TestPass123").client().get("/api/v1/auth/me").status());

            JsonNode audit = admin.client().get("/api/v1/audit").json().path("items");
            assertEquals("cli", audit.get(1).path("actor_user_id").asText(), audit.toString());
            assertEquals("user_created", audit.get(1).path("action").asText());
        }
    }
}
