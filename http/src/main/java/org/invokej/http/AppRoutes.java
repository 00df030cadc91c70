package org.invokej.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.util.List;
import java.util.Map;

/** {@code /api/v1/app}: what the server is, and the schedulers its engine runs. */
public final class AppRoutes implements HttpService {

    /** The InvokeAI API version whose routes and shapes this server follows; clients gate features on it. */
    public static final String COMPATIBLE_INVOKEAI_VERSION = "6.14.0";

    private final Json json;
    private final String version;
    private final List<SchedulerChoice> schedulers;

    /** {@code schedulers}: the engine's, in the order the UI offers them (the launcher passes SchedulerName's). */
    public AppRoutes(Json json, String version, List<SchedulerChoice> schedulers) {
        this.json = json;
        this.version = version;
        this.schedulers = List.copyOf(schedulers);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/version", (request, response) -> json.send(response,
                Map.of("version", COMPATIBLE_INVOKEAI_VERSION, "invokej_version", version)));
        // InvokeJ's own: InvokeAI's web UI hard-codes its list; the built-in UI asks which ones this engine runs
        rules.get("/schedulers", (request, response) -> json.send(response, schedulers));
    }
}
