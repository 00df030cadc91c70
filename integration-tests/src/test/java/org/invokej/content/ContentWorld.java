package org.invokej.content;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;

import java.nio.file.Path;
import java.util.Map;

/** A multi-user server with an administrator and two users, shared by the tests of one class. */
final class ContentWorld implements AutoCloseable {

    final TestServer server;
    final TestAccounts.Account admin;
    final TestAccounts.Account user1;
    final TestAccounts.Account user2;

    ContentWorld(Path root) {
        this(root, Map.of());
    }

    ContentWorld(Path root, Map<String, String> settings) {
        java.util.Map<String, String> all = new java.util.HashMap<>(Map.of("multiuser", "true", "bcrypt_cost", "4"));
        all.putAll(settings);
        server = TestServer.start(root, all);
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        user1 = accounts.create(admin, "user1@test.com", "User One", false);
        user2 = accounts.create(admin, "user2@test.com", "User Two", false);
    }

    TestClient anonymous() {
        return server.client();
    }

    @Override
    public void close() {
        server.close();
    }
}
