package org.invokej.http;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.json.JsonObject;
import org.invokej.core.queue.QueueClaims;

import java.util.List;
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

    /** A JSON object: Helidon writes a detail's maps as their toString, its own JSON values as JSON. */
    private static JsonObject describe(QueueClaims.WorkerState worker) {
        JsonObject.Builder detail = JsonObject.builder()
                .set("device", worker.device())
                .set("host", worker.host())
                .set("pid", worker.pid())
                .set("state", !worker.running() ? "stopped" : worker.currentItemId() != null ? "running" : "idle");
        if (worker.currentItemId() != null) {
            detail.set("current_item_id", worker.currentItemId().longValue());
        }
        return detail.set("last_seen_at", worker.lastSeenAt().toString())
                .set("items_completed", worker.itemsCompleted())
                .set("items_failed", worker.itemsFailed())
                .set("items_canceled", worker.itemsCanceled())
                .build();
    }
}
