package org.invokej.http.auth;

import io.helidon.webserver.http.ServerRequest;
import org.invokej.core.Actor;
import org.invokej.core.users.User;

import java.util.Optional;

/**
 * The caller the auth filter established for a request: the acting user and the token they presented
 * (none in single-user mode and on public routes), and their row as the filter read it on this request
 * (none for the built-in {@code system} user), so handlers need not read it again.
 */
public record Caller(Actor actor, Optional<String> token, Optional<User> user) {

    public Caller(Actor actor, Optional<String> token) {
        this(actor, token, Optional.empty());
    }

    /** The caller of {@code request}; only routes that require a caller have one. */
    public static Caller of(ServerRequest request) {
        return request.context().get(Caller.class)
                .orElseThrow(() -> new IllegalStateException("No caller for " + request.path().path()
                        + ": the route is public in RouteAccess but its handler needs a caller"));
    }

    /** The acting user of {@code request}. */
    public static Actor actor(ServerRequest request) {
        return of(request).actor();
    }
}
