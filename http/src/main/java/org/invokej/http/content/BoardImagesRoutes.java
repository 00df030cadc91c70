package org.invokej.http.content;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;
import org.invokej.core.content.BoardImageService;
import org.invokej.http.Json;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/board_images}: which board an image is on. Every route answers 201, as InvokeAI's. */
public final class BoardImagesRoutes implements HttpService {

    private final Json json;
    private final BoardImageService membership;

    public BoardImagesRoutes(Json json, BoardImageService membership) {
        this.json = json;
        this.membership = membership;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER_OR_DEFAULT, "/api/v1/board_images/**");
    }

    record Add(String boardId, String imageName) {
        Add {
            required(boardId, "board_id");
            required(imageName, "image_name");
        }
    }

    record AddMany(String boardId, List<String> imageNames) {
        AddMany {
            required(boardId, "board_id");
            required(imageNames, "image_names");
        }
    }

    record Remove(String imageName) {
        Remove {
            required(imageName, "image_name");
        }
    }

    record RemoveMany(List<String> imageNames) {
        RemoveMany {
            required(imageNames, "image_names");
        }
    }

    static void required(Object value, String field) {
        if (value == null) {
            throw DomainException.unprocessable("Field required: " + field);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", (req, res) -> {
                    Add body = json.read(req, Add.class);
                    send(res, "added_images", membership.add(Caller.actor(req), body.boardId(), body.imageName()));
                })
                .delete("/", (req, res) -> send(res, "removed_images",
                        membership.remove(Caller.actor(req), json.read(req, Remove.class).imageName())))
                .post("/batch", (req, res) -> {
                    AddMany body = json.read(req, AddMany.class);
                    send(res, "added_images", membership.addMany(Caller.actor(req), body.boardId(), body.imageNames()));
                })
                .post("/batch/delete", (req, res) -> send(res, "removed_images",
                        membership.removeMany(Caller.actor(req), json.read(req, RemoveMany.class).imageNames())));
    }

    private void send(ServerResponse res, String field, BoardImageService.Moved moved) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("affected_boards", moved.affectedBoards());
        body.put(field, moved.images());
        json.send(res, Status.CREATED_201, body);
    }
}
