package org.invokej.core.users;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Tx;

/**
 * Gives everything one user owns (boards, images, workflows) to another, inside the caller's write
 * transaction, so that "transfer, then delete the user" commits as one.
 */
@FunctionalInterface
public interface ContentHandover {

    void handOver(Tx tx, Actor actor, User from, User to, String client);

    /** For servers and commands without content: a transfer is refused. */
    ContentHandover NONE = (tx, actor, from, to, client) -> {
        throw DomainException.invalid("Content transfer is not available here");
    };
}
