package org.invokej.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import org.invokej.core.DomainException;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * {@code /api/v1/app}: what the server is (version, components, devices, the schedulers its engine runs),
 * its settings for administrators, the log level, and InvokeAI's invocation-cache routes. InvokeJ keeps no
 * invocation cache: it answers as InvokeAI does with {@code max_cache_size: 0}, where the cache is disabled,
 * empty, and enabling, disabling or clearing it changes nothing.
 */
public final class AppRoutes implements HttpService {

    /** The InvokeAI API version whose routes and shapes this server follows; clients gate features on it. */
    public static final String COMPATIBLE_INVOKEAI_VERSION = "6.14.0";

    /**
     * What the app routes tell about this server.
     *
     * @param components  name → version of the parts it runs on ({@code app_deps}), sorted case-insensitively
     * @param devices     the devices generation can run on
     * @param settings    the effective settings, as the settings record serialises ({@code runtime_config})
     * @param setFields   the settings whose values differ from the defaults
     */
    public record Info(String version, SortedMap<String, String> components, List<Device> devices, Object settings,
                       List<String> setFields) {
        public Info {
            Objects.requireNonNull(version, "version");
            components = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(components));
            devices = List.copyOf(devices);
            setFields = List.copyOf(setFields);
        }
    }

    /** InvokeAI's generation device option. */
    public record Device(String device, String name) {
    }

    /** InvokeAI's {@code InvocationCacheStatus} of a cache with no room. */
    record CacheStatus(int size, int hits, int misses, boolean enabled, int maxSize) {
        static final CacheStatus NONE = new CacheStatus(0, 0, 0, false, 0);
    }

    record RuntimeConfig(List<String> setFields, Object config) {
    }

    private final Json json;
    private final Info info;
    private final LogLevel logLevel;
    private final List<SchedulerChoice> schedulers;

    /** Routes that know only the version: no components listed, the CPU, no settings, no schedulers (route tests). */
    public AppRoutes(Json json, String version) {
        this(json, version, List.of());
    }

    /** As {@link #AppRoutes(Json, String)}, with the engine's schedulers. */
    public AppRoutes(Json json, String version, List<SchedulerChoice> schedulers) {
        this(json, new Info(version, new java.util.TreeMap<>(Map.of("InvokeJ", version)), List.of(new Device("cpu", "CPU")),
                Map.of(), List.of()), new LogLevel(), schedulers);
    }

    /** {@code schedulers}: the engine's, in the order the UI offers them (the launcher passes SchedulerName's). */
    public AppRoutes(Json json, Info info, LogLevel logLevel, List<SchedulerChoice> schedulers) {
        this.json = json;
        this.info = info;
        this.logLevel = logLevel;
        this.schedulers = List.copyOf(schedulers);
    }

    /** What reads the server's description needs a user; settings, logging and the cache are for administrators. */
    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.PUBLIC, "/api/v1/app/version", Method.GET)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/app/app_deps", Method.GET)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/app/patchmatch_status", Method.GET)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/app/generation_device_options", Method.GET)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/app/external_providers/status", Method.GET)
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/app/schedulers", Method.GET)
                .route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/app/**");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/version", (req, res) -> json.send(res,
                        Map.of("version", COMPATIBLE_INVOKEAI_VERSION, "invokej_version", info.version())))
                // InvokeJ's own: InvokeAI's web UI hard-codes its list; the built-in UI asks which ones this engine runs
                .get("/schedulers", (req, res) -> json.send(res, schedulers))
                .get("/app_deps", (req, res) -> json.send(res, info.components()))
                // No PatchMatch here: the UI then uses another infill method.
                .get("/patchmatch_status", (req, res) -> json.send(res, false))
                .get("/generation_device_options", (req, res) -> json.send(res, info.devices()))
                .get("/runtime_config", (req, res) -> json.send(res, runtimeConfig()))
                .patch("/runtime_config", (req, res) -> {
                    refuseRuntimeChanges(json.read(req, JsonNode.class));
                    json.send(res, runtimeConfig());
                })
                // No external generation providers: none configured, none to configure.
                .get("/external_providers/status", (req, res) -> json.send(res, List.of()))
                .get("/external_providers/config", (req, res) -> json.send(res, List.of()))
                .post("/external_providers/config/{provider_id}", (req, res) -> unknownProvider(req))
                .delete("/external_providers/config/{provider_id}", (req, res) -> unknownProvider(req))
                .get("/logging", (req, res) -> json.send(res, logLevel.get()))
                .post("/logging", (req, res) -> json.send(res, logLevel.set(level(json.read(req, JsonNode.class)))))
                .get("/invocation_cache/status", (req, res) -> json.send(res, CacheStatus.NONE))
                .delete("/invocation_cache", (req, res) -> json.send(res, null))
                .put("/invocation_cache/enable", (req, res) -> json.send(res, null))
                .put("/invocation_cache/disable", (req, res) -> json.send(res, null));
    }

    private RuntimeConfig runtimeConfig() {
        return new RuntimeConfig(info.setFields(), info.settings());
    }

    /**
     * InvokeAI lets an administrator change {@code max_queue_history}, {@code image_subfolder_strategy}
     * and {@code generation_devices} while it runs. InvokeJ has none of these as settings: asking for the
     * behaviour it already has ({@code flat}, {@code auto}) is accepted, anything else refused; unknown
     * fields are ignored, as InvokeAI ignores them.
     */
    private static void refuseRuntimeChanges(JsonNode body) {
        if (!body.isObject()) {
            throw DomainException.unprocessable("Invalid request body: expected a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            boolean asIs = value.isNull()
                    || (field.getKey().equals("image_subfolder_strategy") && value.asText().equals("flat"))
                    || (field.getKey().equals("generation_devices") && value.asText().equals("auto"));
            if (List.of("max_queue_history", "image_subfolder_strategy", "generation_devices").contains(field.getKey()) && !asIs) {
                throw DomainException.invalid(field.getKey() + " cannot be changed on this server");
            }
        }
    }

    private static void unknownProvider(ServerRequest req) {
        throw DomainException.notFound("Unknown external provider '" + req.path().pathParameters().get("provider_id") + "'");
    }

    /** The body of {@code POST /logging}: a bare integer, one of Python's level numbers. */
    private static int level(JsonNode body) {
        if (!body.isInt() || !LogLevel.isLevel(body.intValue())) {
            throw DomainException.unprocessable("The log level must be one of 0, 10, 20, 30, 40, 50");
        }
        return body.intValue();
    }
}
