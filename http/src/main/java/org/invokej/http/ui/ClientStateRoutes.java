package org.invokej.http.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.invokej.core.DomainException;
import org.invokej.core.clientstate.ClientStateService;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.nio.charset.StandardCharsets;

/**
 * {@code /api/v1/client_state/{queue_id}/…}: the web UI's saved state, per user. The queue id is
 * ignored, as in InvokeAI (kept in the path for older clients).
 */
public final class ClientStateRoutes implements HttpService {

    private final Json json;
    private final ClientStateService states;

    public ClientStateRoutes(Json json, ClientStateService states) {
        this.json = json;
        this.states = states;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER_OR_DEFAULT, "/api/v1/client_state/**");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{queue_id}/get_by_key", (req, res) ->
                        json.send(res, states.get(Caller.actor(req), QueryParams.text(req, "key").orElse(null)).orElse(null)))
                .post("/{queue_id}/set_by_key", (req, res) ->
                        json.send(res, states.set(Caller.actor(req), QueryParams.text(req, "key").orElse(null), value(req))))
                .get("/{queue_id}/get_keys_by_prefix", (req, res) ->
                        json.send(res, states.keysByPrefix(Caller.actor(req), QueryParams.text(req, "prefix")
                                .orElseThrow(() -> DomainException.unprocessable("Query parameter 'prefix' is required")))))
                .post("/{queue_id}/delete_by_key", (req, res) -> {
                    states.delete(Caller.actor(req), QueryParams.text(req, "key").orElse(null));
                    json.send(res, null);
                })
                .post("/{queue_id}/delete", (req, res) -> {
                    states.deleteAll(Caller.actor(req));
                    json.send(res, null);
                });
    }

    /**
     * The value to store: the body as text (the UI sends {@code text/plain}), or a JSON string when the
     * body is JSON, as FastAPI reads a bare string body.
     */
    private String value(ServerRequest req) {
        boolean isJson = req.headers().contentType().map(type -> type.test(MediaTypes.APPLICATION_JSON)).orElse(false);
        if (isJson) {
            JsonNode node = json.read(req, JsonNode.class);
            if (!node.isTextual()) {
                throw DomainException.unprocessable("Invalid request body: expected a JSON string");
            }
            return node.textValue();
        }
        byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        if (body.length == 0) {
            throw DomainException.unprocessable("Field required: the request body (the value to store)");
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
