package org.invokej.http.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import org.invokej.http.ApiServer;
import org.invokej.http.ContentSecurityPolicy;
import org.invokej.http.Json;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /openapi.json}, as FastAPI serves it for InvokeAI: the server's routes (learnt from the route
 * families themselves, each with who may call it from the route-access table) and, under
 * {@code components.schemas}, the invocation schemas of the node types the engine runs, from which
 * InvokeAI's web UI builds its node templates. {@code GET /docs} is the interactive page over it (Swagger
 * UI, from its webjar, served by this server: nothing is fetched from elsewhere).
 */
public final class OpenApiRoutes implements HttpService {

    /** The Swagger UI webjar's version: its files are at {@code META-INF/resources/webjars/swagger-ui/<version>/}. */
    static final String SWAGGER_UI = "5.18.2";

    /**
     * The page's policy: Swagger UI's scripts from this server only, its React components set inline
     * styles, its icons are {@code data:} images; it calls this server's API and nothing else.
     */
    static final ContentSecurityPolicy DOCS_POLICY = new ContentSecurityPolicy("docs", "default-src 'none'; script-src 'self';"
            + " style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'self';"
            + " form-action 'self'; frame-ancestors 'none'");

    private static final io.helidon.http.HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");
    private static final String DOCS_PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>InvokeJ API</title>
              <link rel="stylesheet" href="docs/assets/swagger-ui.css">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="docs/assets/swagger-ui-bundle.js"></script>
              <script src="docs/start.js"></script>
            </body>
            </html>
            """;
    // A script of its own, not an inline one, so that the page's policy needs no 'unsafe-inline' for scripts.
    private static final String DOCS_SCRIPT = """
            window.ui = SwaggerUIBundle({ url: new URL('openapi.json', document.baseURI).href, dom_id: '#swagger-ui',
              deepLinking: true, persistAuthorization: false });
            """;

    private final byte[] document;

    /**
     * @param version           this server's version ({@code info.version})
     * @param mounts            every API route family, where it is mounted
     * @param access            the route-access table the server enforces
     * @param invocationSchemas the node types' schemas ({@code <Type>Invocation}, outputs, fields), by name
     */
    public OpenApiRoutes(Json json, String version, List<ApiServer.Mount> mounts, RouteAccess access, ObjectNode invocationSchemas) {
        this.document = json.bytes(document(version, mounts, access, invocationSchemas));
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.PUBLIC, "/openapi.json", Method.GET, Method.HEAD)
                .route(Requirement.PUBLIC, "/docs", Method.GET, Method.HEAD)
                .route(Requirement.PUBLIC, "/docs/**", Method.GET, Method.HEAD);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi.json", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
                    res.send(document);
                })
                .get("/docs", (req, res) -> page(res, "text/html; charset=utf-8", DOCS_PAGE))
                .get("/docs/start.js", (req, res) -> page(res, "text/javascript; charset=utf-8", DOCS_SCRIPT))
                .register("/docs/assets", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                        .location("META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI)
                        .build()));
    }

    private static void page(ServerResponse response, String type, String text) {
        response.header(CSP, DOCS_POLICY.value());
        response.header(HeaderNames.CONTENT_TYPE, type);
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        response.send(text.getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode document(String version, List<ApiServer.Mount> mounts, RouteAccess access, ObjectNode invocationSchemas) {
        ObjectNode document = NODES.objectNode();
        document.put("openapi", "3.1.0");
        document.putObject("info").put("title", "InvokeJ").put("version", version)
                .put("description", "InvokeAI's HTTP API, served by InvokeJ. Socket.IO events are at /ws/socket.io/.");
        Map<String, Map<String, RouteRecorder.Route>> paths = new TreeMap<>();
        for (ApiServer.Mount mount : mounts) {
            for (RouteRecorder.Route route : RouteRecorder.routes(mount.path(), mount.service())) {
                paths.computeIfAbsent(route.path(), path -> new TreeMap<>(Comparator.comparing(OpenApiRoutes::methodOrder)))
                        .putIfAbsent(route.method(), route);
            }
        }
        ObjectNode pathsNode = document.putObject("paths");
        paths.forEach((path, methods) -> {
            ObjectNode item = pathsNode.putObject(path);
            methods.values().forEach(route -> item.set(route.method().toLowerCase(Locale.ROOT), operation(route, access, mounts)));
        });
        ObjectNode components = document.putObject("components");
        components.set("schemas", invocationSchemas.deepCopy());
        components.putObject("securitySchemes").putObject("HTTPBearer").put("type", "http").put("scheme", "bearer");
        return document;
    }

    private static ObjectNode operation(RouteRecorder.Route route, RouteAccess access, List<ApiServer.Mount> mounts) {
        ObjectNode operation = NODES.objectNode();
        operation.putArray("tags").add(tag(route.path()));
        operation.put("operationId", (route.method() + route.path()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("_+$", ""));
        Requirement requirement = access.requirement(Method.create(route.method()), PARAMETER.matcher(route.path()).replaceAll("x"));
        operation.put("x-access", requirement.name().toLowerCase(Locale.ROOT));
        ArrayNode security = operation.putArray("security");
        if (requirement != Requirement.PUBLIC) {
            security.addObject().putArray("HTTPBearer");
        }
        Matcher parameter = PARAMETER.matcher(route.path());
        if (parameter.find()) {
            ArrayNode parameters = operation.putArray("parameters");
            do {
                parameters.addObject().put("name", parameter.group(1)).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            } while (parameter.find());
        }
        if (route.method().equals("POST") || route.method().equals("PUT") || route.method().equals("PATCH")) {
            operation.putObject("requestBody").putObject("content").putObject("application/json").putObject("schema");
        }
        ObjectNode responses = operation.putObject("responses");
        responses.putObject("200").put("description", "Successful Response");
        if (requirement != Requirement.PUBLIC) {
            responses.putObject("401").put("description", "Not signed in");
            responses.putObject("403").put("description", "Not allowed");
        }
        responses.putObject("422").put("description", "Validation Error");
        return operation;
    }

    /** The family a path belongs to: {@code /api/v1/boards/{board_id}} → {@code boards}. */
    private static String tag(String path) {
        String[] segments = path.split("/");
        return segments.length > 3 && segments[1].equals("api") ? segments[3] : "server";
    }

    private static int methodOrder(String method) {
        return List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE").indexOf(method);
    }
}
