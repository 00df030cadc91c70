package org.invokej.core.users;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UserAccessListenersTest {

    @Test
    void everyListenerHearsInOrderEvenWhenOneFails() {
        List<String> heard = new ArrayList<>();
        UserAccessListeners listeners = new UserAccessListeners();
        listeners.add(id -> heard.add("first " + id));
        listeners.add(id -> {
            throw new IllegalStateException("broken (expected in this test)");
        });
        listeners.add(id -> heard.add("third " + id));

        listeners.accessChanged("u1");
        assertEquals(List.of("first u1", "third u1"), heard, "the committed change is not failed by a listener");
    }

    @Test
    void withoutListenersNothingHappens() {
        new UserAccessListeners().accessChanged("u1");
    }
}
