package org.invokej.core;

import java.util.Objects;

/**
 * Who is making a request, as the server established it: a user read from the database on this
 * request, or the built-in {@code system} administrator in single-user mode. Access rules take an
 * Actor, never a token.
 */
public record Actor(String userId, String email, String displayName, boolean admin) {

    /** The id of the built-in user that owns everything made in single-user mode. */
    public static final String SYSTEM_USER_ID = "system";

    /** The caller in single-user mode: the system user, with administrator rights. */
    public static final Actor SYSTEM = new Actor(SYSTEM_USER_ID, "system@system.invokeai", "System", true);

    public Actor {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
    }

    /** Whether {@code ownerId} names this actor. */
    public boolean owns(String ownerId) {
        return userId.equals(ownerId);
    }

    /** The name to show for this actor: the display name, else the email. */
    public String label() {
        return displayName == null || displayName.isBlank() ? email : displayName;
    }
}
