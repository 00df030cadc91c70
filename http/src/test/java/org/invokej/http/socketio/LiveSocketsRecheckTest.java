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

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

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

    /** The users table: only the reads re-checking needs. */
    private final UserRepository users = (UserRepository) Proxy.newProxyInstance(UserRepository.class.getClassLoader(),
            new Class<?>[] {UserRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                case "findAll" -> ((Collection<?>) args[1]).stream().filter(rows::containsKey)
                        .collect(Collectors.toMap(id -> (String) id, rows::get));
                case "find" -> Optional.ofNullable(rows.get((String) args[1]));
                default -> throw new UnsupportedOperationException(method.getName());
            });

    // Only the user reads of SocketAccess are exercised: no logins, no tokens.
    private final SocketAccess access = new SocketAccess(
            new Sessions(transactions, users, null, null, null, null, null, Clock.systemUTC(), true), transactions, users);
    private final SocketSettings settings = SocketSettings.of("", Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final LiveSockets hub = new LiveSockets(access, reported::add, new ObjectMapper(), Clock.systemUTC(), settings);

    @AfterEach
    void close() {
        hub.close();
        timers.shutdownNow();
    }

    private ClientSocket connected(User user) {
        rows.put(user.userId(), user);
        ClientSocket socket = new ClientSocket(hub.newId(), new EngineIoSession(hub.newId(), hub, settings, new ObjectMapper(), timers,
                Optional.empty(), EngineIoSession.Transport.WEBSOCKET), SocketUser.of(user));
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
