package org.invokej.http;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import org.invokej.core.queue.QueueClaims;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The generation workers in {@code /observe/health}: one detail per worker (its id), with its device,
 * host and process, the item it runs, when it last claimed, renewed or said it was idle, and how many
 * items it finished. A web server is healthy without workers (they may be starting), so this check is
 * always up: it informs, and an operator's monitor decides what a stale {@code last_seen_at} means.
 */
public final class WorkersHealth implements HealthCheck {

    private final Supplier<List<QueueClaims.WorkerState>> workers;

    public WorkersHealth(Supplier<List<QueueClaims.WorkerState>> workers) {
        this.workers = workers;
    }

    @Override
    public String name() {
        return "workers";
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(true);
        for (QueueClaims.WorkerState worker : workers.get()) {
            response.detail(worker.workerId(), describe(worker));
        }
        return response.build();
    }

    private static Map<String, Object> describe(QueueClaims.WorkerState worker) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("device", worker.device());
        detail.put("host", worker.host());
        detail.put("pid", worker.pid());
        detail.put("state", !worker.running() ? "stopped" : worker.currentItemId() != null ? "running" : "idle");
        detail.put("current_item_id", worker.currentItemId() == null ? "" : worker.currentItemId().toString());
        detail.put("last_seen_at", worker.lastSeenAt().toString());
        detail.put("items_completed", worker.itemsCompleted());
        detail.put("items_failed", worker.itemsFailed());
        detail.put("items_canceled", worker.itemsCanceled());
        return detail;
    }
}
