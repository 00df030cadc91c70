package org.invokej.inference.schedulers;

/**
 * The part of a scheduler's schedule a run covers, chosen from {@code denoising_start} and
 * {@code denoising_end} as InvokeAI does: among every {@code order}-th timestep, skip those at or
 * above {@code round(T * (1 - start))}, then keep those at or above {@code round(T * (1 - end))};
 * both counts are multiplied back by the order. The first kept index is the one the start
 * latents are noised to.
 *
 * @param start the first index of the schedule to run
 * @param end one past the last index to run; {@code start == end} means nothing to do
 */
public record TimestepWindow(int start, int end) {

    public static TimestepWindow of(Scheduler scheduler, int trainSteps, double denoisingStart, double denoisingEnd) {
        double[] all = scheduler.timesteps();
        int order = scheduler.order();
        int kept = (all.length + order - 1) / order;
        double startValue = Math.round(trainSteps * (1 - denoisingStart));
        double endValue = Math.round(trainSteps * (1 - denoisingEnd));
        int startCount = 0;
        for (int i = 0; i < kept; i++) {
            if (all[i * order] >= startValue) {
                startCount++;
            }
        }
        int endCount = 0;
        for (int i = startCount; i < kept; i++) {
            if (all[i * order] >= endValue) {
                endCount++;
            }
        }
        int start = Math.min(startCount * order, all.length);
        int end = Math.min(start + endCount * order, all.length);
        return new TimestepWindow(start, end);
    }

    public int length() {
        return end - start;
    }

    public boolean isEmpty() {
        return end <= start;
    }
}
