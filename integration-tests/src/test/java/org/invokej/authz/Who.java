package org.invokej.authz;

/** The kinds of caller every route is tried with. */
enum Who {
    /** No token at all. */
    ANONYMOUS,
    /** A regular user; in content rows, the one who owns the thing the route is about. */
    OWNER,
    /** Another regular user. */
    OTHER,
    /** An administrator. */
    ADMIN,
    /** A user who was deactivated after logging in (their token is otherwise fine). */
    DEACTIVATED,
    /** The owner's claims, expired. */
    EXPIRED,
    /** The owner's token with the payload changed to claim admin rights. */
    TAMPERED,
    /** The owner's claims signed with a different secret. */
    WRONG_KEY,
    /** The owner's claims with {@code "alg": "none"} and no signature. */
    ALG_NONE,
    /** The owner's token after they logged out. */
    REVOKED;

    /** Callers whose credentials must not work anywhere. */
    static final java.util.Set<Who> REFUSED = java.util.EnumSet.of(ANONYMOUS, DEACTIVATED, EXPIRED, TAMPERED, WRONG_KEY, ALG_NONE, REVOKED);
}
