package org.invokej.core.users;

/**
 * Told after a change that may end or alter a user's sessions has committed: role, active flag,
 * password (epoch) or deletion. Live connections re-check the user; running work of a deactivated or
 * deleted user is stopped.
 */
@FunctionalInterface
public interface UserAccessListener {

    void accessChanged(String userId);

    UserAccessListener NONE = userId -> {
    };
}
