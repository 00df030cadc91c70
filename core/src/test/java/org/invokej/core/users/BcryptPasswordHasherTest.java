package org.invokej.core.users;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BcryptPasswordHasherTest {

    private final BcryptPasswordHasher hasher = new BcryptPasswordHasher(4, 1);

    @AfterEach
    void close() {
        hasher.close();
    }

    @Test
    void writesSaltedPasslibStyleHashes() {
        String first = hasher.hash("TestPass123");
        String second = hasher.hash("TestPass123");
        assertTrue(first.startsWith("$2b$04$"), first);
        assertEquals(60, first.length());
        assertNotEquals(first, second);
        assertTrue(hasher.matches("TestPass123", first));
        assertTrue(hasher.matches("TestPass123", second));
    }

    @Test
    void theDefaultCostIsTwelve() {
        try (BcryptPasswordHasher production = new BcryptPasswordHasher(12, 1)) {
            assertTrue(production.hash("x").startsWith("$2b$12$"));
        }
    }

    @Test
    void verifiesHashesOfEveryBcryptFlavour() {
        for (BCryptPasswordEncoder.BCryptVersion version : BCryptPasswordEncoder.BCryptVersion.values()) {
            String hash = new BCryptPasswordEncoder(version, 5).encode("s3cret Pässword");
            assertTrue(hasher.matches("s3cret Pässword", hash), hash);
            assertFalse(hasher.matches("s3cret Password", hash), hash);
        }
    }

    @Test
    void isCaseAndWhitespaceSensitive() {
        String hash = hasher.hash("Pass Word 1");
        assertFalse(hasher.matches("pass word 1", hash));
        assertFalse(hasher.matches("Pass Word 1 ", hash));
        assertFalse(hasher.matches("", hash));
    }

    @Test
    void passwordsAreCutAtSeventyTwoBytesLikePasslib() {
        String longPassword = "a".repeat(100);
        String hash = hasher.hash(longPassword);
        assertTrue(hasher.matches(longPassword.substring(0, 72), hash));
        assertTrue(hasher.matches(longPassword + "anything", hash));
        assertFalse(hasher.matches(longPassword.substring(0, 71), hash));
    }

    @Test
    void aCharacterSplitByTheCutIsDropped() {
        // 71 ASCII bytes and a 2-byte character: the cut at 72 splits it, so it is left out.
        String password = "b".repeat(71) + "é" + "tail";
        String cut = BcryptPasswordHasher.truncate(password);
        assertEquals("b".repeat(71), cut);
        assertTrue(cut.getBytes(StandardCharsets.UTF_8).length <= 72);
        assertTrue(hasher.matches("b".repeat(71), hasher.hash(password)));
    }

    @Test
    void malformedOrEmptyHashesNeverMatchAndNeverThrow() {
        for (String hash : new String[] {"", "not-a-hash", "$2b$12$short", "$5$rounds=5000$abc", null}) {
            assertFalse(hasher.matches("anything", hash), String.valueOf(hash));
        }
        assertFalse(hasher.matches(null, hasher.hash("x")));
    }
}
