package org.invokej.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Optional;

/**
 * The headers every response carries (a {@link ContentSecurityPolicy} for pages or for the API, no
 * framing, no content sniffing, no referrer to other sites), and CORS as {@link CorsPolicy} allows it:
 * preflights from allowed origins are answered here, before authentication, and refused for others.
 */
public final class SecurityHeaders implements Filter {

    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");
    private static final HeaderName REQUEST_HEADERS = HeaderNames.create("Access-Control-Request-Headers");

    private final ContentSecurityPolicy pages;
    private final CorsPolicy cors;
    private final String basePath;
    private final Json json;

    /**
     * @param pages    the policy of the browser UI's pages (everything outside the API)
     * @param basePath the public sub-path ("" at the root)
     */
    public SecurityHeaders(ContentSecurityPolicy pages, CorsPolicy cors, String basePath, Json json) {
        this.pages = pages;
        this.cors = cors;
        this.basePath = basePath;
        this.json = json;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().absolute().path();
        response.header(CSP, isPage(path) ? pages.value() : ContentSecurityPolicy.API.value());
        response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        response.header(FRAME_OPTIONS, "DENY");
        response.header(REFERRER_POLICY, "same-origin");
        if (path.indexOf('\0') >= 0) {
            // Nothing is named with a NUL (and PostgreSQL refuses one in text): not found, for every route.
            response.status(Status.NOT_FOUND_404).header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send("{\"detail\":\"The path holds a NUL character; no resource is named that way\"}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }

        Optional<String> origin = request.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            chain.proceed();
            return;
        }
        response.header(HeaderNames.VARY, "Origin");
        boolean allowed = cors.allowsOrigin(origin.get());
        if (request.prologue().method() == Method.OPTIONS && request.headers().contains(REQUEST_METHOD)) {
            String method = request.headers().get(REQUEST_METHOD).get();
            String headers = request.headers().first(REQUEST_HEADERS).orElse("");
            if (!allowed || !cors.allowsMethod(method) || !cors.allowsHeaders(headers)) {
                // From a filter only bytes can be sent (a Jackson entity ends in a 500, see stack-notes).
                response.header(HeaderNames.CONTENT_TYPE, "application/json");
                response.status(Status.BAD_REQUEST_400).send(json.bytes(java.util.Map.of("detail", "Disallowed CORS request")));
                return;
            }
            allowOrigin(response, origin.get());
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, cors.allowMethods().contains("*")
                    ? "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT" : String.join(", ", cors.allowMethods()));
            if (!headers.isBlank()) {
                response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, cors.allowHeaders().contains("*") ? headers : String.join(", ", cors.allowHeaders()));
            }
            response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            response.status(Status.OK_200).send();
            return;
        }
        if (allowed) {
            allowOrigin(response, origin.get());
            response.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Refreshed-Token");
        }
        chain.proceed();
    }

    private void allowOrigin(RoutingResponse response, String origin) {
        // With credentials the origin must be named, never "*".
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN,
                cors.allowOrigins().contains("*") && !cors.allowCredentials() ? "*" : origin);
        if (cors.allowCredentials()) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    private boolean isPage(String path) {
        String local = !basePath.isEmpty() && path.startsWith(basePath + "/") ? path.substring(basePath.length()) : path;
        return !(local.startsWith("/api/") || local.startsWith("/ws/") || local.startsWith("/socket.io") || local.startsWith("/observe"));
    }
}
