package org.invokej.launcher;

import java.util.Iterator;
import org.invokej.inference.schedulers.SchedulerName;

/** The scheduler names {@code invokej generate --help} lists: the engine's implemented ones, from {@link SchedulerName}. */
final class SchedulerNames implements Iterable<String> {

    @Override
    public Iterator<String> iterator() {
        return SchedulerName.available().stream().map(SchedulerName::invokeName).iterator();
    }
}
