package org.invokej.core.users;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listeners to tell about access changes, as one {@link UserAccessListener}. The user service is
 * built before the parts that listen (live connections, the queue), which need it or its siblings, so
 * they are added here once they exist.
 */
public final class UserAccessListeners implements UserAccessListener {

    private static final Logger LOG = Logger.getLogger(UserAccessListeners.class.getName());

    private final List<UserAccessListener> listeners = new CopyOnWriteArrayList<>();

    public void add(UserAccessListener listener) {
        listeners.add(listener);
    }

    /**
     * Tells every listener, in the order they were added. A listener that fails is logged and does not
     * keep the others from hearing; nor does it fail the change, which has already been committed.
     */
    @Override
    public void accessChanged(String userId) {
        for (UserAccessListener listener : listeners) {
            try {
                listener.accessChanged(userId);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "A listener failed to follow an access change of user " + userId, e);
            }
        }
    }
}
