package org.invokej.persistence;

/** The database cannot be used as it is (read-only for this user, or open to other users); the message says what to do. */
public final class DatabaseUnusableException extends RuntimeException {

    public DatabaseUnusableException(String message) {
        super(message);
    }
}
