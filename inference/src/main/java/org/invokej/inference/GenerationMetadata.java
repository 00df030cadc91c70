package org.invokej.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an image was made with, written into its PNG as InvokeAI's {@code invokeai_metadata} JSON
 * with InvokeAI's field names, so that InvokeAI's "recall parameters" reads it.
 *
 * @param model InvokeAI's model identifier object ({@code name}, and {@code key}, {@code hash},
 *     {@code base}, {@code type} where known)
 * @param strength null for text-to-image
 */
public record GenerationMetadata(String generationMode, String positivePrompt, String negativePrompt, long seed,
        int steps, double cfgScale, String scheduler, int width, int height, Map<String, Object> model,
        Double strength) {

    /** The PNG text keyword InvokeAI uses. */
    public static final String PNG_KEYWORD = "invokeai_metadata";

    public GenerationMetadata {
        model = Map.copyOf(model);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("generation_mode", generationMode);
        map.put("positive_prompt", positivePrompt);
        map.put("negative_prompt", negativePrompt);
        map.put("width", width);
        map.put("height", height);
        map.put("seed", seed);
        map.put("rand_device", "cpu");
        map.put("cfg_scale", cfgScale);
        map.put("steps", steps);
        map.put("scheduler", scheduler);
        map.put("model", new LinkedHashMap<>(model));
        if (strength != null) {
            map.put("strength", strength);
        }
        return map;
    }

    public String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata cannot be written as JSON", e);
        }
    }
}
