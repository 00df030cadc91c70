package org.invokej.http;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.invokej.core.queue.QueueClaims;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The generation workers in {@code /observe/metrics} (Prometheus: {@code invokej_worker_items_completed{worker="…",device="…"}}
 * and so on), read from {@code queue_workers}, which every worker keeps up to date: items completed, failed
 * and canceled, the item it runs (0 when idle), whether it runs, and when it was last seen (Unix seconds).
 * {@code invokej_workers} counts the running ones. One read of the table serves a whole scrape (it is
 * cached for a second); a worker's meters appear at the first scrape after it started.
 */
public final class WorkersMetrics implements AutoCloseable {

    private static final Duration FRESH = Duration.ofSeconds(1);

    private final Supplier<List<QueueClaims.WorkerState>> source;
    private final Clock clock;
    private final MeterRegistry registry = Metrics.globalRegistry();
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(Instant.MIN, Map.of());

    private record Snapshot(Instant readAt, Map<String, QueueClaims.WorkerState> workers) {
    }

    public WorkersMetrics(Supplier<List<QueueClaims.WorkerState>> source, Clock clock) {
        this.source = source;
        this.clock = clock;
        meters.add(registry.getOrCreate(Gauge.builder("invokej.workers", this,
                metrics -> metrics.current().values().stream().filter(QueueClaims.WorkerState::running).count())
                .description("Generation workers running now")));
    }

    /** The workers as of at most a second ago; new ones get their meters. */
    private synchronized Map<String, QueueClaims.WorkerState> current() {
        Instant now = clock.instant();
        if (Duration.between(snapshot.readAt(), now).compareTo(FRESH) >= 0) {
            Map<String, QueueClaims.WorkerState> workers = source.get().stream()
                    .collect(Collectors.toMap(QueueClaims.WorkerState::workerId, Function.identity(), (a, b) -> b));
            snapshot = new Snapshot(now, workers);
            workers.values().stream().filter(worker -> known.add(worker.workerId())).forEach(this::register);
        }
        return snapshot.workers();
    }

    private void register(QueueClaims.WorkerState worker) {
        List<Tag> tags = List.of(Tag.create("worker", worker.workerId()), Tag.create("device", worker.device()),
                Tag.create("host", worker.host()));
        gauge("invokej.worker.items.completed", "Items this worker completed", tags, worker.workerId(), QueueClaims.WorkerState::itemsCompleted);
        gauge("invokej.worker.items.failed", "Items that failed on this worker", tags, worker.workerId(), QueueClaims.WorkerState::itemsFailed);
        gauge("invokej.worker.items.canceled", "Items canceled while this worker ran them", tags, worker.workerId(),
                QueueClaims.WorkerState::itemsCanceled);
        gauge("invokej.worker.current.item", "The queue item this worker runs (0 when idle)", tags, worker.workerId(),
                state -> state.currentItemId() == null ? 0 : state.currentItemId());
        gauge("invokej.worker.running", "1 while this worker runs, 0 once it stopped", tags, worker.workerId(),
                state -> state.running() ? 1 : 0);
        gauge("invokej.worker.last.seen.seconds", "When this worker last claimed, renewed or said it was idle (Unix seconds)", tags,
                worker.workerId(), state -> state.lastSeenAt().getEpochSecond());
    }

    private void gauge(String name, String description, List<Tag> tags, String workerId, Function<QueueClaims.WorkerState, Number> value) {
        meters.add(registry.getOrCreate(Gauge.builder(name, this, metrics -> {
            QueueClaims.WorkerState state = metrics.current().get(workerId);
            return state == null ? Double.NaN : value.apply(state).doubleValue();
        }).description(description).tags(tags)));
    }

    /** Takes this server's meters out of the registry (an embedding program may start another server in the same JVM). */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
