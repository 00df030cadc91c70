package org.invokej.core.audit;

import org.invokej.core.Actor;
import org.invokej.core.store.Tx;

import java.time.Clock;

/** Writes audit entries with the time and the acting party filled in. */
public final class Auditor {

    private final AuditLog log;
    private final Clock clock;

    public Auditor(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Records what {@code actor} (null when unknown) did to the user {@code targetId}/{@code targetEmail}. */
    public void record(Tx tx, Actor actor, String client, AuditAction action, String targetId, String targetEmail, String detail) {
        log.record(tx, new AuditEntry(0, clock.instant(),
                actor == null ? null : actor.userId(), actor == null ? null : actor.email(),
                action, targetId, targetEmail, client, detail));
    }

    /** Records a failed login for {@code attemptedEmail} (null if it was not an email address). */
    public void failedLogin(Tx tx, String attemptedEmail, String client, String detail) {
        log.record(tx, new AuditEntry(0, clock.instant(), null, attemptedEmail, AuditAction.LOGIN_FAILED,
                null, null, client, detail));
    }
}
