package org.invokej.http.auth;

import org.invokej.core.DomainException;

/** Request bodies of {@code /api/v1/auth}; required fields are checked as the body is read (422). */
final class AuthRequests {

    private AuthRequests() {
    }

    static void required(Object value, String field) {
        if (value == null) {
            throw DomainException.unprocessable("Field required: " + field);
        }
    }

    record Setup(String email, String displayName, String password) {
        Setup {
            required(email, "email");
            required(password, "password");
        }
    }

    record Login(String email, String password, Boolean rememberMe) {
        Login {
            required(email, "email");
            required(password, "password");
        }

        boolean remember() {
            return rememberMe != null && rememberMe;
        }
    }

    record ProfileUpdate(String displayName, String currentPassword, String newPassword) {
    }

    record CreateUser(String email, String displayName, String password, Boolean isAdmin) {
        CreateUser {
            required(email, "email");
            required(password, "password");
        }
    }

    record UpdateUser(String displayName, String password, Boolean isAdmin, Boolean isActive) {
    }
}
