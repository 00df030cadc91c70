package org.invokej.core.users;

import org.invokej.core.DomainException;

import java.util.Optional;

/**
 * InvokeAI's password rule. Strict: at least 8 characters (code points) with an upper-case letter, a
 * lower-case letter and a digit, in the Unicode sense (so {@code 密码Pass123} passes); symbols and
 * spaces allowed, not required. Not strict: anything but the empty string. The CLIs are always strict,
 * and so is every administrator's password, whatever {@code strict_password_checking} says.
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

    /**
     * Refuses {@code password} (400) unless it passes the strict rule, with the message the command line
     * prints: used for administrators' passwords, which are always strict.
     */
    public static void checkStrong(String password) {
        strictProblem(password).ifPresent(problem -> {
            throw DomainException.invalid(strongRequired(problem));
        });
    }

    /** The one message for a password the strict rule refuses where a strong one is always required. */
    public static String strongRequired(String problem) {
        return "Password validation failed: " + problem;
    }

    /** Checks the password of an account: strictly for administrators, else as {@code strict} says. */
    public static void check(String password, boolean strict, boolean admin) {
        if (admin) {
            checkStrong(password);
        } else {
            check(password, strict);
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
