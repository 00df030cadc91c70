package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.store.Tx;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code users}, with InvokeAI's columns. */
public final class SqlUserRepository implements UserRepository {

    private static final String COLUMNS = "user_id, email, display_name, password_hash, is_admin, is_active, "
            + "created_at, updated_at, last_login_at, token_epoch";
    // SQLite's default limit on bound parameters is far above this; chunks keep statements small.
    private static final int CHUNK = 500;

    @Override
    public Optional<User> find(Tx tx, String userId) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + " FROM users WHERE user_id = ?", userId).map(SqlUserRepository::user);
    }

    @Override
    public Optional<User> findByEmail(Tx tx, String email) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + " FROM users WHERE email = ?", email).map(SqlUserRepository::user);
    }

    @Override
    public Map<String, User> findAll(Tx tx, Collection<String> userIds) {
        List<String> ids = userIds.stream().distinct().toList();
        Map<String, User> found = new LinkedHashMap<>();
        for (int start = 0; start < ids.size(); start += CHUNK) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + CHUNK));
            String marks = chunk.stream().map(id -> "?").collect(Collectors.joining(", "));
            try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + " FROM users WHERE user_id IN (" + marks + ")",
                    chunk.toArray())) {
                rows.map(SqlUserRepository::user).forEach(user -> found.put(user.userId(), user));
            }
        }
        return found;
    }

    @Override
    public List<User> listNewestFirst(Tx tx, int limit) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query(
                "SELECT " + COLUMNS + " FROM users ORDER BY created_at DESC, " + SqlTx.dialectOf(tx).userInsertionOrder() + " DESC LIMIT ?",
                limit)) {
            return rows.map(SqlUserRepository::user).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public int countActiveAdmins(Tx tx) {
        return SqlTx.of(tx).get("SELECT COUNT(*) AS n FROM users WHERE is_admin = TRUE AND is_active = TRUE")
                .map(row -> Columns.intOf(row, "n")).orElse(0);
    }

    @Override
    public void insert(Tx tx, User user) {
        SqlTx.of(tx).insert("INSERT INTO users (user_id, email, display_name, password_hash, is_admin, is_active, token_epoch) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                user.userId(), user.email(), user.displayName(), user.passwordHash(),
                user.admin(), user.active(), user.tokenEpoch());
    }

    @Override
    public void update(Tx tx, User user) {
        SqlTx.of(tx).update("UPDATE users SET display_name = ?, password_hash = ?, is_admin = ?, is_active = ?, token_epoch = ? "
                        + "WHERE user_id = ?",
                user.displayName(), user.passwordHash(), user.admin(), user.active(), user.tokenEpoch(),
                user.userId());
    }

    @Override
    public void recordLogin(Tx tx, String userId, Instant at) {
        SqlTx.of(tx).update("UPDATE users SET last_login_at = ? WHERE user_id = ?", Timestamps.format(at), userId);
    }

    @Override
    public boolean delete(Tx tx, String userId) {
        return SqlTx.of(tx).delete("DELETE FROM users WHERE user_id = ?", userId) > 0;
    }

    private static User user(DbRow row) {
        return new User(
                Columns.textOf(row, "user_id"),
                Columns.textOf(row, "email"),
                Columns.textOf(row, "display_name"),
                Columns.textOf(row, "password_hash"),
                Columns.boolOf(row, "is_admin"),
                Columns.boolOf(row, "is_active"),
                Timestamps.parse(Columns.textOf(row, "created_at")),
                Timestamps.parse(Columns.textOf(row, "updated_at")),
                Timestamps.parse(Columns.textOf(row, "last_login_at")),
                Columns.intOf(row, "token_epoch"));
    }
}
