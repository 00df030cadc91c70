package org.invokej.http.auth;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.audit.AuditEntry;
import org.invokej.core.audit.AuditLog;
import org.invokej.core.store.Transactions;
import org.invokej.http.ApiTimes;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;

import java.util.List;

/** {@code GET /api/v1/audit}: the audit log, newest first, a page at a time (administrators only). */
public final class AuditRoutes implements HttpService {

    /** One audit entry as JSON. */
    record EntryDto(long id, String occurredAt, String actorUserId, String actorEmail, String action,
                    String targetUserId, String targetEmail, String clientAddress, String detail) {
        static EntryDto of(AuditEntry entry) {
            return new EntryDto(entry.id(), ApiTimes.isoUtc(entry.occurredAt()), entry.actorId(), entry.actorEmail(),
                    entry.action().wireName(), entry.targetId(), entry.targetEmail(), entry.clientAddress(), entry.detail());
        }
    }

    /** A page of entries. */
    record Page(int offset, int limit, long total, List<EntryDto> items) {
    }

    private final Json json;
    private final Transactions transactions;
    private final AuditLog log;

    public AuditRoutes(Json json, Transactions transactions, AuditLog log) {
        this.json = json;
        this.transactions = transactions;
        this.log = log;
    }

    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/audit");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        int offset = QueryParams.integer(req, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = QueryParams.integer(req, "limit", 50, 1, 500);
        Page page = transactions.read(tx -> new Page(offset, limit, log.count(tx),
                log.newestFirst(tx, offset, limit).stream().map(EntryDto::of).toList()));
        json.send(res, page);
    }
}
