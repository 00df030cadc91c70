package org.invokej.authz;

import java.util.List;
import java.util.Map;

import static org.invokej.authz.Who.ADMIN;
import static org.invokej.authz.Who.OTHER;
import static org.invokej.authz.Who.OWNER;

/** The matrix rows of {@code /api/v1/auth}, {@code /api/v1/audit}, {@code /api/v1/app} and {@code /observe}. */
final class AuthRoutes {

    private AuthRoutes() {
    }

    static List<RouteCase> cases() {
        return List.of(
                RouteCase.of("GET", "/api/v1/app/version").everyone(200),
                RouteCase.of("GET", "/api/v1/app/schedulers").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/auth/status").everyone(200),
                RouteCase.of("GET", "/observe/health").everyone(200),
                RouteCase.of("GET", "/observe/metrics").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", "/api/v1/auth/me").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PATCH", "/api/v1/auth/me").body(w -> Map.of()).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/auth/generate-password").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/auth/media-cookie").expect(200, OWNER, OTHER, ADMIN).sessionOnly(),
                RouteCase.of("GET", "/api/v1/auth/api-keys").expect(200, OWNER, OTHER, ADMIN).sessionOnly(),
                RouteCase.of("GET", "/api/v1/auth/api-keys?all=true").expect(200, ADMIN).expect(403, OWNER, OTHER).sessionOnly(),
                RouteCase.of("POST", "/api/v1/auth/api-keys").body(w -> Map.of("name", "matrix", "scope", "read_only"))
                        .expect(201, OWNER, OTHER, ADMIN).sessionOnly(),
                RouteCase.of("DELETE", "/api/v1/auth/api-keys/{owner's key}", w -> "/api/v1/auth/api-keys/" + w.freshKeyOfOwner())
                        .expect(200, OWNER, ADMIN).expect(404, OTHER).sessionOnly(),
                RouteCase.of("GET", "/api/v1/auth/users").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("POST", "/api/v1/auth/users")
                        .body(w -> Map.of("email", "new" + System.nanoTime() + "@test.com", "password", "Secret123"))
                        .expect(201, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", "/api/v1/auth/users/{owner}", w -> "/api/v1/auth/users/" + w.owner.userId())
                        .expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("PATCH", "/api/v1/auth/users/{fresh}", w -> "/api/v1/auth/users/" + w.freshUserId())
                        .body(w -> Map.of("display_name", "Renamed")).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", "/api/v1/auth/users/{fresh}", w -> "/api/v1/auth/users/" + w.freshUserId())
                        .expect(204, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", "/api/v1/audit").expect(200, ADMIN).expect(403, OWNER, OTHER),
                // Logout last of the auth rows would end the sessions other rows use, so it is tried with
                // a session of its own in AuthFlowTest; here only who may reach it.
                RouteCase.of("GET", "/api/v1/no-such-route").expect(404, OWNER, OTHER, ADMIN));
    }
}
