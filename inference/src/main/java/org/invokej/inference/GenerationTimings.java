package org.invokej.inference;

/**
 * Where one generation's time went, in nanoseconds. {@code ortRun} is the time inside ONNX
 * Runtime's {@code run} calls, part of the stage times; the rest of a stage is our own work.
 *
 * @param load loading the model (0 when it was cached)
 * @param denoising noise generation and the denoising loop
 * @param denoisingSteps UNet evaluations made
 * @param denoisingOrtRun the part of {@code denoising} inside the UNet's runs
 * @param decodingOrtRun the part of {@code decoding} inside the VAE decoder's run
 * @param total everything, load included
 */
public record GenerationTimings(long load, long imageEncoding, long textEncoding, long denoising,
        int denoisingSteps, long decoding, long ortRun, long denoisingOrtRun, long decodingOrtRun, long total) {

    /** Time spent outside ONNX Runtime's {@code run}, as a share of the total without loading. */
    public double shareOutsideRun() {
        long work = total - load;
        return work <= 0 ? 0 : (double) (work - ortRun) / work;
    }

    public double millisPerStep() {
        return denoisingSteps == 0 ? 0 : denoising / 1e6 / denoisingSteps;
    }

    /** One line per stage, for the command line's summary. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        if (load > 0) {
            text.append(line("model load", load));
        }
        if (imageEncoding > 0) {
            text.append(line("image encoding", imageEncoding));
        }
        text.append(line("text encoding", textEncoding));
        text.append(String.format("  %-16s %9.1f ms  (%d steps, %.1f ms/step; %.1f ms outside ORT run)%n",
                "denoising", denoising / 1e6, denoisingSteps, millisPerStep(),
                (denoising - denoisingOrtRun) / 1e6));
        text.append(String.format("  %-16s %9.1f ms  (%.1f ms outside ORT run)%n", "decoding", decoding / 1e6,
                (decoding - decodingOrtRun) / 1e6));
        text.append(line("total", total));
        text.append(String.format("  %-16s %9.1f %%%n", "outside ORT run", shareOutsideRun() * 100));
        return text.toString();
    }

    private static String line(String label, long nanos) {
        return String.format("  %-16s %9.1f ms%n", label, nanos / 1e6);
    }
}
