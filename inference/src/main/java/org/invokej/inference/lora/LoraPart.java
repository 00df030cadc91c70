package org.invokej.inference.lora;

/** The model part a LoRA layer modifies. */
public enum LoraPart {
    UNET("unet"),
    TEXT_ENCODER("text_encoder"),
    TEXT_ENCODER_2("text_encoder_2");

    private final String folder;

    LoraPart(String folder) {
        this.folder = folder;
    }

    /** The part's folder in an optimum export. */
    public String folder() {
        return folder;
    }
}
