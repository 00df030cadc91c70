package org.invokej.core.auth;

import org.invokej.core.store.Transactions;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Who may open a live event connection (Socket.IO), and the users' rows to re-check open ones against.
 * Whether a token is honoured is decided by {@link Sessions#resolve}, as for every REST request; this
 * adds what is particular to connections: in single-user mode a connection without a usable token is
 * the built-in administrator.
 */
public final class SocketAccess {

    private final Sessions sessions;
    private final Transactions transactions;
    private final UserRepository users;

    public SocketAccess(Sessions sessions, Transactions transactions, UserRepository users) {
        this.sessions = sessions;
        this.transactions = transactions;
        this.users = users;
    }

    /**
     * Who a connection presenting {@code token} (or none) is, or empty when it must be refused: in
     * multi-user mode when there is no token, or it is not honoured.
     */
    public Optional<SocketUser> connect(Optional<String> token) {
        Optional<SocketUser> user = token
                .map(sessions::resolve)
                .filter(Sessions.Honoured.class::isInstance)
                .map(honoured -> SocketUser.of(((Sessions.Honoured) honoured).user()));
        return user.isPresent() || multiuser() ? user : Optional.of(SocketUser.SYSTEM);
    }

    /** The rows of these users as they are now, by id, in one read; deleted users are left out. */
    public Map<String, User> current(Collection<String> userIds) {
        return transactions.read(tx -> users.findAll(tx, userIds));
    }

    public boolean multiuser() {
        return sessions.multiuser();
    }
}
