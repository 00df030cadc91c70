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
    REVOKED,
    /** An API key of the owner's with the {@code full} scope: what the owner may do, except managing keys and sessions. */
    KEY_FULL,
    /** An API key of the owner's with the {@code read_only} scope: the owner's GETs. */
    KEY_READ_ONLY,
    /** An API key of the owner's with the {@code queue} scope: the owner's queue calls, {@code /auth/me} and image GETs. */
    KEY_QUEUE,
    /** A full API key of the owner's, revoked. */
    KEY_REVOKED,
    /** A full API key of the owner's that has expired. */
    KEY_EXPIRED,
    /** A full API key of the deactivated user. */
    KEY_DEACTIVATED,
    /** A made-up key with the right prefix. */
    KEY_UNKNOWN;

    /** Callers whose credentials must not work anywhere. */
    static final java.util.Set<Who> REFUSED = java.util.EnumSet.of(ANONYMOUS, DEACTIVATED, EXPIRED, TAMPERED, WRONG_KEY, ALG_NONE, REVOKED,
            KEY_REVOKED, KEY_EXPIRED, KEY_DEACTIVATED, KEY_UNKNOWN);

    /** The API keys that stand, each limited to its scope. */
    static final java.util.Set<Who> SCOPED_KEYS = java.util.EnumSet.of(KEY_FULL, KEY_READ_ONLY, KEY_QUEUE);
}
