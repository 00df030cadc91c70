package org.invokej.core.users;

import java.security.SecureRandom;

/**
 * Passwords for administrators to hand out: four groups of four characters joined by hyphens, e.g.
 * {@code Kx7m-9Pqr-T4wz-8nHb}. The alphabet leaves out what is hard to read aloud or type from a note
 * (quotes, backslashes, backticks, {@code 0/O}, {@code 1/l/I}); 16 of its 55 characters still give about
 * 92 bits. Drawn again until there is an upper-case letter, a lower-case letter and a digit, so every
 * one passes the strict rule (administrators always need it).
 */
public final class PasswordGenerator {

    static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int GROUPS = 4;
    private static final int GROUP_LENGTH = 4;

    private final SecureRandom random = new SecureRandom();

    public String generate() {
        while (true) {
            StringBuilder password = new StringBuilder(GROUPS * (GROUP_LENGTH + 1));
            for (int group = 0; group < GROUPS; group++) {
                if (group > 0) {
                    password.append('-');
                }
                for (int i = 0; i < GROUP_LENGTH; i++) {
                    password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            if (PasswordPolicy.strictProblem(password.toString()).isEmpty()) {
                return password.toString();
            }
        }
    }
}
