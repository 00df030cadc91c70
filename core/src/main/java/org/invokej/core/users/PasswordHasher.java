package org.invokej.core.users;

/** Hashes and checks passwords. Both are slow on purpose; never call them inside a transaction. */
public interface PasswordHasher {

    String hash(String password);

    /** Whether {@code password} matches {@code hash}; false (never an exception) for any malformed hash. */
    boolean matches(String password, String hash);

    /** Spends the time of one {@link #matches} without a real hash, so unknown accounts cost the same. */
    void matchesNothing(String password);
}
