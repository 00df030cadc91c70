package org.invokej.http.fakes;

import org.invokej.core.users.User;
import org.invokej.testing.TestClient;

/** A user of a route test and a client that sends their token. */
public record TestUser(User user, TestClient client) {

    public String userId() {
        return user.userId();
    }
}
