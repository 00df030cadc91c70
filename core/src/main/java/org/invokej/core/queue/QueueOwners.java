package org.invokej.core.queue;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

import java.util.Optional;

/**
 * The one "owner may run" rule: in multi-user mode a queue item runs, and what it makes is stored, only
 * while its owner exists and is active, and it runs as that owner; in single-user mode everything runs as
 * {@code system}. The dispatcher asks before an item and before each node, the graph's resources and
 * the image store ask again when they act (a deactivation from another process lands in between).
 */
public final class QueueOwners {

    private final Transactions transactions;
    private final UserRepository users;
    private final boolean multiuser;

    public QueueOwners(Transactions transactions, UserRepository users, boolean multiuser) {
        this.transactions = transactions;
        this.users = users;
        this.multiuser = multiuser;
    }

    /** Who an item of {@code ownerId} runs as, if its owner may run things now. */
    public Optional<Actor> runAs(Tx tx, String ownerId) {
        if (!multiuser) {
            return Optional.of(Actor.SYSTEM);
        }
        return users.find(tx, ownerId).filter(User::active).map(User::actor);
    }

    /** {@link #runAs(Tx, String)} in its own read. */
    public Optional<Actor> runAs(String ownerId) {
        return transactions.read(tx -> runAs(tx, ownerId));
    }

    public boolean mayRun(String ownerId) {
        return runAs(ownerId).isPresent();
    }

    /** The actor to run as; a 403 when the owner may not run things. */
    public Actor requireRunAs(Tx tx, String ownerId) {
        return runAs(tx, ownerId).orElseThrow(() -> DomainException.forbidden("The queue item's owner does not exist or is not active"));
    }

    public Actor requireRunAs(String ownerId) {
        return transactions.read(tx -> requireRunAs(tx, ownerId));
    }
}
