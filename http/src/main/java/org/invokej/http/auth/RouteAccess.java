package org.invokej.http.auth;

import io.helidon.http.Method;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one table of who may call which route. The auth filter looks every request up here before any
 * handler runs; a route that is not listed needs a logged-in user (anyone, in single-user mode), so
 * forgetting an entry can only make a route stricter. Rules are matched in order; the first wins.
 *
 * <p>Patterns are paths whose segments may be {@code *} (one segment) or, last, {@code **} (the rest).
 */
public final class RouteAccess {

    private record Rule(Set<String> methods, String[] pattern, Requirement requirement) {
        boolean matches(String method, String[] path) {
            if (!methods.isEmpty() && !methods.contains(method)) {
                return false;
            }
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i].equals("**")) {
                    return true;
                }
                if (i >= path.length || !(pattern[i].equals("*") || pattern[i].equals(path[i]))) {
                    return false;
                }
            }
            return pattern.length == path.length;
        }
    }

    private final List<Rule> rules;

    private RouteAccess(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a request for {@code method path} requires. */
    public Requirement requirement(Method method, String path) {
        String[] segments = segments(path);
        for (Rule rule : rules) {
            if (rule.matches(method.text(), segments)) {
                return rule.requirement();
            }
        }
        return path.startsWith("/api/") || path.equals("/api") ? Requirement.USER_OR_DEFAULT : Requirement.PUBLIC;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** Collects the rules, in the order they are tried. */
    public static final class Builder {

        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /** {@code requirement} for {@code pattern} with any of {@code methods} (none given: every method). */
        public Builder route(Requirement requirement, String pattern, Method... methods) {
            Set<String> names = new java.util.HashSet<>();
            for (Method method : methods) {
                names.add(method.text());
            }
            rules.add(new Rule(Set.copyOf(names), segments(pattern), requirement));
            return this;
        }

        public RouteAccess build() {
            return new RouteAccess(rules);
        }
    }
}
