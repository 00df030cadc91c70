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

    /**
     * Runs {@code work} as one transaction that, unlike {@link #write}, may run at the same time as other
     * writes: what it changes is kept consistent by the row locks it takes itself (a claim locks the
     * item it takes and skips items other claimers hold; a lease renewal touches only its own claim).
     * Only claims and lease renewals use it, so that workers on several hosts claim side by side instead
     * of queueing behind every other write. A store whose writes are serial anyway (SQLite) runs it as
     * {@link #write}.
     */
    default <T> T writeWithRowLocks(Function<Tx, T> work) {
        return write(work);
    }
}
