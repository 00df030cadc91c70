package org.invokej.http.auth;

import io.helidon.http.SetCookie;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * InvokeAI's {@code invokeai_media_token} cookie: the session token again, so that {@code <img src>} can
 * load full-size images and thumbnails. HttpOnly, SameSite=Lax, Secure over HTTPS, scoped to
 * {@code <base_url>/api/v1}.
 */
public final class MediaCookie {

    public static final String NAME = "invokeai_media_token";

    private final String path;
    private final ClientAddresses clients;

    /**
     * @param basePath the public sub-path the server is reached under ("" when at the root)
     */
    public MediaCookie(String basePath, ClientAddresses clients) {
        this.path = basePath + "/api/v1";
        this.clients = clients;
    }

    /** Sets the cookie to {@code token} for {@code lifetime}. */
    public void set(ServerRequest request, ServerResponse response, String token, Duration lifetime) {
        response.headers().addCookie(cookie(request, token).maxAge(lifetime).build());
    }

    /** Tells the browser to forget the cookie. */
    public void delete(ServerRequest request, ServerResponse response) {
        response.headers().addCookie(cookie(request, "").expires(java.time.Instant.EPOCH.atZone(java.time.ZoneOffset.UTC)).build());
    }

    /** The token a request carries in the cookie, if any. */
    public static Optional<String> read(ServerRequest request) {
        return request.headers().cookies().first(NAME).asOptional().filter(value -> !value.isBlank());
    }

    private SetCookie.Builder cookie(ServerRequest request, String value) {
        return SetCookie.builder(NAME, value)
                .path(path)
                .httpOnly(true)
                .sameSite(SetCookie.SameSite.LAX)
                .secure(clients.isHttps(request));
    }
}
