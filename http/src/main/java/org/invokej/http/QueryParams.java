package org.invokej.http;

import io.helidon.webserver.http.ServerRequest;
import org.invokej.core.DomainException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Typed query parameters; a malformed value is a 422 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    public static Optional<String> text(ServerRequest request, String name) {
        return request.query().first(name).asOptional();
    }

    /** A parameter that must be given; 422 naming it when it is not. */
    public static String required(ServerRequest request, String name) {
        return text(request, name).filter(value -> !value.isEmpty())
                .orElseThrow(() -> DomainException.unprocessable("Query parameter '" + name + "' is required"));
    }

    public static int integer(ServerRequest request, String name, int defaultValue, int min, int max) {
        Optional<String> raw = text(request, name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get().strip());
            if (value < min || value > max) {
                throw DomainException.unprocessable("Query parameter '" + name + "' must be from " + min + " to " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw DomainException.unprocessable("Query parameter '" + name + "' must be a whole number");
        }
    }

    /** Every value of a repeated parameter ({@code ?categories=a&categories=b}), in order. */
    public static List<String> all(ServerRequest request, String name) {
        return request.query().contains(name) ? request.query().all(name) : List.of();
    }

    /** One of {@code choices} (compared exactly), or {@code defaultValue} when absent. */
    public static String choice(ServerRequest request, String name, String defaultValue, List<String> choices) {
        String value = text(request, name).orElse(defaultValue);
        if (!choices.contains(value)) {
            throw DomainException.unprocessable("Query parameter '" + name + "' must be one of " + String.join(", ", choices));
        }
        return value;
    }

    public static Optional<Boolean> bool(ServerRequest request, String name) {
        return text(request, name).map(raw -> switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw DomainException.unprocessable("Query parameter '" + name + "' must be true or false");
        });
    }
}
