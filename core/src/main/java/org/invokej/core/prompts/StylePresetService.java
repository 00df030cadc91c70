package org.invokej.core.prompts;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.content.ContentAccess;
import org.invokej.core.content.ImageCodec;
import org.invokej.core.content.PreviewImages;
import org.invokej.core.store.Transactions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Style presets with InvokeAI 6.14's multi-user rules (see {@link ContentAccess}): everyone sees the
 * default presets, the public ones and their own; only administrators create or change default ones,
 * and export or import in bulk.
 */
public final class StylePresetService {

    /** A preset with the URL path of its image, when it has one. */
    public record WithImage(StylePreset preset, boolean hasImage) {
    }

    private final Transactions transactions;
    private final StylePresetRepository presets;
    private final PreviewImages images;
    private final long maxPixels;

    public StylePresetService(Transactions transactions, StylePresetRepository presets, PreviewImages images, long maxPixels) {
        this.transactions = transactions;
        this.presets = presets;
        this.images = images;
        this.maxPixels = maxPixels;
    }

    public List<WithImage> list(Actor actor) {
        return transactions.read(tx -> presets.list(tx, ContentAccess.presetViewer(actor), null)).stream()
                .map(this::withImage).toList();
    }

    public WithImage get(Actor actor, String id) {
        StylePreset preset = transactions.read(tx -> find(tx, id));
        ContentAccess.requireRead(actor, preset);
        return withImage(preset);
    }

    /** The preview image of a preset the caller may read; 404 when it has none. */
    public Path image(Actor actor, String id) {
        get(actor, id);
        return images.find(id).orElseThrow(() -> DomainException.notFound("Style preset image not found"));
    }

    /** Creates a preset owned by the caller; {@code image} (any readable image, or null) becomes its preview. */
    public WithImage create(Actor actor, StylePreset.Draft draft, byte[] image) {
        ContentAccess.requireCreatePreset(actor, draft.type());
        byte[] preview = image == null ? null : preview(image);
        StylePreset preset = new StylePreset(UUID.randomUUID().toString(), draft.name(), draft.positivePrompt(),
                draft.negativePrompt(), draft.type(), draft.isPublic(), actor.userId());
        transactions.write(tx -> {
            presets.insert(tx, preset);
            return null;
        });
        if (preview != null) {
            images.save(preset.id(), preview);
        }
        return withImage(preset);
    }

    /**
     * Changes a preset the caller may change. As in InvokeAI the type stays, and a change without an
     * image removes the preview the preset had.
     */
    public WithImage update(Actor actor, String id, StylePreset.Draft draft, byte[] image) {
        byte[] preview = image == null ? null : preview(image);
        StylePreset changed = transactions.write(tx -> {
            StylePreset preset = find(tx, id);
            ContentAccess.requireWrite(actor, preset);
            StylePreset updated = new StylePreset(id, draft.name(), draft.positivePrompt(), draft.negativePrompt(),
                    preset.type(), draft.isPublic(), preset.ownerId());
            presets.update(tx, updated);
            return updated;
        });
        if (preview != null) {
            images.save(id, preview);
        } else {
            images.delete(id);
        }
        return withImage(changed);
    }

    public void delete(Actor actor, String id) {
        transactions.write(tx -> {
            ContentAccess.requireWrite(actor, find(tx, id));
            presets.delete(tx, id);
            return null;
        });
        images.delete(id);
    }

    /** Every user preset of every user, for the CSV export: administrators only. */
    public List<StylePreset> exportAll(Actor actor) {
        ContentAccess.requireAdmin(actor);
        return transactions.read(tx -> presets.list(tx, Optional.empty(), StylePreset.USER));
    }

    /** Creates private user presets owned by the caller, all or none: administrators only. */
    public int importAll(Actor actor, List<StylePreset.Imported> imported) {
        ContentAccess.requireAdmin(actor);
        return transactions.write(tx -> {
            for (StylePreset.Imported row : imported) {
                presets.insert(tx, new StylePreset(UUID.randomUUID().toString(), row.name(), row.positivePrompt(),
                        row.negativePrompt(), StylePreset.USER, false, actor.userId()));
            }
            return imported.size();
        });
    }

    private StylePreset find(org.invokej.core.store.Tx tx, String id) {
        return presets.find(tx, id).orElseThrow(() -> DomainException.notFound("Style preset not found"));
    }

    private WithImage withImage(StylePreset preset) {
        return new WithImage(preset, images.find(preset.id()).isPresent());
    }

    /** The preview as stored: the image shrunk to thumbnail size, as PNG (415 for what is not an image). */
    private byte[] preview(byte[] image) {
        return ImageCodec.thumbnail(ImageCodec.decode(image, maxPixels).pixels());
    }
}
