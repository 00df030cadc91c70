package org.invokej.http;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A built single-page web UI served from a folder (InvokeAI's own, with {@code web_ui_dir}): its files
 * as they are, and {@code index.html} for every other page path ({@code /login}, {@code /app}, …) so that
 * the UI's own router takes over. {@code index.html} is never cached, so a new UI is picked up at the
 * next load; the content-hashed files under {@code assets/} are cached for a year. API paths are never
 * answered from here: a missing API route stays a JSON 404.
 */
public final class WebUiFolder implements HttpService {

    /** Paths that belong to the server, never to the UI. */
    private static final List<String> SERVER_PREFIXES = List.of("api/", "ws/", "observe/", "openapi.json", "docs/");
    private static final String INDEX = "index.html";

    private final Path root;

    /**
     * @throws IllegalArgumentException when {@code folder} is not a folder with an {@code index.html}
     */
    public WebUiFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder");
        }
        if (!Files.isRegularFile(folder.resolve(INDEX))) {
            throw new IllegalArgumentException(folder + " holds no " + INDEX + " (expected a built web UI, e.g. InvokeAI's frontend/web/dist)");
        }
        try {
            this.root = folder.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(folder + " cannot be read: " + e.getMessage());
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.route(Method.GET, this::serve).route(Method.HEAD, this::serve);
    }

    private void serve(ServerRequest request, ServerResponse response) throws IOException {
        String relative = request.path().path().replaceFirst("^/+", "");
        if (SERVER_PREFIXES.stream().anyMatch(prefix -> relative.startsWith(prefix) || (relative + "/").equals(prefix))) {
            response.next();
            return;
        }
        Optional<Path> file = file(relative);
        if (file.isPresent()) {
            send(request, response, file.get(), relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        } else if (relative.startsWith("assets/") || relative.contains("..") || relative.contains("\\")) {
            // A missing hashed file is a 404, not the page: the browser would parse HTML as a script.
            response.next();
        } else {
            send(request, response, root.resolve(INDEX), "no-store");
        }
    }

    /** The regular file at {@code relative} inside the folder (symbolic links leading out of it refused). */
    private Optional<Path> file(String relative) {
        if (relative.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path candidate = root.resolve(relative).normalize();
            if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? Optional.of(real) : Optional.empty();
        } catch (InvalidPathException | IOException e) {
            return Optional.empty();
        }
    }

    private static void send(ServerRequest request, ServerResponse response, Path file, String cacheControl) throws IOException {
        MediaType type = MediaTypes.detectType(file).orElse(MediaTypes.APPLICATION_OCTET_STREAM);
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, type.text() + (type.text().startsWith("text/") ? "; charset=UTF-8" : ""));
        response.header(HeaderNames.CACHE_CONTROL, cacheControl);
        long size = Files.size(file);
        response.header(HeaderNames.CONTENT_LENGTH, Long.toString(size));
        if (request.prologue().method() == Method.HEAD) {
            response.send();
            return;
        }
        try (InputStream in = Files.newInputStream(file); OutputStream out = response.outputStream()) {
            in.transferTo(out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
