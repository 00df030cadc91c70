package org.invokej.authz;

import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every route × every kind of caller → the status it must get, against one real multi-user server.
 * When you add a route, add its row to the table of its feature (or a new table listed in {@link #TABLES}).
 */
class AuthorizationMatrixTest {

    /** The tables of rows, one per feature. */
    static final List<Supplier<List<RouteCase>>> TABLES = List.of(
            AuthRoutes::cases,
            ModelRoutes::cases,
            ContentRoutes::cases,
            QueueRoutes::cases,
            UiRoutes::cases,
            SocketRoutes::cases);

    @TempDir
    static Path root;

    private static MatrixWorld world;

    @BeforeAll
    static void start() {
        world = new MatrixWorld(root);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static Stream<Arguments> cases() {
        return TABLES.stream()
                .flatMap(table -> table.get().stream())
                .flatMap(route -> Stream.of(Who.values()).map(who -> Arguments.of(route, who)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void eachCallerGetsExactlyWhatTheRulesAllow(RouteCase route, Who who) {
        TestResponse response = route.call(world, who);
        assertEquals(route.expected(who), response.status(), route + " as " + who + " -> " + response);
        if (response.status() >= 400) {
            // InvokeAI's {"detail"}, or Engine.IO's {"code", "message"} on the socket endpoint.
            String why = response.detail().isBlank() ? response.json().path("message").asText() : response.detail();
            assertFalse(why.isBlank(), "every refusal says why: " + response);
        }
        if (response.status() == 401) {
            assertFalse(response.header("X-Refreshed-Token").isPresent(), "a refused token is never refreshed");
        }
    }
}
