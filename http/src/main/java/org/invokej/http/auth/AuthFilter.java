package org.invokej.http.auth;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.core.auth.ApiKeys;
import org.invokej.core.auth.Sessions;
import org.invokej.core.users.User;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Establishes who calls, before any handler runs, and refuses what {@link RouteAccess} does not allow,
 * with InvokeAI's messages. The token is checked against the database as it is now on every request (so a
 * demotion, deactivation, deletion, password change or logout takes effect at once; {@link Sessions} reads
 * the rows again only when something was committed). The token may also be an API key ({@code ivj_…}):
 * then the table must also let keys of its scope call the route. It also adds the sliding
 * refresh: a successful POST/PUT/PATCH/DELETE that presented a still-honoured bearer token gets a fresh
 * one in {@code X-Refreshed-Token} (GETs never do, so polling does not keep an idle session alive).
 */
public final class AuthFilter implements Filter {

    public static final HeaderName REFRESHED_TOKEN = HeaderNames.create("X-Refreshed-Token");

    private static final Set<Method> MUTATING = Set.of(Method.POST, Method.PUT, Method.PATCH, Method.DELETE);

    /**
     * Beyond InvokeAI's messages: a deactivated user is told so (the built-in UI shows it), rather than
     * being sent to log in again as if the session had merely expired.
     */
    public static final String DEACTIVATED = "Your account was deactivated; ask an administrator to reactivate it";

    private final RouteAccess access;
    private final Sessions sessions;
    private final Set<String> noRefreshPaths;

    /**
     * @param basePath the public sub-path ("" at the root); login, logout and media-cookie never refresh
     */
    public AuthFilter(RouteAccess access, Sessions sessions, String basePath) {
        this.access = access;
        this.sessions = sessions;
        this.noRefreshPaths = java.util.stream.Stream.of("", basePath)
                .flatMap(prefix -> java.util.stream.Stream.of("/login", "/logout", "/media-cookie").map(p -> prefix + "/api/v1/auth" + p))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().absolute().path();
        Method method = request.prologue().method();
        Requirement requirement = access.requirement(method, path);
        Optional<String> bearer = bearer(request);
        switch (requirement) {
            case PUBLIC -> {
            }
            case USER, ADMIN -> {
                Resolved caller = resolve(bearer, Messages.CURRENT_USER);
                requireScope(caller, method, path);
                requireAdmin(requirement == Requirement.ADMIN, caller.actor());
                request.context().register(new Caller(caller.actor(), bearer, Optional.of(caller.user())));
            }
            case USER_OR_DEFAULT, ADMIN_OR_DEFAULT, MEDIA_OR_DEFAULT -> {
                if (!sessions.multiuser()) {
                    request.context().register(new Caller(Actor.SYSTEM, Optional.empty()));
                } else {
                    Optional<String> token = requirement == Requirement.MEDIA_OR_DEFAULT && bearer.isEmpty()
                            ? MediaCookie.read(request) : bearer;
                    Resolved caller = resolve(token, Messages.OR_DEFAULT);
                    requireScope(caller, method, path);
                    requireAdmin(requirement == Requirement.ADMIN_OR_DEFAULT, caller.actor());
                    request.context().register(new Caller(caller.actor(), token, Optional.of(caller.user())));
                }
            }
        }
        if (MUTATING.contains(method) && !noRefreshPaths.contains(path)) {
            // A key is never traded for a session token: that would lift its scope.
            strictBearer(request).filter(token -> !ApiKeys.looksLikeKey(token)).ifPresent(token -> response.beforeSend(() -> {
                if (response.status().code() < 400 && !response.headers().contains(REFRESHED_TOKEN)) {
                    sessions.refresh(token).ifPresent(fresh -> response.header(REFRESHED_TOKEN, fresh));
                }
            }));
        }
        chain.proceed();
    }

    /** The three messages of one kind of dependency, as InvokeAI words them. */
    private enum Messages {
        CURRENT_USER("Missing authentication credentials", "Invalid or expired authentication token",
                "User account is inactive or does not exist"),
        OR_DEFAULT("Authentication required", "Invalid or expired token", "User not found or inactive");

        final String missing;
        final String invalid;
        final String notHonoured;

        Messages(String missing, String invalid, String notHonoured) {
            this.missing = missing;
            this.invalid = invalid;
            this.notHonoured = notHonoured;
        }
    }

    /** Who a token stands for, and the scope when it is an API key. */
    private record Resolved(User user, Optional<ApiKeyScope> keyScope) {
        Actor actor() {
            return user.actor();
        }
    }

    private Resolved resolve(Optional<String> token, Messages messages) {
        if (token.isEmpty()) {
            throw DomainException.unauthenticated(messages.missing);
        }
        return switch (sessions.resolve(token.get())) {
            case Sessions.Honoured honoured -> new Resolved(honoured.user(), Optional.empty());
            case Sessions.KeyHonoured honoured -> new Resolved(honoured.user(), Optional.of(honoured.key().scope()));
            case Sessions.NotHonoured refused -> throw DomainException.unauthenticated(
                    refused.deactivated() ? DEACTIVATED : messages.notHonoured);
            case Sessions.Invalid ignored -> throw DomainException.unauthenticated(messages.invalid);
        };
    }

    private void requireScope(Resolved caller, Method method, String path) {
        caller.keyScope().filter(scope -> !access.keyMayCall(scope, method, path)).ifPresent(scope -> {
            throw DomainException.forbidden(scope == ApiKeyScope.FULL
                    ? "API keys cannot call this route; sign in instead"
                    : "This API key's scope (" + scope.wireName() + ") does not allow this request");
        });
    }

    private static void requireAdmin(boolean required, Actor actor) {
        if (required && !actor.admin()) {
            throw DomainException.forbidden("Admin privileges required");
        }
    }

    /** A bearer token, with the scheme matched case-insensitively; an empty token counts as none. */
    private static Optional<String> bearer(RoutingRequest request) {
        return request.headers().first(HeaderNames.AUTHORIZATION)
                .map(String::strip)
                .filter(value -> value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer "))
                .map(value -> value.substring(7).strip())
                .filter(token -> !token.isEmpty());
    }

    /** The refresh only takes a header that starts with exactly "Bearer ", as InvokeAI's middleware. */
    private static Optional<String> strictBearer(RoutingRequest request) {
        return request.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.startsWith("Bearer "))
                .map(value -> value.substring(7).strip())
                .filter(token -> !token.isEmpty());
    }
}
