package org.invokej.launcher;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a running server must close, closed in the reverse order it was opened: by a start that fails
 * half-way and by {@link InvokeServer#stop()} alike. Closing twice closes nothing the second time.
 */
final class CloseStack implements AutoCloseable {

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Remembers {@code resource} to close it before everything added earlier; returns it. */
    synchronized <T extends AutoCloseable> T add(T resource) {
        open.push(resource);
        return resource;
    }

    /** Closes everything added, newest first; the first failure is thrown once all were tried. */
    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
