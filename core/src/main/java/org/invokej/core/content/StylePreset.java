package org.invokej.core.content;

import java.time.Instant;

/**
 * A style preset as InvokeAI keeps it ({@code style_presets}): a name and prompt templates.
 *
 * @param presetData InvokeAI's {@code PresetData} as JSON ({@code positive_prompt}, {@code negative_prompt},
 *                   with {@code {prompt}} where the user's prompt goes), kept as written
 * @param type       {@code default} (shipped with InvokeAI, readable by everyone) or {@code user}
 * @param ownerId    the user who made it; {@code system} for defaults and the single-user era's presets
 */
public record StylePreset(String id, String name, String presetData, String type, String ownerId, boolean isPublic,
                          Instant createdAt, Instant updatedAt) {

    public static final String DEFAULT_TYPE = "default";
}
