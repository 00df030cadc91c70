package org.invokej.http.auth;

import io.helidon.http.Method;
import org.invokej.core.auth.ApiKeyScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one table of who may call which route. The auth filter looks every request up here before any
 * handler runs; a route that is not listed needs a logged-in user (anyone, in single-user mode), so
 * forgetting an entry can only make a route stricter. Rules are matched in order; the first wins.
 *
 * <p>The table also says what API keys may call, by scope: a {@link ApiKeyScope#FULL full} key whatever its
 * user may call except routes marked session-only (managing keys, ending sessions), any other key only
 * the routes listed for its scope. A route listed for no scope is closed to such keys, so a forgotten
 * entry again only makes a route stricter.
 *
 * <p>Patterns are paths whose segments may be {@code *} (one segment) or, last, {@code **} (the rest).
 */
public final class RouteAccess {

    private record Rule(Set<String> methods, String[] pattern, Requirement requirement) {
        boolean matches(String method, String[] path) {
            return RouteAccess.matches(methods, pattern, method, path);
        }
    }

    /** Keys of {@code scopes} may call the routes matched; no scopes: no key may (session-only). */
    private record KeyRule(Set<String> methods, String[] pattern, Set<ApiKeyScope> scopes) {
        boolean matches(String method, String[] path) {
            return RouteAccess.matches(methods, pattern, method, path);
        }
    }

    private final List<Rule> rules;
    private final List<KeyRule> keyRules;

    private RouteAccess(List<Rule> rules, List<KeyRule> keyRules) {
        this.rules = List.copyOf(rules);
        this.keyRules = List.copyOf(keyRules);
    }

    private static boolean matches(Set<String> methods, String[] pattern, String method, String[] path) {
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

    /** Whether an API key of {@code scope} may call {@code method path} (its user's rights aside). */
    public boolean keyMayCall(ApiKeyScope scope, Method method, String path) {
        String[] segments = segments(path);
        List<KeyRule> matching = keyRules.stream().filter(rule -> rule.matches(method.text(), segments)).toList();
        if (matching.stream().anyMatch(rule -> rule.scopes().isEmpty())) {
            return false;
        }
        return scope == ApiKeyScope.FULL || matching.stream().anyMatch(rule -> rule.scopes().contains(scope));
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
        private final List<KeyRule> keyRules = new ArrayList<>();

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

        /** API keys of {@code scope} may call {@code pattern} with any of {@code methods} (none given: every method). */
        public Builder keys(ApiKeyScope scope, String pattern, Method... methods) {
            keyRules.add(new KeyRule(names(methods), segments(pattern), Set.of(scope)));
            return this;
        }

        /** No API key may call {@code pattern} with any of {@code methods} (none given: every method), whatever its scope. */
        public Builder sessionOnly(String pattern, Method... methods) {
            keyRules.add(new KeyRule(names(methods), segments(pattern), Set.of()));
            return this;
        }

        private static Set<String> names(Method... methods) {
            Set<String> names = new java.util.HashSet<>();
            for (Method method : methods) {
                names.add(method.text());
            }
            return Set.copyOf(names);
        }

        public RouteAccess build() {
            return new RouteAccess(rules, keyRules);
        }
    }
}
