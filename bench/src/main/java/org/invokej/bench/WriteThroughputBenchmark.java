package org.invokej.bench;

import org.invokej.persistence.Columns;
import org.invokej.persistence.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Read-then-write transactions per second: through the persistence layer from 32 virtual threads at
 * once (pool, write lock, IMMEDIATE transactions, dbclient), against raw sqlite-jdbc on one connection
 * from one thread (the ceiling: no contention, no pool) on the same kind of file in the same run.
 */
public final class WriteThroughputBenchmark {

    private static final int THREADS = 32;

    public static void main(String[] args) throws Exception {
        int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 3200;
        int rounds = 3;
        List<Double> layer = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            raw.add(raw(transactions));
            layer.add(persistenceLayer(transactions));
        }
        double rawMedian = StartupBenchmark.median(raw);
        double layerMedian = StartupBenchmark.median(layer);
        System.out.printf("transactions per round: %d, rounds: %d%n", transactions, rounds);
        System.out.printf("raw sqlite-jdbc, 1 connection, 1 thread:        %8.0f tx/s%n", rawMedian);
        System.out.printf("persistence layer, %d virtual threads:          %8.0f tx/s%n", THREADS, layerMedian);
        System.out.printf("ratio persistence layer / raw:                    %.2f%n", layerMedian / rawMedian);
    }

    private static double persistenceLayer(int transactions) throws Exception {
        Path dir = Files.createTempDirectory("invokej-bench-db");
        try (Database db = Database.open(dir.resolve("invokeai.db"), Clock.systemUTC())) {
            db.write(tx -> tx.dml("INSERT INTO app_settings (key, value) VALUES ('bench_counter', '0')"));
            int perThread = transactions / THREADS;
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < THREADS; t++) {
                    futures.add(executor.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            db.write(tx -> {
                                long value = Long.parseLong(tx.get("SELECT value FROM app_settings WHERE key = 'bench_counter'")
                                        .map(row -> Columns.textOf(row, "value")).orElseThrow());
                                return tx.dml("UPDATE app_settings SET value = ? WHERE key = 'bench_counter'", Long.toString(value + 1));
                            });
                        }
                    }));
                }
            }
            for (Future<?> future : futures) {
                future.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long counted = Long.parseLong(db.read(exec -> exec.get("SELECT value FROM app_settings WHERE key = 'bench_counter'"))
                    .map(row -> Columns.textOf(row, "value")).orElseThrow());
            if (counted != (long) perThread * THREADS) {
                throw new IllegalStateException("lost updates: " + counted);
            }
            return counted / seconds;
        }
    }

    private static double raw(int transactions) throws Exception {
        Path dir = Files.createTempDirectory("invokej-bench-raw");
        Properties properties = new Properties();
        properties.setProperty("journal_mode", "WAL");
        properties.setProperty("synchronous", "NORMAL");
        properties.setProperty("busy_timeout", "5000");
        properties.setProperty("foreign_keys", "true");
        properties.setProperty("transaction_mode", "IMMEDIATE");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"), properties)) {
            connection.createStatement().execute("CREATE TABLE app_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            connection.createStatement().execute("INSERT INTO app_settings VALUES ('bench_counter', '0')");
            connection.setAutoCommit(false);
            long start = System.nanoTime();
            try (PreparedStatement select = connection.prepareStatement("SELECT value FROM app_settings WHERE key = 'bench_counter'");
                 PreparedStatement update = connection.prepareStatement("UPDATE app_settings SET value = ? WHERE key = 'bench_counter'")) {
                for (int i = 0; i < transactions; i++) {
                    long value;
                    try (ResultSet row = select.executeQuery()) {
                        row.next();
                        value = Long.parseLong(row.getString(1));
                    }
                    update.setString(1, Long.toString(value + 1));
                    update.executeUpdate();
                    connection.commit();
                }
            }
            return transactions / ((System.nanoTime() - start) / 1e9);
        }
    }
}
