package org.invokej.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.Map;

/** {@code /api/v1/app}: what the server is. */
public final class AppRoutes implements HttpService {

    /** The InvokeAI API version whose routes and shapes this server follows; clients gate features on it. */
    public static final String COMPATIBLE_INVOKEAI_VERSION = "6.14.0";

    private final Json json;
    private final String version;

    public AppRoutes(Json json, String version) {
        this.json = json;
        this.version = version;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/version", (request, response) -> json.send(response,
                Map.of("version", COMPATIBLE_INVOKEAI_VERSION, "invokej_version", version)));
    }
}
