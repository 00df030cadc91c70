package org.invokej.http.content;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.content.BulkDownloads;
import org.invokej.http.Json;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code /api/v1/images/download}: InvokeAI's bulk download of images as a zip. */
public final class BulkDownloadRoutes implements HttpService {

    private final Json json;
    private final BulkDownloads downloads;

    public BulkDownloadRoutes(Json json, BulkDownloads downloads) {
        this.json = json;
        this.downloads = downloads;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.USER_OR_DEFAULT, "/api/v1/images/download/**");
    }

    record Request(List<String> imageNames, String boardId) {
    }

    record Started(String response, String bulkDownloadItemName) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::start)
                .post("", this::start)
                .get("/{bulk_download_item_name}", this::fetch);
    }

    private void start(ServerRequest req, ServerResponse res) {
        Request body = json.read(req, Request.class);
        BulkDownloads.Started started = downloads.start(Caller.actor(req), body.imageNames(), body.boardId());
        json.send(res, Status.ACCEPTED_202, new Started("Your images are preparing to be downloaded", started.itemName()));
    }

    private void fetch(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("bulk_download_item_name");
        Path zip = downloads.fetch(Caller.actor(req), name);
        try {
            res.header(HeaderNames.CONTENT_TYPE, "application/zip");
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(Files.size(zip)));
            try (OutputStream out = res.outputStream()) {
                Files.copy(zip, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            downloads.served(name);
        }
    }
}
