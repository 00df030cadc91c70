package org.invokej.http.ui;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.invokej.core.DomainException;
import org.invokej.core.prompts.DynamicPrompts;
import org.invokej.http.Json;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.List;

/**
 * {@code /api/v1/utilities}: dynamic prompts, which the web UI asks for as soon as a prompt holds a
 * {@code {…}} template. InvokeAI's other utilities ({@code expand-prompt}, {@code image-to-prompt}) run
 * language models this server does not have: they are refused (400) saying so.
 */
public final class UtilitiesRoutes implements HttpService {

    /** InvokeAI's body: only {@code prompt} is required. */
    record DynamicPromptsRequest(String prompt, Integer maxPrompts, Boolean combinatorial, Long seed) {
    }

    private final Json json;

    public UtilitiesRoutes(Json json) {
        this.json = json;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER_OR_DEFAULT, "/api/v1/utilities/dynamicprompts", Method.POST)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/utilities/expand-prompt", Method.POST)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/utilities/image-to-prompt", Method.POST);
    }

    static final String NO_LANGUAGE_MODELS = "This server runs no language models (InvokeAI's text and vision LLMs)";

    @Override
    public void routing(HttpRules rules) {
        rules.post("/expand-prompt", (req, res) -> {
            throw DomainException.invalid(NO_LANGUAGE_MODELS + ": it cannot expand a prompt; write the prompt out in full");
        });
        rules.post("/image-to-prompt", (req, res) -> {
            throw DomainException.invalid(NO_LANGUAGE_MODELS + ": it cannot describe an image as a prompt");
        });
        rules.post("/dynamicprompts", (req, res) -> {
            DynamicPromptsRequest body = json.readStrict(req, DynamicPromptsRequest.class);
            if (body.prompt() == null) {
                throw DomainException.unprocessable("Field required",
                        new DomainException.Location(List.of("body", "prompt"), "missing"));
            }
            int max = body.maxPrompts() == null ? 1000 : body.maxPrompts();
            if (max < 1 || max > DynamicPrompts.MAX_PROMPTS) {
                throw DomainException.unprocessable("Input should be between 1 and " + DynamicPrompts.MAX_PROMPTS,
                        new DomainException.Location(List.of("body", "max_prompts"), max < 1 ? "greater_than_equal" : "less_than_equal"));
            }
            json.send(res, DynamicPrompts.generate(body.prompt(), max, body.combinatorial() == null || body.combinatorial(), body.seed()));
        });
    }
}
