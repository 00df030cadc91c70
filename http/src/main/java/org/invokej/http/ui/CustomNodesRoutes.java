package org.invokej.http.ui;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.invokej.http.Json;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.List;

/**
 * {@code /api/v2/custom_nodes}: InvokeAI's node packs are Python code it loads into itself; this server
 * runs its own node types only, so the list is empty, an install is answered unsuccessful with the
 * reason (InvokeAI's own answer to an install that fails), and a reload has nothing to do. All of it is
 * for administrators, as in InvokeAI.
 */
public final class CustomNodesRoutes implements HttpService {

    static final String PREFIX = "/api/v2/custom_nodes";
    static final String NO_NODE_PACKS = "InvokeJ runs its own node types and cannot load InvokeAI's custom node packs (Python code)";

    /** InvokeAI's {@code NodePackListResponse}. */
    record NodePacks(List<String> nodePacks) {
    }

    /** InvokeAI's {@code InstallNodePackResponse} of an install that did not happen. */
    record Installed(String name, boolean success, String message, int workflowsImported, boolean requiresDependencies,
                     String dependencyFile) {
    }

    /** InvokeAI's {@code UninstallNodePackResponse}. */
    record Uninstalled(String name, boolean success, String message) {
    }

    /** InvokeAI's install body. */
    record InstallRequest(String source) {
    }

    /** InvokeAI's reload answer. */
    record Reloaded(String status) {
    }

    private final Json json;

    public CustomNodesRoutes(Json json) {
        this.json = json;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.ADMIN_OR_DEFAULT, PREFIX)
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/**");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> json.send(res, new NodePacks(List.of())))
                .post("/install", (req, res) -> {
                    InstallRequest body = json.read(req, InstallRequest.class);
                    String source = body.source() == null ? "" : body.source().strip();
                    String name = source.replaceAll("/+$", "").replaceAll(".*/", "").replaceAll("\\.git$", "");
                    json.send(res, new Installed(name, false, NO_NODE_PACKS + ": nothing was installed", 0, false, null));
                })
                .post("/reload", (req, res) -> json.send(res, new Reloaded("No custom nodes: " + NO_NODE_PACKS)))
                .delete("/{pack}", (req, res) -> {
                    String pack = req.path().pathParameters().get("pack");
                    json.send(res, new Uninstalled(pack, false, "Node pack '" + pack + "' not found: " + NO_NODE_PACKS));
                });
    }
}
