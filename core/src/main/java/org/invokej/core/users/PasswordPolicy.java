package org.invokej.core.users;

import org.invokej.core.DomainException;

import java.util.Optional;

/**
 * InvokeAI's password rule. Strict: at least 8 characters (code points) with an upper-case letter, a
 * lower-case letter and a digit, in the Unicode sense (so {@code 密码Pass123} passes); symbols and
 * spaces allowed, not required. Not strict: anything but the empty string. The CLIs are always strict.
 */
public final class PasswordPolicy {

    private PasswordPolicy() {
    }

    /** Refuses {@code password} with InvokeAI's message (400) if it breaks the rule. */
    public static void check(String password, boolean strict) {
        if (strict) {
            strictProblem(password).ifPresent(problem -> {
                throw DomainException.invalid(problem);
            });
        } else if (password == null || password.isEmpty()) {
            throw DomainException.invalid("Password cannot be empty");
        }
    }

    /** What the strict rule finds wrong with {@code password}, if anything. */
    public static Optional<String> strictProblem(String password) {
        String text = password == null ? "" : password;
        if (text.codePointCount(0, text.length()) < 8) {
            return Optional.of("Password must be at least 8 characters long");
        }
        boolean upper = text.codePoints().anyMatch(Character::isUpperCase);
        boolean lower = text.codePoints().anyMatch(Character::isLowerCase);
        boolean digit = text.codePoints().anyMatch(Character::isDigit);
        if (!(upper && lower && digit)) {
            return Optional.of("Password must contain uppercase, lowercase, and numbers");
        }
        return Optional.empty();
    }
}
