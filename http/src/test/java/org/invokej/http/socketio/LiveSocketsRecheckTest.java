package org.invokej.http.socketio;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.auth.Sessions;
import org.invokej.core.auth.SocketAccess;
import org.invokej.core.auth.SocketUser;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What re-checking open sockets does when the users table cannot be read, which the end-to-end tests
 * cannot provoke: the store is replaced by an in-memory one that can be made to fail.
 */
class LiveSocketsRecheckTest {

    /** The store: the users by id, or a failure on every read. */
    private final Map<String, User> rows = new ConcurrentHashMap<>();
    private volatile boolean failing;
    private final List<String> reported = new ArrayList<>();

    private final Transactions transactions = new Transactions() {
        @Override
        public <T> T read(Function<Tx, T> work) {
            if (failing) {
                throw new IllegalStateException("database is locked");
            }
            return work.apply(new Tx() {
            });
        }

        @Override
        public <T> T write(Function<Tx, T> work) {
            throw new UnsupportedOperationException();
        }
    };

    private final UserRepository users = new UserRepository() {
        @Override
        public Optional<User> find(Tx tx, String userId) {
            return Optional.ofNullable(rows.get(userId));
        }

        @Override
        public Map<String, User> findAll(Tx tx, Collection<String> userIds) {
            Map<String, User> found = new java.util.HashMap<>();
            userIds.forEach(id -> Optional.ofNullable(rows.get(id)).ifPresent(user -> found.put(id, user)));
            return found;
        }

        @Override
        public Optional<User> findByEmail(Tx tx, String email) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<User> listNewestFirst(Tx tx, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int countActiveAdmins(Tx tx) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void insert(Tx tx, User user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void update(Tx tx, User user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void recordLogin(Tx tx, String userId, Instant at) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(Tx tx, String userId) {
            throw new UnsupportedOperationException();
        }
    };

    // Only the user reads of SocketAccess are exercised: no logins, no tokens.
    private final SocketAccess access = new SocketAccess(
            new Sessions(transactions, users, null, null, null, null, null, Clock.systemUTC(), true), transactions, users);
    private final LiveSockets hub = new LiveSockets(access, reported::add, new ObjectMapper(), Clock.systemUTC(),
            SocketSettings.of("", Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)));

    @AfterEach
    void close() {
        hub.close();
    }

    private ClientSocket connected(User user) {
        rows.put(user.userId(), user);
        ClientSocket socket = new ClientSocket(hub.newId(), new EngineIoConnection(hub, null, null, null), SocketUser.of(user));
        hub.register(socket);
        return socket;
    }

    private static User user(String id, boolean admin) {
        return new User(id, id + "@x.com", null, "$2b$04$x", admin, true, null, null, null, 0);
    }

    @Test
    void aFailedReReadTakesTheAdminRoomAwayButDisconnectsNobody() {
        ClientSocket admin = connected(user("a1", true));
        failing = true;
        hub.accessChanged("a1");
        assertFalse(admin.rooms().admin(), "no admin-only events while the role cannot be checked");
        assertTrue(admin.user().admin(), "the last known role is kept");
        assertEquals(1, hub.connectedSockets(), "still connected");
    }

    @Test
    void threeFailedSweepsInARowTakeTheAdminRoomAwayUntilAReadSucceeds() {
        ClientSocket admin = connected(user("a1", true));
        ClientSocket plain = connected(user("u1", false));
        failing = true;
        hub.sweep();
        hub.sweep();
        assertTrue(admin.rooms().admin(), "two failures are forgiven");
        hub.sweep();
        assertFalse(admin.rooms().admin(), "the third is not");
        assertEquals(2, hub.connectedSockets());

        failing = false;
        hub.sweep();
        assertTrue(admin.rooms().admin(), "a good read restores it");
        assertFalse(plain.rooms().admin());
        assertEquals(List.of(), reported, "nothing changed, so nothing is reported");
    }

    @Test
    void theSweepReportsEachUserWhoseRowNoLongerMatchesOnce() {
        connected(user("u1", false));
        connected(user("u1", false));
        connected(user("u2", false));
        connected(user("u3", false));
        rows.put("u1", user("u1", false).withActive(false));
        rows.remove("u2");
        hub.sweep();
        assertEquals(List.of("u1", "u2"), reported.stream().sorted().toList());
    }
}
