package org.invokej.core.store;

import java.util.function.Function;

/** Runs work against the store: reads as they come, writes as one atomic transaction. */
public interface Transactions {

    /** Runs reads; each sees the latest committed state. */
    <T> T read(Function<Tx, T> work);

    /**
     * Runs {@code work} as one transaction that commits when it returns and rolls back when it throws.
     * Write transactions run one at a time, so a check made inside (e.g. "is there another active
     * administrator?") still holds when the write commits. Keep slow work (hashing, files) outside.
     */
    <T> T write(Function<Tx, T> work);
}
