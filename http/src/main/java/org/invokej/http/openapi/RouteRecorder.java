package org.invokej.http.openapi;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.ArrayList;
import java.util.List;

/**
 * The routes a service declares, learnt by letting it declare them here instead of on a server: each
 * {@code get}/{@code post}/… call is written down as a method and a path under the mount. This is how
 * {@code /openapi.json} lists exactly the routes the server has, without a second list to keep in step.
 */
final class RouteRecorder implements HttpRules {

    /** One declared route: a method and a full path with Helidon's (and OpenAPI's) {@code {name}} parameters. */
    record Route(String method, String path) {
    }

    private final String prefix;
    private final List<Route> routes;

    private RouteRecorder(String prefix, List<Route> routes) {
        this.prefix = prefix;
        this.routes = routes;
    }

    /** The routes {@code service} declares when mounted at {@code mount}. */
    static List<Route> routes(String mount, HttpService service) {
        List<Route> routes = new ArrayList<>();
        service.routing(new RouteRecorder(mount.equals("/") ? "" : mount, routes));
        return List.copyOf(routes);
    }

    private HttpRules add(Method method, String path) {
        String full = prefix + (path.equals("/") && !prefix.isEmpty() ? "/" : path);
        routes.add(new Route(method.text(), full.isEmpty() ? "/" : full));
        return this;
    }

    @Override
    public HttpRules register(HttpService... services) {
        for (HttpService service : services) {
            service.routing(this);
        }
        return this;
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
        for (HttpService service : services) {
            service.routing(new RouteRecorder(prefix + pathPattern, routes));
        }
        return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
        // A route built by hand has no readable path; the families declare theirs with the calls below.
        return this;
    }

    @Override
    public HttpRules route(Method method, String pathPattern, Handler handler) {
        return add(method, pathPattern);
    }

    @Override
    public HttpRules get(String pathPattern, Handler... handlers) {
        return add(Method.GET, pathPattern);
    }

    @Override
    public HttpRules post(String pathPattern, Handler... handlers) {
        return add(Method.POST, pathPattern);
    }

    @Override
    public HttpRules put(String pathPattern, Handler... handlers) {
        return add(Method.PUT, pathPattern);
    }

    @Override
    public HttpRules delete(String pathPattern, Handler... handlers) {
        return add(Method.DELETE, pathPattern);
    }

    @Override
    public HttpRules patch(String pathPattern, Handler... handlers) {
        return add(Method.PATCH, pathPattern);
    }

    @Override
    public HttpRules head(String pathPattern, Handler... handlers) {
        return add(Method.HEAD, pathPattern);
    }

    @Override
    public HttpRules get(Handler... handlers) {
        return add(Method.GET, "");
    }

    @Override
    public HttpRules post(Handler... handlers) {
        return add(Method.POST, "");
    }

    @Override
    public HttpRules put(Handler... handlers) {
        return add(Method.PUT, "");
    }

    @Override
    public HttpRules delete(Handler... handlers) {
        return add(Method.DELETE, "");
    }

    @Override
    public HttpRules patch(Handler... handlers) {
        return add(Method.PATCH, "");
    }
}
