package org.invokej.http;

import java.util.List;
import java.util.Locale;

/**
 * Which other web origins may call the API from a browser, with InvokeAI's settings
 * {@code allow_origins}, {@code allow_credentials}, {@code allow_methods} and {@code allow_headers}
 * (and its defaults: no origin, credentials allowed, every method and header). {@code "*"} in a list
 * allows any.
 */
public record CorsPolicy(List<String> allowOrigins, boolean allowCredentials, List<String> allowMethods, List<String> allowHeaders) {

    /** No other origin: InvokeAI's default. */
    public static final CorsPolicy CLOSED = new CorsPolicy(List.of(), true, List.of("*"), List.of("*"));

    public CorsPolicy {
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = List.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
    }

    public boolean allowsOrigin(String origin) {
        return allowOrigins.contains("*") || allowOrigins.contains(origin);
    }

    public boolean allowsMethod(String method) {
        return allowMethods.contains("*") || allowMethods.stream().anyMatch(m -> m.equalsIgnoreCase(method));
    }

    /** Whether every header of a preflight's comma-separated {@code Access-Control-Request-Headers} is allowed. */
    public boolean allowsHeaders(String requested) {
        if (allowHeaders.contains("*") || requested == null || requested.isBlank()) {
            return true;
        }
        for (String header : requested.split(",")) {
            String name = header.strip().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && allowHeaders.stream().noneMatch(h -> h.equalsIgnoreCase(name))) {
                return false;
            }
        }
        return true;
    }
}
