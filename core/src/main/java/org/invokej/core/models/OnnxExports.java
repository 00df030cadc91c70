package org.invokej.core.models;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Links a main model that InvokeAI installed and this engine cannot run (a diffusers folder, a
 * checkpoint) to an ONNX export of it, which the engine then runs under the model's own key, name and
 * record: graphs and workflows that name the model keep working, and InvokeAI's record is not touched.
 *
 * <p>An export is found by convention when it lies beside the model as the README's recipe writes it:
 * {@code <model>-onnx} next to the model's folder or file (the file's extension dropped), or {@code onnx/}
 * inside a diffusers folder. Otherwise an administrator names its folder.
 */
public final class OnnxExports {

    private static final Logger LOG = Logger.getLogger(OnnxExports.class.getName());
    static final String SUFFIX = "-onnx";

    private final Transactions transactions;
    private final ModelService models;
    private final OnnxExportLinks links;
    private final ModelInspector inspector;

    public OnnxExports(Transactions transactions, ModelService models, OnnxExportLinks links, ModelInspector inspector) {
        this.transactions = transactions;
        this.models = models;
        this.links = links;
        this.inspector = inspector;
    }

    /**
     * An administrator links model {@code key} to the export in {@code exportFolder} (an absolute path), or
     * to the one found beside the model when it is null. The export is checked fully, as an install is, and
     * must be of the model's base.
     */
    public ModelConfig link(Actor actor, String key, String exportFolder) {
        ModelService.requireAdmin(actor);
        ModelConfig model = models.get(key);
        requireLinkable(model);
        Path folder = exportFolder == null ? found(model) : given(exportFolder);
        check(model, folder);
        transactions.write(tx -> {
            models.find(tx, key).orElseThrow(() -> DomainException.notFound(ModelService.NOT_FOUND));
            links.link(tx, key, models.storage().recordedPath(folder));
            return null;
        });
        LOG.info(() -> "Model '" + model.name() + "' (" + key + ") runs through its ONNX export in " + folder);
        return models.get(key);
    }

    /** An administrator unlinks a model from its export: it is listed as not runnable again. The export's files stay. */
    public ModelConfig unlink(Actor actor, String key) {
        ModelService.requireAdmin(actor);
        ModelConfig model = models.get(key);
        boolean unlinked = transactions.write(tx -> links.unlink(tx, key));
        if (!unlinked) {
            throw DomainException.conflict("Model '" + model.name() + "' is not linked to an ONNX export");
        }
        return models.get(key);
    }

    /** Where an export of {@code model} is looked for by convention, in order. */
    public List<Path> conventionalFolders(ModelConfig model) {
        Path own = models.folderOf(model);
        String name = own.getFileName() == null ? "" : own.getFileName().toString();
        List<Path> folders = new ArrayList<>();
        if (Files.isDirectory(own)) {
            folders.add(own.resolve("onnx"));
        } else if (name.lastIndexOf('.') > 0) {
            name = name.substring(0, name.lastIndexOf('.'));
        }
        folders.add(own.resolveSibling(name + SUFFIX));
        return folders;
    }

    /**
     * Links every linkable model that is not linked yet to an export found beside it (at start: an export
     * made with the README's recipe is picked up without a command). An export that fails its check is
     * reported and left unlinked.
     */
    public List<ModelConfig> linkFound() {
        List<ModelConfig> linked = new ArrayList<>();
        for (ModelConfig model : models.list(ModelQuery.ALL)) {
            if (model.linked() || model.unlinkableReason() != null) {
                continue;
            }
            for (Path folder : conventionalFolders(model)) {
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                try {
                    linked.add(link(Actor.SYSTEM, model.key(), folder.toString()));
                } catch (DomainException e) {
                    LOG.warning(() -> "The ONNX export beside model '" + model.name() + "' (" + model.key() + ") in " + folder
                            + " is not linked: " + e.getMessage());
                }
                break;
            }
        }
        return linked;
    }

    private static void requireLinkable(ModelConfig model) {
        String reason = model.unlinkableReason();
        if (reason != null) {
            throw model.runnable() && !model.linked() ? DomainException.conflict(reason) : DomainException.unprocessable(reason);
        }
    }

    private Path found(ModelConfig model) {
        List<Path> candidates = conventionalFolders(model);
        return candidates.stream().filter(Files::isDirectory).findFirst().orElseThrow(() -> DomainException.unprocessable(
                "No ONNX export of '" + model.name() + "' was found beside it (looked for "
                        + String.join(" and ", candidates.stream().map(Path::toString).toList()) + "); give the export's folder"));
    }

    private static Path given(String exportFolder) {
        Path folder;
        try {
            folder = Path.of(exportFolder);
        } catch (InvalidPathException e) {
            throw DomainException.unprocessable("Not a usable path: " + e.getReason());
        }
        if (!folder.isAbsolute()) {
            throw DomainException.unprocessable("The export's folder must be an absolute path, not '" + exportFolder + "'");
        }
        folder = folder.normalize();
        if (!Files.isDirectory(folder)) {
            throw DomainException.unprocessable("No such folder: '" + folder + "'");
        }
        return folder;
    }

    private void check(ModelConfig model, Path folder) {
        inspector.checkLayout(folder);
        ModelFacts facts = inspector.inspect(folder);
        if (!facts.base().equals(model.base())) {
            throw DomainException.unprocessable("The export in " + folder + " is an " + facts.base() + " model, but '"
                    + model.name() + "' is " + model.base());
        }
    }
}
