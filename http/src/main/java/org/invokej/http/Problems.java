package org.invokej.http;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;

import java.nio.file.InvalidPathException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every error leaves the server as InvokeAI's {@code {"detail": "…"}}: domain refusals with the status
 * of their kind, Helidon's own HTTP errors with theirs, and anything unexpected as a 500 whose details
 * go to the log, not to the client.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private final Json json;

    public Problems(Json json) {
        this.json = json;
    }

    /** Installs the error handlers on {@code routing}. */
    public void register(HttpRouting.Builder routing) {
        routing.error(DomainException.class, (request, response, e) -> send(response, e));
        routing.error(HttpException.class, (request, response, e) -> {
            Status status = e.status();
            if (status.code() == Status.NOT_MODIFIED_304.code()) {
                // Static content answers a conditional request by throwing 304; it must go out without a body.
                response.status(status).send();
                return;
            }
            if (status.code() >= 500) {
                LOG.log(Level.SEVERE, "Request " + request.prologue().method() + " " + request.path().absolute().path() + " failed", e);
                send(response, status, "Internal server error");
            } else {
                send(response, status, clientMessage(status, e.getMessage()));
            }
        });
        // A client-supplied name with a NUL in it cannot name a file: there is nothing by that name.
        routing.error(InvalidPathException.class, (request, response, e) -> send(response, Status.NOT_FOUND_404, "Not Found"));
        routing.error(Exception.class, (request, response, e) -> {
            if (isMalformedChunk(e)) {
                response.header(HeaderNames.CONNECTION, "close");
                send(response, Status.BAD_REQUEST_400, "Malformed chunked request body");
                return;
            }
            LOG.log(Level.SEVERE, "Request " + request.prologue().method() + " " + request.path().absolute().path() + " failed", e);
            send(response, Status.INTERNAL_SERVER_ERROR_500, "Internal server error");
        });
    }

    /**
     * Whether {@code e} is Helidon failing to parse a chunk size of the request body, which it reports
     * as a bare {@link NumberFormatException} while the handler reads the body.
     */
    private static boolean isMalformedChunk(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof NumberFormatException) {
                for (StackTraceElement frame : cause.getStackTrace()) {
                    if (frame.getMethodName().equals("readNextChunk") && frame.getClassName().startsWith("io.helidon.webserver.")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Answers what Helidon refuses before any route runs (a declared body over the size limit, a
     * malformed request line or header) in the same JSON shape.
     */
    public DirectHandler directHandler() {
        return (request, eventType, status, headers, message) -> {
            if (status.code() == Status.HTTP_VERSION_NOT_SUPPORTED_505.code()) {
                // Helidon speaks HTTP/1.1 (and 2) only; an older client's request is its own to change, not a server fault.
                status = Status.BAD_REQUEST_400;
                message = "HTTP/1.0 is not supported: use HTTP/1.1";
            }
            String detail = status.code() >= 500 ? "Internal server error" : clientMessage(status, message);
            headers.set(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
            return DirectHandler.TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .entity(json.bytes(Map.of("detail", detail)))
                    .build();
        };
    }

    /** Sends a domain refusal. */
    public void send(ServerResponse response, DomainException e) {
        e.retryAfter().ifPresent(wait ->
                response.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds()))));
        if (e.kind() == DomainException.Kind.UNAUTHENTICATED) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (e.kind() == DomainException.Kind.UNPROCESSABLE) {
            sendValidation(response, e);
            return;
        }
        send(response, status(e.kind()), e.detail());
    }

    /** A validation refusal as FastAPI words it, which InvokeAI's clients parse: {@code {"detail": [{"loc", "msg", "type"}]}}. */
    private void sendValidation(ServerResponse response, DomainException e) {
        if (response.isSent()) {
            return;
        }
        DomainException.Location location = e.location().orElse(new DomainException.Location(List.of("body"), "value_error"));
        json.send(response, status(e.kind()), new ValidationProblems(List.of(new ValidationProblem(location.path(), e.detail(), location.type()))));
    }

    /** FastAPI's 422 body. */
    record ValidationProblems(List<ValidationProblem> detail) {
    }

    /** One entry of it. */
    record ValidationProblem(List<String> loc, String msg, String type) {
    }

    /** Sends {@code {"detail": detail}} with {@code status}. */
    public void send(ServerResponse response, Status status, String detail) {
        if (response.isSent()) {
            return;
        }
        json.send(response, status, Map.of("detail", detail));
    }

    static Status status(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID -> Status.BAD_REQUEST_400;
            case UNAUTHENTICATED -> Status.UNAUTHORIZED_401;
            case FORBIDDEN -> Status.FORBIDDEN_403;
            case NOT_FOUND -> Status.NOT_FOUND_404;
            case CONFLICT -> Status.CONFLICT_409;
            case TOO_LARGE -> Status.REQUEST_ENTITY_TOO_LARGE_413;
            case UNSUPPORTED_MEDIA -> Status.UNSUPPORTED_MEDIA_TYPE_415;
            case UNPROCESSABLE -> Status.create(422, "Unprocessable Content");
            case THROTTLED -> Status.TOO_MANY_REQUESTS_429;
            case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE_503;
        };
    }

    private static String clientMessage(Status status, String message) {
        if (status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            return "Request body is too large";
        }
        if (status.code() == Status.NOT_FOUND_404.code()) {
            return "Not Found";
        }
        return message == null || message.isBlank() ? status.reasonPhrase() : message.lines().findFirst().orElse(message);
    }
}
