package org.invokej.http.auth;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;
import org.invokej.core.auth.ApiKey;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.core.auth.ApiKeys;
import org.invokej.http.ApiTimes;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;

import java.time.Clock;
import java.util.List;

/**
 * {@code /api/v1/auth/api-keys} (beyond InvokeAI): the caller's API keys, created, listed and revoked;
 * administrators list ({@code ?all=true}) and revoke everyone's. Keys themselves cannot call these routes.
 */
public final class ApiKeysRoutes implements HttpService {

    /** One key as JSON; {@code status} is {@code active}, {@code expired} or {@code revoked}. */
    record KeyDto(String keyId, String name, String scope, String prefix, String userId, String ownerEmail, String status,
                  String createdAt, String expiresAt, String lastUsedAt, String revokedAt) {
        static KeyDto of(ApiKey key, Clock clock) {
            String status = key.revokedAt() != null ? "revoked" : key.usableAt(clock.instant()) ? "active" : "expired";
            return new KeyDto(key.keyId(), key.name(), key.scope().wireName(), key.prefix(), key.userId(), key.ownerEmail(), status,
                    ApiTimes.isoUtc(key.createdAt()), ApiTimes.isoUtc(key.expiresAt()), ApiTimes.isoUtc(key.lastUsedAt()),
                    ApiTimes.isoUtc(key.revokedAt()));
        }
    }

    /** {@code POST} body: a name, a scope ({@code full} when left out) and an optional lifetime in days. */
    record CreateKey(String name, String scope, Integer expiresInDays) {
        CreateKey {
            AuthRequests.required(name, "name");
        }
    }

    /** The answer to a creation: the key, shown this once, and its listing. */
    record CreatedKey(String key, KeyDto apiKey) {
    }

    private final Json json;
    private final ApiKeys keys;
    private final ClientAddresses clients;
    private final Clock clock;

    public ApiKeysRoutes(Json json, ApiKeys keys, ClientAddresses clients, Clock clock) {
        this.json = json;
        this.keys = keys;
        this.clients = clients;
        this.clock = clock;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER, "/api/v1/auth/api-keys")
                .route(Requirement.USER, "/api/v1/auth/api-keys/**")
                // A leaked key must not be able to mint more keys or outlive its own revocation.
                .sessionOnly("/api/v1/auth/api-keys")
                .sessionOnly("/api/v1/auth/api-keys/**");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .delete("/{key_id}", this::revoke);
    }

    private void list(ServerRequest req, ServerResponse res) {
        boolean all = QueryParams.bool(req, "all").orElse(false);
        List<ApiKey> found = all ? keys.listAll(Caller.actor(req), 1000) : keys.listOwn(Caller.actor(req));
        json.send(res, found.stream().map(key -> KeyDto.of(key, clock)).toList());
    }

    private void create(ServerRequest req, ServerResponse res) {
        CreateKey body = json.read(req, CreateKey.class);
        ApiKeyScope scope = body.scope() == null ? ApiKeyScope.FULL : ApiKeyScope.byName(body.scope())
                .orElseThrow(() -> DomainException.unprocessable("scope must be one of " + ApiKeyScope.names()));
        var actor = Caller.actor(req);
        ApiKeys.Created created = keys.create(actor, actor.userId(), new ApiKeys.NewKey(body.name(), scope, body.expiresInDays()),
                clients.of(req));
        json.send(res, Status.CREATED_201, new CreatedKey(created.secret(), KeyDto.of(created.key(), clock)));
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        ApiKey key = keys.revoke(Caller.actor(req), req.path().pathParameters().get("key_id"), clients.of(req));
        json.send(res, KeyDto.of(key, clock));
    }
}
