package org.invokej.authz;

import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One route of the authorization matrix: how to call it, and the status each kind of caller must get.
 * Callers not named get 401 (a public route sets its status for everyone with {@link #everyone}). The
 * owner's standing API keys, when not named, get what the owner gets where their scope reaches the route
 * and 403 elsewhere: a full key everywhere but the session-only routes ({@link #sessionOnly}), a read-only
 * key on GETs, a queue key on the queue, {@code GET /api/v1/auth/me} and image GETs.
 */
final class RouteCase {

    private final String method;
    private final Function<MatrixWorld, String> path;
    private Function<MatrixWorld, Object> body = world -> null;
    private Function<MatrixWorld, TestImages.Form> form;
    private final Map<Who, Integer> expected = new EnumMap<>(Who.class);
    private final String name;
    private final java.util.Set<Who> named = java.util.EnumSet.noneOf(Who.class);
    private boolean sessionOnly;

    private RouteCase(String method, String name, Function<MatrixWorld, String> path) {
        this.method = method;
        this.name = name;
        this.path = path;
        for (Who who : Who.values()) {
            expected.put(who, 401);
        }
    }

    /** A route with a fixed path. */
    static RouteCase of(String method, String path) {
        return new RouteCase(method, path, world -> path);
    }

    /** A route whose path is made from the world (ids of things, fresh targets). */
    static RouteCase of(String method, String name, Function<MatrixWorld, String> path) {
        return new RouteCase(method, name, path);
    }

    /** The JSON body to send (made per call, so fresh targets stay fresh). */
    RouteCase body(Function<MatrixWorld, Object> make) {
        this.body = make;
        return this;
    }

    /** A multipart form to send instead of JSON (made per call). */
    RouteCase form(Function<MatrixWorld, TestImages.Form> make) {
        this.form = make;
        return this;
    }

    RouteCase expect(int status, Who... callers) {
        for (Who who : callers) {
            expected.put(who, status);
            named.add(who);
        }
        return this;
    }

    /** No API key may call this route (its standing keys get 403). */
    RouteCase sessionOnly() {
        this.sessionOnly = true;
        return this;
    }

    /** The same status for every caller (public routes). */
    RouteCase everyone(int status) {
        return expect(status, Who.values());
    }

    String method() {
        return method;
    }

    /** The path as the table writes it, with {@code {…}} where the world fills in an id. */
    String name() {
        return name;
    }

    /** The path with the world's ids (which may make a fresh target). */
    String path(MatrixWorld world) {
        return path.apply(world);
    }

    /** The JSON body the row sends (which may make a fresh target), null for none. */
    Object body(MatrixWorld world) {
        return body.apply(world);
    }

    boolean sendsForm() {
        return form != null;
    }

    int expected(Who who) {
        if (named.contains(who) || !Who.SCOPED_KEYS.contains(who)) {
            return expected.get(who);
        }
        return keyReaches(who) ? expected.get(Who.OWNER) : 403;
    }

    private boolean keyReaches(Who key) {
        if (sessionOnly) {
            return false;
        }
        boolean read = method.equals("GET") || method.equals("HEAD");
        return switch (key) {
            case KEY_FULL -> true;
            case KEY_READ_ONLY -> read;
            case KEY_QUEUE -> name.startsWith("/api/v1/queue/") || read && (name.startsWith("/api/v1/images/i/")
                    || name.startsWith("/api/v1/auth/me"));
            default -> throw new IllegalArgumentException(key + " is no standing key");
        };
    }

    TestResponse call(MatrixWorld world, Who who) {
        TestClient client = world.client(who);
        String resolved = path.apply(world);
        if (form != null) {
            TestImages.Form made = form.apply(world);
            return client.send(method, resolved, made.contentType(), made.body());
        }
        Object payload = body.apply(world);
        return method.equals("GET") ? client.get(resolved) : client.json(method, resolved, payload);
    }

    @Override
    public String toString() {
        return method + " " + name;
    }
}
