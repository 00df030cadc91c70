package org.invokej.core.audit;

import org.invokej.core.store.Tx;

import java.util.List;

/** The {@code audit_log} table. */
public interface AuditLog {

    /** Appends an entry (its id is assigned by the store). */
    void record(Tx tx, AuditEntry entry);

    /** Entries newest first. */
    List<AuditEntry> newestFirst(Tx tx, int offset, int limit);

    long count(Tx tx);
}
