package org.invokej.persistence;

/** The database cannot be used as it is (read-only for this user, open to other users, or a PostgreSQL server that cannot be reached or refuses the login); the message says what to do. */
public final class DatabaseUnusableException extends RuntimeException {

    public DatabaseUnusableException(String message) {
        super(message);
    }

    public DatabaseUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}
