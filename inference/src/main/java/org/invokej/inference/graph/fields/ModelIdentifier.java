package org.invokej.inference.graph.fields;

/**
 * InvokeAI's {@code ModelIdentifierField}: which installed model (by key) and, once a loader split it,
 * which of its submodels. Clients may send a whole model config here; only these fields are kept.
 */
public record ModelIdentifier(String key, String hash, String name, String base, String type, String submodelType) {

    /** This model's submodel {@code submodel} ({@code unet}, {@code vae}, …). */
    public ModelIdentifier submodel(String submodel) {
        return new ModelIdentifier(key, hash, name, base, type, submodel);
    }
}
