package org.invokej.launcher;

/** A setting that cannot be used; the message is one line naming the setting and where it came from. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
