package org.invokej.core.queue;

/** How many items are in each status (of a queue, a batch, a destination or a user). */
public record StatusCounts(int pending, int inProgress, int waiting, int completed, int failed, int canceled) {

    public static final StatusCounts NONE = new StatusCounts(0, 0, 0, 0, 0, 0);

    public int total() {
        return pending + inProgress + waiting + completed + failed + canceled;
    }
}
