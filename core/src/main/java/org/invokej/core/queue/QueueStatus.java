package org.invokej.core.queue;

import java.util.Locale;

/** Where a queue item is. Completed, failed and canceled are terminal: nothing changes them again. */
public enum QueueStatus {
    PENDING, IN_PROGRESS, WAITING, COMPLETED, FAILED, CANCELED;

    /** InvokeAI's name, e.g. {@code in_progress}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static QueueStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }
}
