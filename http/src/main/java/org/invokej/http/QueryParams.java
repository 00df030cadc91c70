package org.invokej.http;

import io.helidon.webserver.http.ServerRequest;
import org.invokej.core.DomainException;

import java.util.Locale;
import java.util.Optional;

/** Typed query parameters; a malformed value is a 422 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    public static Optional<String> text(ServerRequest request, String name) {
        return request.query().first(name).asOptional();
    }

    /** Every value of a repeated parameter ({@code ?base_models=sd-1&base_models=sd-2}), none when absent. */
    public static java.util.List<String> all(ServerRequest request, String name) {
        return request.query().all(name, java.util.List::of);
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

    public static Optional<Boolean> bool(ServerRequest request, String name) {
        return text(request, name).map(raw -> switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw DomainException.unprocessable("Query parameter '" + name + "' must be true or false");
        });
    }
}
