package org.invokej.http.fakes;

import org.invokej.core.Actor;
import org.invokej.core.store.Tx;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code users} in memory, with the built-in {@code system} row the first migration inserts. */
public final class MemoryUsers implements UserRepository {

    private final MemoryStore.Table<String, User> users;
    private final Clock clock;

    public MemoryUsers(MemoryStore store, Clock clock) {
        this.users = store.table();
        this.clock = clock;
        Instant now = clock.instant();
        users.rows().put(Actor.SYSTEM_USER_ID, new User(Actor.SYSTEM_USER_ID, "system@system.invokeai", "System", "", false, true,
                now, now, null, 0));
    }

    @Override
    public Optional<User> find(Tx tx, String userId) {
        return Optional.ofNullable(users.rows().get(userId));
    }

    @Override
    public Optional<User> findByEmail(Tx tx, String email) {
        return users.rows().values().stream().filter(user -> user.email().equals(email)).findFirst();
    }

    @Override
    public Map<String, User> findAll(Tx tx, Collection<String> userIds) {
        Map<String, User> found = new LinkedHashMap<>();
        userIds.forEach(id -> find(tx, id).ifPresent(user -> found.put(id, user)));
        return found;
    }

    @Override
    public List<User> listNewestFirst(Tx tx, int limit) {
        List<User> all = new ArrayList<>(users.rows().values());
        return all.reversed().stream().limit(limit).toList();
    }

    @Override
    public int countActiveAdmins(Tx tx) {
        return (int) users.rows().values().stream().filter(User::isActiveAdmin).count();
    }

    @Override
    public void insert(Tx tx, User user) {
        if (users.rows().containsKey(user.userId()) || findByEmail(tx, user.email()).isPresent()) {
            throw new IllegalStateException("UNIQUE constraint failed: users");
        }
        Instant now = clock.instant();
        users.rows().put(user.userId(), new User(user.userId(), user.email(), user.displayName(), user.passwordHash(), user.admin(),
                user.active(), now, now, null, user.tokenEpoch()));
    }

    @Override
    public void update(Tx tx, User user) {
        User old = users.rows().get(user.userId());
        if (old != null) {
            users.rows().put(user.userId(), new User(old.userId(), old.email(), user.displayName(), user.passwordHash(), user.admin(),
                    user.active(), old.createdAt(), clock.instant(), old.lastLoginAt(), user.tokenEpoch()));
        }
    }

    @Override
    public void recordLogin(Tx tx, String userId, Instant at) {
        find(tx, userId).ifPresent(old -> users.rows().put(userId, new User(old.userId(), old.email(), old.displayName(),
                old.passwordHash(), old.admin(), old.active(), old.createdAt(), old.updatedAt(), at, old.tokenEpoch())));
    }

    @Override
    public boolean delete(Tx tx, String userId) {
        return users.rows().remove(userId) != null;
    }
}
