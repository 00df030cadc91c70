package org.invokej.core.models;

import java.util.List;

/**
 * InvokeAI's scheduler names ({@code SchedulerName}), as the engine lists them: the one list, which core
 * reads through this port to check a model's default scheduler. Which of them the engine can run is the
 * queue's check, at enqueue.
 */
@FunctionalInterface
public interface SchedulerNames {

    List<String> names();
}
