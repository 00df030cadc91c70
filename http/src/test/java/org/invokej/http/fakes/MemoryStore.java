package org.invokej.http.fakes;

import org.invokej.core.store.StoreChanges;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The store in memory: every read and write runs under one lock, and a write that throws puts every
 * table back as it was, so the core's "all or nothing" rules hold as they do on SQLite. Each write
 * counts as a commit for {@link StoreChanges}, as SQLite's data version does.
 */
public final class MemoryStore implements Transactions, StoreChanges {

    private static final Tx TX = new Tx() {
    };

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Table<?, ?>> tables = new ArrayList<>();
    private boolean writing;
    private long commits;

    /** A new table of this store, rows in insertion order. */
    public <K, V> Table<K, V> table() {
        Table<K, V> table = new Table<>();
        tables.add(table);
        return table;
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        lock.lock();
        try {
            return work.apply(TX);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        lock.lock();
        try {
            if (writing) {
                return work.apply(TX);
            }
            List<Map<?, ?>> before = tables.stream().<Map<?, ?>>map(Table::copy).toList();
            writing = true;
            try {
                T result = work.apply(TX);
                commits++;
                return result;
            } catch (RuntimeException | Error e) {
                for (int i = 0; i < tables.size(); i++) {
                    restore(tables.get(i), before.get(i));
                }
                throw e;
            } finally {
                writing = false;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public OptionalLong current() {
        lock.lock();
        try {
            return OptionalLong.of(commits);
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> void restore(Table<K, V> table, Map<?, ?> rows) {
        table.rows.clear();
        table.rows.putAll((Map<K, V>) rows);
    }

    /** Rows keyed by their primary key; values are immutable records, replaced on update. */
    public static final class Table<K, V> {

        private final Map<K, V> rows = new LinkedHashMap<>();

        private Table() {
        }

        public Map<K, V> rows() {
            return rows;
        }

        private Map<K, V> copy() {
            return new LinkedHashMap<>(rows);
        }
    }
}
