package org.invokej.authz;

import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One route of the authorization matrix: how to call it, and the status each kind of caller must get.
 * Callers not named get 401 (a public route sets its status for everyone with {@link #everyone}).
 */
final class RouteCase {

    private final String method;
    private final Function<MatrixWorld, String> path;
    private Function<MatrixWorld, Object> body = world -> null;
    private Function<MatrixWorld, TestImages.Form> form;
    private final Map<Who, Integer> expected = new EnumMap<>(Who.class);
    private final String name;

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
        }
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
        return expected.get(who);
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
