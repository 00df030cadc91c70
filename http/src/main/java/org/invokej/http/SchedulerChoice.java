package org.invokej.http;

/**
 * One scheduler the engine runs, as {@code GET /api/v1/app/schedulers} lists it for the built-in UI.
 *
 * @param name InvokeAI's {@code SchedulerName} value, e.g. {@code dpmpp_3m_k}
 * @param label what InvokeAI's web UI calls it, e.g. {@code DPM++ 3M Karras}
 */
public record SchedulerChoice(String name, String label) {
}
