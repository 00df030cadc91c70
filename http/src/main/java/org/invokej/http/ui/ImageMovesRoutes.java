package org.invokej.http.ui;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.invokej.core.DomainException;
import org.invokej.http.Json;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

/**
 * {@code GET /api/v1/image_moves/status}: InvokeAI moves image files in the background when an
 * administrator changes how they are laid out in folders, and its settings page asks how that goes.
 * InvokeJ keeps one layout and never moves files: nothing is ever running, a recovery has nothing to
 * do, and a move is refused (409, as InvokeAI refuses one it cannot start).
 */
public final class ImageMovesRoutes implements HttpService {

    /** InvokeAI's {@code ImageMoveStatusResponse} with nothing running and nothing ever run. */
    record Status(boolean isRunning, String operation, Long activeJobId, Object latestJob, String lastError) {
        static final Status IDLE = new Status(false, null, null, null, null);
    }

    private final Json json;

    public ImageMovesRoutes(Json json) {
        this.json = json;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/image_moves/status", Method.GET)
                .route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/image_moves/start", Method.POST)
                .route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/image_moves/recover", Method.POST);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/status", (req, res) -> json.send(res, Status.IDLE))
                .post("/recover", (req, res) -> json.send(res, io.helidon.http.Status.ACCEPTED_202, Status.IDLE))
                .post("/start", (req, res) -> {
                    throw DomainException.conflict("InvokeJ keeps every image in one folder layout: there are no image files to move");
                });
    }
}
