package org.invokej.http.auth;

import org.invokej.core.users.User;
import org.invokej.http.ApiTimes;

/** InvokeAI's {@code UserDTO}. */
public record UserDto(
        String userId,
        String email,
        String displayName,
        boolean isAdmin,
        boolean isActive,
        String createdAt,
        String updatedAt,
        String lastLoginAt,
        int tokenEpoch) {

    public static UserDto of(User user) {
        return new UserDto(user.userId(), user.email(), user.displayName(), user.admin(), user.active(),
                ApiTimes.isoLocal(user.createdAt()), ApiTimes.isoLocal(user.updatedAt()),
                ApiTimes.isoUtc(user.lastLoginAt()), user.tokenEpoch());
    }
}
