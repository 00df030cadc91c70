package org.invokej.server;

import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each generation worker's row of {@code queue_workers} shows in {@code /observe/metrics}, tagged with its id and device. */
class WorkersMetricsTest {

    @TempDir
    Path root;

    @Test
    void theWorkersCountsAndStateAreMeters() throws Exception {
        try (TestServer server = TestServer.start(root)) {
            String worker;
            try (Connection db = TestServer.database(root);
                 PreparedStatement query = db.prepareStatement("SELECT worker_id FROM queue_workers WHERE stopped_at IS NULL");
                 ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next(), "the web server's own worker has its row");
                worker = rows.getString(1);
            }
            scrape(server);
            try (Connection db = TestServer.database(root);
                 PreparedStatement update = db.prepareStatement("UPDATE queue_workers SET items_completed = 3, items_failed = 2, "
                         + "items_canceled = 1, current_item_id = 42 WHERE worker_id = ?")) {
                update.setString(1, worker);
                assertEquals(1, update.executeUpdate());
            }
            // The table is read at most once a second: scrape until this scrape read it after the update.
            String text = scrape(server);
            while (value(text, "invokej_worker_items_completed", worker).orElse(0.0) != 3.0) {
                Thread.sleep(200);
                text = scrape(server);
            }
            assertEquals(Optional.of(2.0), value(text, "invokej_worker_items_failed", worker), text);
            assertEquals(Optional.of(1.0), value(text, "invokej_worker_items_canceled", worker), text);
            assertEquals(Optional.of(42.0), value(text, "invokej_worker_current_item", worker), text);
            assertEquals(Optional.of(1.0), value(text, "invokej_worker_running", worker), text);
            assertTrue(value(text, "invokej_worker_last_seen_seconds", worker).orElse(0.0) > 1.7e9, text);
            assertTrue(text.contains("device=\"" + server.server().config().device() + "\""), text);
        }
    }

    private static String scrape(TestServer server) {
        TestResponse metrics = server.client().withHeader("Accept", "text/plain").get("/observe/metrics");
        assertEquals(200, metrics.status(), metrics.toString());
        return metrics.text();
    }

    /** The value of a Prometheus line {@code name{…worker="id"…} value}. */
    private static Optional<Double> value(String text, String name, String worker) {
        Matcher line = Pattern.compile("(?m)^" + name + "\\{[^}]*worker=\"" + Pattern.quote(worker) + "\"[^}]*}\\s+(\\S+)$").matcher(text);
        return line.find() ? Optional.of(Double.parseDouble(line.group(1))) : Optional.empty();
    }
}
