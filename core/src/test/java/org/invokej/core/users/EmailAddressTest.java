package org.invokej.core.users;

import org.invokej.core.DomainException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmailAddressTest {

    @ParameterizedTest
    @CsvSource({
            "admin@test.com, admin@test.com",
            "Ada.Lovelace@Example.COM, Ada.Lovelace@example.com",
            "'  bob@example.org  ', bob@example.org",
            "o'neil+tag@example.co.uk, o'neil+tag@example.co.uk",
            "anna@bücher.de, anna@bücher.de",
            "Ünïcode@example.com, Ünïcode@example.com",
    })
    void normalDomainsAreLowerCasedAndTheLocalPartKeepsItsCase(String raw, String stored) {
        assertEquals(stored, EmailAddress.normalize(raw));
    }

    @ParameterizedTest
    @CsvSource({
            "Admin@LOCALHOST, admin@localhost",
            "Ada@Printer.Local, ada@printer.local",
            "Me@Box.Test, me@box.test",
            "Kid@home.lan, kid@home.lan",
    })
    void specialUseDomainsAreAcceptedAndWhollyLowerCased(String raw, String stored) {
        assertEquals(stored, EmailAddress.normalize(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plainaddress", "@example.com", "user@", "user@nodot", "a..b@example.com",
            ".a@example.com", "a.@example.com", "a b@example.com", "user@exa mple.com", "user@-example.com",
            "user@example..com", "user@example.123", "user@example.com.", "<script>@example.com"})
    void malformedAddressesAre422WithAReason(String raw) {
        DomainException e = assertThrows(DomainException.class, () -> EmailAddress.normalize(raw));
        assertEquals(DomainException.Kind.UNPROCESSABLE, e.kind());
        assertTrue(e.detail().startsWith("Invalid email address: "), e.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"' OR 1=1 --@example.com", "admin'--@example.com\u0000"})
    void injectionLikeInputIsRefused(String raw) {
        assertThrows(DomainException.class, () -> EmailAddress.normalize(raw));
    }
}
