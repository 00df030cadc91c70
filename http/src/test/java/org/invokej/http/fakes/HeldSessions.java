package org.invokej.http.fakes;

import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueStatus;
import org.invokej.core.queue.SessionRunner;

import java.util.concurrent.CountDownLatch;

/**
 * A session runner whose sessions run until canceled: the generation engine is the boundary the route
 * tests stop at, and an item that stays in progress lets them see "current" and cancel it.
 */
public final class HeldSessions implements SessionRunner {

    @Override
    public Running start(QueueItem item, SessionListener listener) {
        CountDownLatch canceled = new CountDownLatch(1);
        return new Running() {
            @Override
            public Outcome await() throws InterruptedException {
                canceled.await();
                return new Outcome(QueueStatus.CANCELED, item.session(), null, null, null, null, null);
            }

            @Override
            public void cancel() {
                canceled.countDown();
            }
        };
    }
}
