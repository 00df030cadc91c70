package org.invokej.http.fakes;

import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.SessionRunner;

import java.util.concurrent.CountDownLatch;

/**
 * The generation engine, the boundary the route tests stop at: a session runs until it is canceled.
 * {@link CoreOnFakes} never starts its dispatcher, so items stay pending and nothing reaches this; the
 * dispatcher needs a runner all the same, and a test that starts one gets items that stay in progress.
 */
public final class HeldSessions implements SessionRunner {

    @Override
    public Running start(QueueItem item, SessionListener listener) {
        CountDownLatch canceled = new CountDownLatch(1);
        return new Running() {
            @Override
            public Outcome await() throws InterruptedException {
                canceled.await();
                return Outcome.canceled(item.session());
            }

            @Override
            public void cancel() {
                canceled.countDown();
            }
        };
    }
}
