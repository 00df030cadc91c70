package org.invokej.http.auth;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.core.auth.Sessions;
import org.invokej.core.auth.TokenClaims;
import org.invokej.core.users.PasswordGenerator;
import org.invokej.core.users.User;
import org.invokej.core.users.UserService;
import org.invokej.core.content.ContentTransfer;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.content.BoardsRoutes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/auth}: setup, login and logout, the caller's profile, and user administration. */
public final class AuthRoutes implements HttpService {

    private final Json json;
    private final UserService users;
    private final Sessions sessions;
    private final MediaCookie cookie;
    private final ClientAddresses clients;
    private final ContentTransfer transfers;
    private final PasswordGenerator passwords = new PasswordGenerator();

    public AuthRoutes(Json json, UserService users, Sessions sessions, MediaCookie cookie, ClientAddresses clients,
                       ContentTransfer transfers) {
        this.json = json;
        this.users = users;
        this.sessions = sessions;
        this.cookie = cookie;
        this.clients = clients;
        this.transfers = transfers;
    }

    /** Who may call what of this service; the auth filter applies it. */
    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.PUBLIC, "/api/v1/auth/status")
                .route(Requirement.PUBLIC, "/api/v1/auth/setup")
                .route(Requirement.PUBLIC, "/api/v1/auth/login")
                .route(Requirement.USER, "/api/v1/auth/logout")
                .route(Requirement.USER, "/api/v1/auth/me")
                .route(Requirement.USER, "/api/v1/auth/generate-password")
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/auth/media-cookie")
                .route(Requirement.ADMIN, "/api/v1/auth/users")
                .route(Requirement.ADMIN, "/api/v1/auth/users/**")
                // Read by queue-only keys to check who they are; ending a session or setting the media cookie is for sessions.
                .keys(ApiKeyScope.QUEUE, "/api/v1/auth/me", Method.GET)
                .sessionOnly("/api/v1/auth/logout")
                .sessionOnly("/api/v1/auth/media-cookie");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/status", this::status)
                .post("/setup", this::setup)
                .post("/login", this::login)
                .post("/logout", this::logout)
                // The row the auth filter read on this request is as fresh as a new read.
                .get("/me", (req, res) -> json.send(res, UserDto.of(Caller.of(req).user()
                        .orElseGet(() -> users.get(Caller.actor(req).userId())))))
                .patch("/me", this::updateProfile)
                .post("/media-cookie", this::mediaCookie)
                .get("/generate-password", (req, res) -> json.send(res, Map.of("password", passwords.generate())))
                .get("/users", (req, res) -> json.send(res, users.list().stream().map(UserDto::of).toList()))
                .post("/users", this::createUser)
                .get("/users/{user_id}", (req, res) -> json.send(res, UserDto.of(users.get(userId(req)))))
                .patch("/users/{user_id}", this::updateUser)
                .delete("/users/{user_id}", this::deleteUser)
                .post("/users/{user_id}/transfer", this::transferContent);
    }

    private void status(ServerRequest req, ServerResponse res) {
        UserService.SetupStatus status = users.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("setup_required", status.setupRequired());
        body.put("multiuser_enabled", status.multiuserEnabled());
        body.put("strict_password_checking", status.strictPasswordChecking());
        // InvokeAI computes this from the very condition that makes setup required, so it is always null.
        body.put("admin_email", null);
        json.send(res, body);
    }

    private void setup(ServerRequest req, ServerResponse res) {
        AuthRequests.Setup body = json.read(req, AuthRequests.Setup.class);
        User admin = users.setup(new UserService.NewAccount(body.email(), body.displayName(), body.password(), true), clients.of(req));
        json.send(res, Map.of("success", true, "user", UserDto.of(admin)));
    }

    private void login(ServerRequest req, ServerResponse res) {
        AuthRequests.Login body = json.read(req, AuthRequests.Login.class);
        Sessions.Login login = sessions.login(body.email(), body.password(), body.remember(), clients.of(req));
        cookie.set(req, res, login.token(), Duration.ofSeconds(login.expiresInSeconds()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", login.token());
        answer.put("user", UserDto.of(login.user()));
        answer.put("expires_in", login.expiresInSeconds());
        json.send(res, answer);
    }

    private void logout(ServerRequest req, ServerResponse res) {
        Caller caller = Caller.of(req);
        sessions.logout(caller.token().orElseThrow(), caller.actor(), clients.of(req));
        cookie.delete(req, res);
        json.send(res, Map.of("success", true));
    }

    private void mediaCookie(ServerRequest req, ServerResponse res) {
        Caller caller = Caller.of(req);
        if (sessions.multiuser()) {
            String token = caller.token().orElseThrow();
            cookie.set(req, res, token, Duration.ofSeconds(sessions.secondsLeft(token)));
        }
        json.send(res, Map.of("success", true));
    }

    private void updateProfile(ServerRequest req, ServerResponse res) {
        AuthRequests.ProfileUpdate body = json.read(req, AuthRequests.ProfileUpdate.class);
        Caller caller = Caller.of(req);
        User before = users.get(caller.actor().userId());
        User after = users.updateProfile(caller.actor(),
                new UserService.ProfileChanges(body.displayName(), body.currentPassword(), body.newPassword()), clients.of(req));
        replaceTokenIfRevoked(req, res, caller, before, after);
        json.send(res, UserDto.of(after));
    }

    private void createUser(ServerRequest req, ServerResponse res) {
        AuthRequests.CreateUser body = json.read(req, AuthRequests.CreateUser.class);
        User user = users.create(Caller.actor(req), new UserService.NewAccount(body.email(), body.displayName(), body.password(),
                body.isAdmin() != null && body.isAdmin()), clients.of(req));
        json.send(res, Status.CREATED_201, UserDto.of(user));
    }

    private void updateUser(ServerRequest req, ServerResponse res) {
        AuthRequests.UpdateUser body = json.read(req, AuthRequests.UpdateUser.class);
        Caller caller = Caller.of(req);
        String target = userId(req);
        User before = users.get(target);
        User after = users.update(caller.actor(), target,
                new UserService.UserChanges(body.displayName(), body.password(), body.isAdmin(), body.isActive()), clients.of(req));
        if (caller.actor().owns(target) && after.active()) {
            replaceTokenIfRevoked(req, res, caller, before, after);
        }
        json.send(res, UserDto.of(after));
    }

    /** Beyond InvokeAI: {@code ?transfer_to=<user id>} gives the user's content to that user first, in the same transaction. */
    private void deleteUser(ServerRequest req, ServerResponse res) {
        users.delete(Caller.actor(req), userId(req), QueryParams.text(req, "transfer_to").orElse(null), clients.of(req));
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Beyond InvokeAI: gives every board, image and workflow of the user to {@code to_user_id}. */
    private void transferContent(ServerRequest req, ServerResponse res) {
        BoardsRoutes.Transfer body = json.read(req, BoardsRoutes.Transfer.class);
        json.send(res, transfers.transferAll(Caller.actor(req), userId(req), body.toUserId(), clients.of(req)));
    }

    /**
     * A password change revokes every token of the user, the caller's too: the caller gets a replacement
     * (same remember-me) in {@code X-Refreshed-Token} and a refreshed media cookie.
     */
    private void replaceTokenIfRevoked(ServerRequest req, ServerResponse res, Caller caller, User before, User after) {
        if (before.tokenEpoch() == after.tokenEpoch() || caller.token().isEmpty()) {
            return;
        }
        boolean rememberMe = sessions.claims(caller.token().get()).map(TokenClaims::rememberMe).orElse(false);
        String replacement = sessions.continueSession(after, caller.token().get());
        res.header(AuthFilter.REFRESHED_TOKEN, replacement);
        cookie.set(req, res, replacement, TokenClaims.lifetime(rememberMe));
    }

    private static String userId(ServerRequest req) {
        return req.path().pathParameters().get("user_id");
    }
}
