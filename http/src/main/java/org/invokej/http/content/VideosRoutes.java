package org.invokej.http.content;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import org.invokej.core.DomainException;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.List;

/**
 * {@code /api/v1/videos}: InvokeJ makes no videos, so every listing is empty, every named video is
 * unknown (404), bulk changes change nothing, and uploads are refused.
 */
public final class VideosRoutes implements HttpService {

    private final Json json;

    public VideosRoutes(Json json) {
        this.json = json;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.MEDIA_OR_DEFAULT, "/api/v1/videos/i/*/full")
                .route(Requirement.MEDIA_OR_DEFAULT, "/api/v1/videos/i/*/thumbnail")
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/videos/**");
    }

    record Page(int limit, int offset, int total, List<Object> items) {
    }

    record Names(List<String> videoNames, int starredCount, int totalCount) {
    }

    record Deleted(List<String> affectedBoards, List<String> deletedVideos, List<String> failedVideos) {
    }

    record Starred(List<String> affectedBoards, List<String> starredVideos, List<String> failedVideos) {
    }

    record Unstarred(List<String> affectedBoards, List<String> unstarredVideos, List<String> failedVideos) {
    }

    /** The body of the bulk routes. */
    record VideoNames(List<String> videoNames) {
        VideoNames {
            if (videoNames == null) {
                throw DomainException.unprocessable("Field required: video_names");
            }
        }
    }

    @Override
    public void routing(HttpRules rules) {
        Handler unknown = (req, res) -> {
            throw DomainException.notFound("Video not found");
        };
        rules.get("/", (req, res) -> {
                    int offset = QueryParams.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
                    int limit = QueryParams.integer(req, "limit", 10, 0, GalleryRoutes.MAX_PAGE_SIZE);
                    json.send(res, new Page(limit, offset, 0, List.of()));
                })
                .get("/names", (req, res) -> json.send(res, new Names(List.of(), 0, 0)))
                .post("/delete", (req, res) -> {
                    json.read(req, VideoNames.class);
                    json.send(res, new Deleted(List.of(), List.of(), List.of()));
                })
                .delete("/uncategorized", (req, res) -> json.send(res, new Deleted(List.of(), List.of(), List.of())))
                .post("/star", (req, res) -> {
                    json.read(req, VideoNames.class);
                    json.send(res, new Starred(List.of(), List.of(), List.of()));
                })
                .post("/unstar", (req, res) -> {
                    json.read(req, VideoNames.class);
                    json.send(res, new Unstarred(List.of(), List.of(), List.of()));
                })
                .post("/upload", (req, res) -> {
                    throw DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "This server does not store videos");
                })
                .post("/board", unknown)
                .delete("/board", unknown)
                .get("/i/{video_name}", unknown)
                .patch("/i/{video_name}", unknown)
                .delete("/i/{video_name}", unknown)
                .get("/i/{video_name}/metadata", unknown)
                .get("/i/{video_name}/workflow", unknown)
                .get("/i/{video_name}/full", unknown)
                .route(Method.HEAD, "/i/{video_name}/full", unknown)
                .get("/i/{video_name}/thumbnail", unknown);
    }
}
