package org.invokej.core.users;

import java.security.SecureRandom;

/**
 * Passwords for administrators to hand out, as InvokeAI makes them: 16 characters drawn uniformly from
 * ASCII letters, digits and punctuation, drawn again until there is an upper-case letter, a lower-case
 * letter and a digit (so they pass the strict rule).
 */
public final class PasswordGenerator {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final int LENGTH = 16;

    private final SecureRandom random = new SecureRandom();

    public String generate() {
        while (true) {
            StringBuilder password = new StringBuilder(LENGTH);
            for (int i = 0; i < LENGTH; i++) {
                password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            if (PasswordPolicy.strictProblem(password.toString()).isEmpty()) {
                return password.toString();
            }
        }
    }
}
