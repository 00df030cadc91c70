package org.invokej.core.models;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * One model install (InvokeAI's {@code ModelInstallJob}): from a local folder or a {@code .zip}, in the
 * background. Its fields change as it runs; {@link #view} gives a consistent picture.
 */
public final class InstallJob {

    /** InvokeAI's {@code InstallStatus} values that a local install goes through. */
    public enum Status {
        WAITING, RUNNING, COMPLETED, ERROR, CANCELLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean isFinished() {
            return this == COMPLETED || this == ERROR || this == CANCELLED;
        }
    }

    /**
     * A picture of a job at one moment.
     *
     * @param errorType InvokeAI's {@code error_reason}: the kind of failure, e.g. {@code InvalidModelException}
     */
    public record View(long id, Status status, Path source, boolean inplace, InstallOverrides overrides, long bytes,
                       long totalBytes, String errorType, String error, ModelConfig config) {
    }

    private final long id;
    private final Path source;
    private final boolean inplace;
    private final InstallOverrides overrides;
    private final CompletableFuture<View> finished = new CompletableFuture<>();
    private Status status = Status.WAITING;
    private long bytes;
    private long totalBytes;
    private String errorType;
    private String error;
    private ModelConfig config;
    private volatile boolean cancelRequested;

    InstallJob(long id, Path source, boolean inplace, InstallOverrides overrides) {
        this.id = id;
        this.source = source;
        this.inplace = inplace;
        this.overrides = overrides;
    }

    public long id() {
        return id;
    }

    public Path source() {
        return source;
    }

    public boolean inplace() {
        return inplace;
    }

    InstallOverrides overrides() {
        return overrides;
    }

    public synchronized View view() {
        return new View(id, status, source, inplace, overrides, bytes, totalBytes, errorType, error, config);
    }

    /** Completes with the job's last picture when it has completed, failed or been cancelled. */
    public CompletableFuture<View> finished() {
        return finished;
    }

    /** Throws when a cancel was asked for; the worker calls it between and during steps. */
    void requireNotCancelled() {
        if (cancelRequested) {
            throw new ModelInstaller.Cancelled();
        }
    }

    synchronized boolean isFinished() {
        return status.isFinished();
    }

    /** Asks the job to stop; true when it had not started yet (so it is cancelled now). */
    synchronized boolean requestCancel() {
        cancelRequested = true;
        if (status == Status.WAITING) {
            finish(Status.CANCELLED, null, null, null);
            return true;
        }
        return false;
    }

    synchronized boolean start() {
        if (status != Status.WAITING) {
            return false;
        }
        status = Status.RUNNING;
        return true;
    }

    synchronized void progress(long done, long total) {
        bytes = done;
        totalBytes = total;
    }

    synchronized void complete(ModelConfig installed) {
        finish(Status.COMPLETED, null, null, installed);
    }

    synchronized void fail(String type, String message) {
        finish(Status.ERROR, type, message, null);
    }

    synchronized void cancelled() {
        finish(Status.CANCELLED, null, null, null);
    }

    private void finish(Status end, String type, String message, ModelConfig installed) {
        status = end;
        errorType = type;
        error = message;
        config = installed;
        finished.complete(view());
    }
}
