package org.invokej.core.users;

import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code users} table. */
public interface UserRepository {

    Optional<User> find(Tx tx, String userId);

    /** Looks an account up by its stored (normalised) email, compared exactly. */
    Optional<User> findByEmail(Tx tx, String email);

    /** The users with these ids, keyed by id; unknown ids are left out. */
    Map<String, User> findAll(Tx tx, Collection<String> userIds);

    /** Users, newest first, at most {@code limit}. */
    List<User> listNewestFirst(Tx tx, int limit);

    /** How many users are administrators and active. */
    int countActiveAdmins(Tx tx);

    /** Inserts a new user; the id, email, name, hash, role and active flag are taken from {@code user}. */
    void insert(Tx tx, User user);

    /** Writes the mutable columns (name, hash, role, active, epoch) of an existing user. */
    void update(Tx tx, User user);

    void recordLogin(Tx tx, String userId, Instant at);

    /** Deletes a user; false if there was none. */
    boolean delete(Tx tx, String userId);
}
