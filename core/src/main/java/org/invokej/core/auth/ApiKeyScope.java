package org.invokej.core.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an API key may be used for. Which routes each scope reaches is declared in the HTTP route-access
 * table, beside who may call them; the wire names are what the API and the command line take.
 */
public enum ApiKeyScope {
    /** Everything its user may do, except managing API keys and ending sessions. */
    FULL("full"),
    /** Reading only: GET and HEAD requests. */
    READ_ONLY("read_only"),
    /** Submitting to and following the queue, and fetching the images it made. */
    QUEUE("queue");

    private final String wireName;

    ApiKeyScope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The scope named {@code name} (its wire name, any case), if there is one. */
    public static Optional<ApiKeyScope> byName(String name) {
        return name == null ? Optional.empty()
                : Arrays.stream(values()).filter(scope -> scope.wireName.equalsIgnoreCase(name.strip())).findFirst();
    }

    /** The wire names, for messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(ApiKeyScope::wireName).toList());
    }
}
