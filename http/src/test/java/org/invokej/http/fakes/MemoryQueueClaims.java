package org.invokej.http.fakes;

import org.invokej.core.queue.QueueClaims;
import org.invokej.core.queue.QueueRepository;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueStatus;
import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Claims, workers and the pause switch in memory; the route tests run no worker, so claims stay empty. */
public final class MemoryQueueClaims implements QueueClaims {

    private final MemoryStore.Table<Long, Claim> claims;
    private final MemoryStore.Table<String, WorkerState> workers;
    private final MemoryStore.Table<String, Boolean> control;
    private final QueueRepository queue;

    public MemoryQueueClaims(MemoryStore store, QueueRepository queue) {
        this.claims = store.table();
        this.workers = store.table();
        this.control = store.table();
        this.queue = queue;
    }

    @Override
    public void register(Tx tx, Worker worker, Instant now) {
        workers.rows().put(worker.workerId(), new WorkerState(worker.workerId(), worker.device(), worker.host(), worker.pid(), now, now,
                null, null, 0, 0, 0));
    }

    @Override
    public Optional<WorkerState> worker(Tx tx, String workerId) {
        return Optional.ofNullable(workers.rows().get(workerId));
    }

    @Override
    public void seen(Tx tx, String workerId, Instant now) {
    }

    @Override
    public void stopped(Tx tx, String workerId, Instant now) {
    }

    @Override
    public List<QueueScheduler.Candidate> claimable(Tx tx, int perUser) {
        // The route tests run no worker: each user's best item is enough.
        return queue.pendingHeads(tx, null);
    }

    @Override
    public boolean lockPending(Tx tx, long itemId) {
        return queue.find(tx, itemId).map(item -> item.status() == QueueStatus.PENDING).orElse(false);
    }

    @Override
    public void claim(Tx tx, long itemId, String workerId, Instant now, Instant leaseUntil) {
        claims.rows().put(itemId, new Claim(itemId, workerId, now, leaseUntil));
    }

    @Override
    public boolean renew(Tx tx, long itemId, String workerId, Instant now, Instant leaseUntil) {
        if (!holds(tx, itemId, workerId)) {
            return false;
        }
        claims.rows().put(itemId, new Claim(itemId, workerId, claims.rows().get(itemId).claimedAt(), leaseUntil));
        return true;
    }

    @Override
    public boolean holds(Tx tx, long itemId, String workerId) {
        Claim claim = claims.rows().get(itemId);
        return claim != null && claim.workerId().equals(workerId)
                && queue.find(tx, itemId).map(item -> item.status() == QueueStatus.IN_PROGRESS).orElse(false);
    }

    @Override
    public void release(Tx tx, long itemId, String workerId, QueueStatus outcome, Instant now) {
        claims.rows().remove(itemId);
    }

    @Override
    public List<Claim> takeExpired(Tx tx, Instant now) {
        List<Claim> expired = claims.rows().values().stream().filter(claim -> claim.leaseUntil().isBefore(now)).toList();
        expired.forEach(claim -> claims.rows().remove(claim.itemId()));
        return expired;
    }

    @Override
    public List<Claim> takeHeldBy(Tx tx, String workerId) {
        List<Claim> held = claims.rows().values().stream().filter(claim -> claim.workerId().equals(workerId)).toList();
        held.forEach(claim -> claims.rows().remove(claim.itemId()));
        return held;
    }

    @Override
    public List<Claim> claims(Tx tx) {
        return new ArrayList<>(claims.rows().values());
    }

    @Override
    public List<Long> unclaimedInProgress(Tx tx) {
        return List.of();
    }

    @Override
    public boolean paused(Tx tx) {
        return control.rows().getOrDefault("paused", false);
    }

    @Override
    public void setPaused(Tx tx, boolean paused) {
        control.rows().put("paused", paused);
    }

    @Override
    public List<WorkerState> workers(Tx tx) {
        return workers.rows().values().stream().sorted(Comparator.comparing(WorkerState::workerId)).toList();
    }
}
