package org.invokej.core.users;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The listeners to tell about access changes, as one {@link UserAccessListener}. The user service is
 * built before the parts that listen (live connections, the queue), which need it or its siblings, so
 * they are added here once they exist.
 */
public final class UserAccessListeners implements UserAccessListener {

    private final List<UserAccessListener> listeners = new CopyOnWriteArrayList<>();

    public void add(UserAccessListener listener) {
        listeners.add(listener);
    }

    /** Tells every listener, in the order they were added; one failing does not keep the others from hearing. */
    @Override
    public void accessChanged(String userId) {
        RuntimeException first = null;
        for (UserAccessListener listener : listeners) {
            try {
                listener.accessChanged(userId);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
