package org.invokej.core.models;

import org.invokej.core.DomainException;

import java.util.List;

/**
 * What an administrator sets on a model being installed (the body of {@code POST /api/v2/models/install},
 * a subset of InvokeAI's {@code ModelRecordChanges}); null fields take what the install finds out.
 *
 * @param base           overrides the detected base between {@code sd-1} and {@code sd-2} (whose folders look
 *                       alike); {@code sdxl} is what the folder's parts say and cannot be overridden either way
 * @param predictionType overrides the scheduler config's ({@code epsilon}, {@code v_prediction}, {@code sample})
 */
public record InstallOverrides(String name, String description, String base, String predictionType,
                               List<String> triggerPhrases, DefaultSettings defaultSettings) {

    public static final InstallOverrides NONE = new InstallOverrides(null, null, null, null, null, null);
    public static final List<String> BASES = List.of("sd-1", "sd-2", "sdxl");
    public static final List<String> PREDICTION_TYPES = List.of("epsilon", "v_prediction", "sample");

    public InstallOverrides {
        if (name != null) {
            name = new ModelChanges(name, null, null, null).name();
        }
        if (base != null && !BASES.contains(base)) {
            throw DomainException.unprocessable("base must be one of " + String.join(", ", BASES) + " for an ONNX model");
        }
        if (predictionType != null && !PREDICTION_TYPES.contains(predictionType)) {
            throw DomainException.unprocessable("prediction_type must be one of " + String.join(", ", PREDICTION_TYPES));
        }
        if (triggerPhrases != null) {
            triggerPhrases = new ModelChanges(null, null, null, java.util.Optional.of(triggerPhrases)).triggerPhrases().orElseThrow();
        }
    }

    /** The detected facts with these overrides applied. */
    ModelFacts apply(ModelFacts found) {
        if (base != null && ("sdxl".equals(base) != "sdxl".equals(found.base()))) {
            throw DomainException.unprocessable("base " + base + " does not fit the model: its folder is " + ("sdxl".equals(found.base())
                    ? "an SDXL model (two text encoders)" : "not an SDXL model (it has no text_encoder_2)"));
        }
        return new ModelFacts(base != null ? base : found.base(),
                predictionType != null ? predictionType : found.predictionType(), found.variant());
    }
}
