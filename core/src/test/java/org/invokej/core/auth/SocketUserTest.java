package org.invokej.core.auth;

import org.invokej.core.users.User;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user's row, as it is now, means for a connection opened earlier. */
class SocketUserTest {

    private static final User ADA = new User("u1", "ada@x.com", "Ada", "$2b$04$x", false, true, null, null, null, 3);
    private static final SocketUser CONNECTED = SocketUser.of(ADA);

    @Test
    void anUnchangedUserGoesOnAsBefore() {
        assertEquals(Optional.of(CONNECTED), CONNECTED.recheck(Optional.of(ADA)));
        assertFalse(CONNECTED.isStale(Optional.of(ADA)));
        assertFalse(CONNECTED.isStale(Optional.of(ADA.withDisplayName("Ada L."))), "a new name changes nothing");
    }

    @Test
    void deletionDeactivationAndANewPasswordEndTheConnection() {
        assertEquals(Optional.empty(), CONNECTED.recheck(Optional.empty()));
        assertEquals(Optional.empty(), CONNECTED.recheck(Optional.of(ADA.withActive(false))));
        assertEquals(Optional.empty(), CONNECTED.recheck(Optional.of(ADA.withPasswordHash("$2b$04$y"))));
        assertTrue(CONNECTED.isStale(Optional.empty()));
        assertTrue(CONNECTED.isStale(Optional.of(ADA.withPasswordHash("$2b$04$y"))));
    }

    @Test
    void aRoleChangeKeepsTheConnectionWithTheNewRole() {
        Optional<SocketUser> promoted = CONNECTED.recheck(Optional.of(ADA.withAdmin(true)));
        assertEquals(Optional.of(new SocketUser("u1", true, 3)), promoted);
        assertTrue(CONNECTED.isStale(Optional.of(ADA.withAdmin(true))), "the sweep reports it");
        assertEquals(Optional.of(CONNECTED), promoted.get().recheck(Optional.of(ADA)), "and a demotion back");
    }
}
