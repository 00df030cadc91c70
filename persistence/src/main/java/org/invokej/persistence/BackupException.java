package org.invokej.persistence;

/** A backup or restore that cannot be made, with the one line that says why and what to do. */
public final class BackupException extends RuntimeException {

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
