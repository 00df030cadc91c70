package org.invokej.inference;

/**
 * A model folder that cannot be used: a part is missing, a file is malformed, or a graph lacks the
 * inputs or outputs the pipeline needs. The message names the file and what is wrong.
 */
public final class InvalidModelException extends RuntimeException {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
