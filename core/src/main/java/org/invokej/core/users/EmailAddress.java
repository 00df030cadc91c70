package org.invokej.core.users;

import org.invokej.core.DomainException;

import java.net.IDN;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an email address and returns the form stored in {@code users.email}, as InvokeAI does: the
 * domain lower-cased (and IDNA-checked), the local part's case kept. Special-use domains such as
 * {@code .local}, {@code .test} or {@code localhost} are accepted too, with the whole address
 * lower-cased, since households use them on their LAN.
 */
public final class EmailAddress {

    private static final Set<String> SPECIAL_USE = Set.of(
            "arpa", "invalid", "local", "localhost", "onion", "test", "internal", "home", "lan", "corp", "intranet", "private");
    // RFC 5322 dot-atom characters, plus any non-ASCII letter (internationalised addresses).
    private static final Pattern LOCAL_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\p{L}\\p{N}\\p{M}]+");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private EmailAddress() {
    }

    /**
     * The stored form of {@code raw}.
     *
     * @throws DomainException (unprocessable) "Invalid email address: …" with the reason
     */
    public static String normalize(String raw) {
        if (raw == null) {
            throw invalid("an email address is required");
        }
        String text = raw.strip();
        int at = text.lastIndexOf('@');
        if (text.isEmpty()) {
            throw invalid("an email address is required");
        }
        if (at < 0) {
            throw invalid("An email address must have an @-sign.");
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (local.isEmpty()) {
            throw invalid("There must be something before the @-sign.");
        }
        if (domain.isEmpty()) {
            throw invalid("There must be something after the @-sign.");
        }
        checkLocalPart(local);
        String asciiDomain = checkDomain(domain);
        String lastLabel = asciiDomain.substring(asciiDomain.lastIndexOf('.') + 1);
        if (!asciiDomain.contains(".") || SPECIAL_USE.contains(lastLabel)) {
            // InvokeAI's fallback for LAN names: whole address lower-cased, domain with a dot or localhost.
            if (!asciiDomain.contains(".") && !asciiDomain.equals("localhost")) {
                throw invalid("The part after the @-sign is not valid. It should have a period.");
            }
            return (local + "@" + domain).toLowerCase(Locale.ROOT);
        }
        if (lastLabel.chars().allMatch(Character::isDigit)) {
            throw invalid("The part after the @-sign is not valid. It is not within a valid top-level domain.");
        }
        if ((local + "@" + asciiDomain).length() > 254) {
            throw invalid("The email address is too long.");
        }
        return local + "@" + domain.toLowerCase(Locale.ROOT);
    }

    private static void checkLocalPart(String local) {
        if (local.length() > 64) {
            throw invalid("The email address is too long before the @-sign.");
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw invalid("The part before the @-sign cannot start or end with a period or have two periods in a row.");
        }
        for (String atom : local.split("\\.")) {
            if (!LOCAL_ATOM.matcher(atom).matches()) {
                throw invalid("The email address contains invalid characters before the @-sign.");
            }
        }
    }

    private static String checkDomain(String domain) {
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid("The part after the @-sign contains invalid characters.");
        }
        if (ascii.endsWith(".") || ascii.startsWith(".") || ascii.contains("..")) {
            throw invalid("The part after the @-sign cannot start or end with a period or have two periods in a row.");
        }
        for (String label : ascii.split("\\.")) {
            if (!LABEL.matcher(label).matches()) {
                throw invalid("The part after the @-sign contains invalid characters.");
            }
        }
        if (ascii.length() > 253) {
            throw invalid("The email address is too long after the @-sign.");
        }
        return ascii;
    }

    private static DomainException invalid(String reason) {
        return DomainException.unprocessable("Invalid email address: " + reason);
    }
}
