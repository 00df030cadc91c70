package org.invokej.http.ui;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.invokej.core.DomainException;
import org.invokej.core.models.ModelRelationships;
import org.invokej.http.Json;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.List;

/** {@code /api/v1/model_relationships}: related models, read by everyone, changed by administrators. */
public final class ModelRelationshipsRoutes implements HttpService {

    private final Json json;
    private final ModelRelationships relationships;

    public ModelRelationshipsRoutes(Json json, ModelRelationships relationships) {
        this.json = json;
        this.relationships = relationships;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/model_relationships", Method.POST, Method.DELETE)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/model_relationships/**");
    }

    /** Snake case would write {@code model_key1}: the names are InvokeAI's. */
    record Pair(@JsonProperty("model_key_1") String modelKey1, @JsonProperty("model_key_2") String modelKey2) {
        Pair {
            if (modelKey1 == null || modelKey2 == null) {
                throw DomainException.unprocessable("Field required: " + (modelKey1 == null ? "model_key_1" : "model_key_2"));
            }
        }
    }

    record Batch(List<String> modelKeys) {
        Batch {
            if (modelKeys == null) {
                throw DomainException.unprocessable("Field required: model_keys");
            }
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/i/{model_key}", (req, res) -> json.send(res, relationships.related(req.path().pathParameters().get("model_key"))))
                .post("/batch", (req, res) -> json.send(res, relationships.relatedToAny(json.read(req, Batch.class).modelKeys())))
                .post("/", (req, res) -> {
                    Pair pair = json.read(req, Pair.class);
                    relationships.add(Caller.actor(req), pair.modelKey1(), pair.modelKey2());
                    res.status(Status.NO_CONTENT_204).send();
                })
                .delete("/", (req, res) -> {
                    Pair pair = json.read(req, Pair.class);
                    relationships.remove(Caller.actor(req), pair.modelKey1(), pair.modelKey2());
                    res.status(Status.NO_CONTENT_204).send();
                });
    }
}
