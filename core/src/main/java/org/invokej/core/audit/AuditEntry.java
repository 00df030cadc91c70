package org.invokej.core.audit;

import java.time.Instant;

/**
 * One line of the audit log: who did what to whom, from where. Never holds a password, a hash or a
 * token.
 *
 * @param actorId       the acting user's id, {@code cli} for the command line, null when unknown (a failed login)
 * @param actorEmail    the acting user's email as it was then, or what a failed login gave
 * @param targetId      the user acted upon, if any
 * @param clientAddress the client's address for API requests, null for the command line
 * @param detail        a short human-readable note, e.g. {@code is_admin: false -> true}
 */
public record AuditEntry(
        long id,
        Instant occurredAt,
        String actorId,
        String actorEmail,
        AuditAction action,
        String targetId,
        String targetEmail,
        String clientAddress,
        String detail) {
}
