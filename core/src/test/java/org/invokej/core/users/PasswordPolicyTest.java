package org.invokej.core.users;

import org.invokej.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PasswordPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"TestPass123", "Passwor1", "Pass Word 123", "密码Pass123", "Ünïcode1x", "aA1!@#$%^&*()"})
    void strongPasswordsPass(String password) {
        assertEquals(Optional.empty(), PasswordPolicy.strictProblem(password));
    }

    @Test
    void aLongPasswordPasses() {
        assertEquals(Optional.empty(), PasswordPolicy.strictProblem("Aa1" + "x".repeat(147)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Short1A", "Pa1"})
    void shortPasswordsAreRefusedWithTheLengthMessage(String password) {
        assertEquals(Optional.of("Password must be at least 8 characters long"), PasswordPolicy.strictProblem(password));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alllowercase1", "ALLUPPERCASE1", "NoDigitsHere", "12345678", "        "})
    void passwordsMissingAClassAreRefused(String password) {
        assertEquals(Optional.of("Password must contain uppercase, lowercase, and numbers"), PasswordPolicy.strictProblem(password));
    }

    @Test
    void lengthCountsCodePointsNotUtf16Units() {
        // Seven characters, one of them outside the BMP (two UTF-16 units): still too short.
        assertEquals(Optional.of("Password must be at least 8 characters long"), PasswordPolicy.strictProblem("Aa1😀bcd"));
    }

    @Test
    void nonStrictModeOnlyRefusesTheEmptyPassword() {
        assertDoesNotThrow(() -> PasswordPolicy.check("x", false));
        DomainException e = assertThrows(DomainException.class, () -> PasswordPolicy.check("", false));
        assertEquals("Password cannot be empty", e.detail());
        assertEquals(DomainException.Kind.INVALID, e.kind());
        assertThrows(DomainException.class, () -> PasswordPolicy.check(null, false));
    }

    @Test
    void strictModeRefusesWithA400() {
        DomainException e = assertThrows(DomainException.class, () -> PasswordPolicy.check("weak", true));
        assertEquals(DomainException.Kind.INVALID, e.kind());
    }

    @Test
    void generatedPasswordsAreFourReadableGroupsAndPassTheStrictRule() {
        PasswordGenerator generator = new PasswordGenerator();
        for (int i = 0; i < 200; i++) {
            String password = generator.generate();
            assertEquals(true, password.matches("[a-km-np-zA-HJ-NP-Z2-9]{4}(-[a-km-np-zA-HJ-NP-Z2-9]{4}){3}"), password);
            assertEquals(Optional.empty(), PasswordPolicy.strictProblem(password), password);
            assertEquals(true, password.chars().noneMatch(c -> "'\"\\`0OlI1".indexOf(c) >= 0), password);
        }
    }
}
