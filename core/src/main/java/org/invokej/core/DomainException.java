package org.invokej.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A refusal the caller can act on: bad input, a missing thing, a forbidden action. It carries the kind
 * of refusal and a message meant for a person; the HTTP layer maps the kind to a status code and the
 * message to {@code {"detail": …}}, the command line prints the message as one line.
 */
public final class DomainException extends RuntimeException {

    /** What went wrong, independent of the transport that reports it. */
    public enum Kind {
        /** The request is understood but not acceptable (HTTP 400). */
        INVALID,
        /** Who is calling could not be established (HTTP 401). */
        UNAUTHENTICATED,
        /** The caller may not do this (HTTP 403). */
        FORBIDDEN,
        /** The thing named does not exist, or the caller may not know that it does (HTTP 404). */
        NOT_FOUND,
        /** The request conflicts with the current state (HTTP 409). */
        CONFLICT,
        /** The request body is larger than allowed (HTTP 413). */
        TOO_LARGE,
        /** The request body is not of a type this operation takes (HTTP 415). */
        UNSUPPORTED_MEDIA,
        /** The request is well-formed but its fields fail validation (HTTP 422). */
        UNPROCESSABLE,
        /** Too many attempts; try again later (HTTP 429). */
        THROTTLED,
        /** The server cannot do this right now or at all (HTTP 503). */
        UNAVAILABLE
    }

    /**
     * Where in the request a validation problem is, as FastAPI's {@code loc} says it (e.g. {@code nodes,
     * <node id>, <field>}), and its {@code type} (e.g. {@code value_error}). Code deeper than the request
     * gives the path it knows; the layer that knows where that part sits in the request prefixes it.
     */
    public record Location(List<String> path, String type) {
        public Location {
            path = List.copyOf(path);
            Objects.requireNonNull(type, "type");
        }

        /** This location inside {@code parents}, e.g. {@code body, batch, graph}. */
        public Location under(List<String> parents) {
            List<String> whole = new ArrayList<>(parents);
            whole.addAll(path);
            return new Location(whole, type);
        }
    }

    private final Kind kind;
    private final Duration retryAfter;
    private final Location location;

    private DomainException(Kind kind, String detail, Duration retryAfter, Location location) {
        super(Objects.requireNonNull(detail, "detail"));
        this.kind = Objects.requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
        this.location = location;
    }

    private DomainException(Kind kind, String detail, Duration retryAfter) {
        this(kind, detail, retryAfter, null);
    }

    public static DomainException of(Kind kind, String detail) {
        return new DomainException(kind, detail, null);
    }

    public static DomainException invalid(String detail) {
        return of(Kind.INVALID, detail);
    }

    public static DomainException unauthenticated(String detail) {
        return of(Kind.UNAUTHENTICATED, detail);
    }

    public static DomainException forbidden(String detail) {
        return of(Kind.FORBIDDEN, detail);
    }

    public static DomainException notFound(String detail) {
        return of(Kind.NOT_FOUND, detail);
    }

    public static DomainException conflict(String detail) {
        return of(Kind.CONFLICT, detail);
    }

    public static DomainException unprocessable(String detail) {
        return of(Kind.UNPROCESSABLE, detail);
    }

    /** A validation problem at {@code location} in the request. */
    public static DomainException unprocessable(String detail, Location location) {
        return new DomainException(Kind.UNPROCESSABLE, detail, null, Objects.requireNonNull(location, "location"));
    }

    /** This refusal with its location prefixed by {@code parents} (itself when it has no location). */
    public DomainException under(List<String> parents) {
        return location == null ? this : new DomainException(kind, detail(), retryAfter, location.under(parents));
    }

    public static DomainException throttled(String detail, Duration retryAfter) {
        return new DomainException(Kind.THROTTLED, detail, Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    public static DomainException unavailable(String detail, Duration retryAfter) {
        return new DomainException(Kind.UNAVAILABLE, detail, Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    public Kind kind() {
        return kind;
    }

    /** The message for the person who sent the request. */
    public String detail() {
        return getMessage();
    }

    /** Where in the request the problem is, when the code that found it knows. */
    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }

    /** How long the caller should wait before trying again ({@link Kind#THROTTLED}, {@link Kind#UNAVAILABLE}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
