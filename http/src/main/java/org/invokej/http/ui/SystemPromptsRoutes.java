package org.invokej.http.ui;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.invokej.core.DomainException;
import org.invokej.core.prompts.SystemPrompt;
import org.invokej.core.prompts.SystemPromptService;
import org.invokej.http.ApiTimes;
import org.invokej.http.Json;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

/** {@code /api/v1/system_prompts}: the system prompts InvokeAI's prompt expansion offers, per user. */
public final class SystemPromptsRoutes implements HttpService {

    private final Json json;
    private final SystemPromptService prompts;

    public SystemPromptsRoutes(Json json, SystemPromptService prompts) {
        this.json = json;
        this.prompts = prompts;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER_OR_DEFAULT, "/api/v1/system_prompts/**");
    }

    /** InvokeAI's {@code SystemPromptRecordDTO}. */
    record Dto(String name, String content, String id, String createdAt, String updatedAt, String userId, boolean isPublic) {
        static Dto of(SystemPrompt prompt) {
            return new Dto(prompt.name(), prompt.content(), prompt.id(), ApiTimes.isoLocal(prompt.createdAt()),
                    ApiTimes.isoLocal(prompt.updatedAt()), prompt.ownerId(), prompt.isPublic());
        }
    }

    /** InvokeAI's {@code SystemPromptWithoutId}; other fields are refused. */
    record Create(String name, String content) {
        Create {
            if (name == null || content == null) {
                throw DomainException.unprocessable("Field required: " + (name == null ? "name" : "content"));
            }
        }
    }

    /** InvokeAI's {@code SystemPromptChanges}; other fields are refused. */
    record Changes(String name, String content, Boolean isPublic) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> json.send(res, prompts.list(Caller.actor(req)).stream().map(Dto::of).toList()))
                .post("/", (req, res) -> {
                    Create body = json.readStrict(req, Create.class);
                    json.send(res, Dto.of(prompts.create(Caller.actor(req), body.name(), body.content())));
                })
                .get("/i/{id}", (req, res) -> json.send(res, Dto.of(prompts.get(Caller.actor(req), id(req)))))
                .patch("/i/{id}", (req, res) -> {
                    Changes body = json.readStrict(req, Changes.class);
                    json.send(res, Dto.of(prompts.update(Caller.actor(req), id(req),
                            new SystemPromptService.Changes(body.name(), body.content(), body.isPublic()))));
                })
                .delete("/i/{id}", (req, res) -> {
                    prompts.delete(Caller.actor(req), id(req));
                    json.send(res, null);
                });
    }

    private static String id(ServerRequest req) {
        return req.path().pathParameters().get("id");
    }
}
