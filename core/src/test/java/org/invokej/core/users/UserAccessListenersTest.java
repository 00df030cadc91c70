package org.invokej.core.users;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserAccessListenersTest {

    @Test
    void everyListenerHearsInOrderEvenWhenOneFails() {
        List<String> heard = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("broken");
        UserAccessListeners listeners = new UserAccessListeners();
        listeners.add(id -> heard.add("first " + id));
        listeners.add(id -> {
            throw failure;
        });
        listeners.add(id -> heard.add("third " + id));

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> listeners.accessChanged("u1"));
        assertSame(failure, thrown, "the failure is not swallowed");
        assertEquals(List.of("first u1", "third u1"), heard);
    }

    @Test
    void withoutListenersNothingHappens() {
        new UserAccessListeners().accessChanged("u1");
    }
}
