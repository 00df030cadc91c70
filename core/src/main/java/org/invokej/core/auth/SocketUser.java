package org.invokej.core.auth;

import org.invokej.core.Actor;
import org.invokej.core.users.User;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a live event connection (Socket.IO) was opened as: the user, their role and their token epoch as
 * the database had them then. Connections outlive the request that checked them, so they are
 * re-checked against the user's row whenever it may have changed ({@link #recheck}).
 */
public record SocketUser(String userId, boolean admin, int tokenEpoch) {

    /** Everyone in single-user mode: the built-in administrator. */
    public static final SocketUser SYSTEM = new SocketUser(Actor.SYSTEM_USER_ID, true, 0);

    public SocketUser {
        Objects.requireNonNull(userId, "userId");
    }

    public static SocketUser of(User user) {
        return new SocketUser(user.userId(), user.admin(), user.tokenEpoch());
    }

    /**
     * What this connection may go on as, given the user's row now: empty when it must end (the user was
     * deleted or deactivated, or their password changed since it connected, which also ends the session
     * that made the change: that client reconnects with its replacement token); otherwise this identity
     * with the role the database gives now.
     */
    public Optional<SocketUser> recheck(Optional<User> now) {
        return now.filter(User::active)
                .filter(user -> user.tokenEpoch() == tokenEpoch)
                .map(user -> new SocketUser(userId, user.admin(), tokenEpoch));
    }

    /** Whether the row now differs from this identity in anything that matters to a connection. */
    public boolean isStale(Optional<User> now) {
        return !recheck(now).equals(Optional.of(this));
    }
}
