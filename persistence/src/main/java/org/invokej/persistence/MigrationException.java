package org.invokej.persistence;

/** The database could not be opened or brought to the current schema; the message says what to do. */
public final class MigrationException extends RuntimeException {

    MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
