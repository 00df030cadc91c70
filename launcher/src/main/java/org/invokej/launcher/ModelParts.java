package org.invokej.launcher;

import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.core.events.EventSink;
import org.invokej.core.models.ModelArchive;
import org.invokej.core.models.ModelConfig;
import org.invokej.core.models.ModelHasher;
import org.invokej.core.models.ModelInstaller;
import org.invokej.core.models.ModelService;
import org.invokej.core.models.ModelStorage;
import org.invokej.core.models.OnnxExports;
import org.invokej.inference.onnx.OnnxModelInspector;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * The model manager, assembled one way for the server and for {@code invokej models}: the models folder
 * of the root (work folders of dead installs removed), the {@code models} table, the engine's own model
 * checks and the configured hashing.
 */
record ModelParts(ModelService service, ModelInstaller installer, OnnxExports exports) implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelParts.class.getName());

    static ModelParts assemble(Path root, InvokeConfig config, Repositories repositories, EventSink events, Clock clock) {
        ModelStorage storage = new ModelStorage(config.modelsPath(root));
        storage.removeStaleWorkFolders();
        ModelService service = new ModelService(repositories.transactions(), repositories.models(), repositories.users(), storage,
                SchedulerName::invokeNames, repositories.modelExports());
        OnnxModelInspector inspector = new OnnxModelInspector();
        ModelInstaller installer = new ModelInstaller(service, inspector, new ModelHasher(config.hashAlgorithm()),
                ModelArchive.Limits.DEFAULT, events, clock);
        return new ModelParts(service, installer, new OnnxExports(repositories.transactions(), service, repositories.modelExports(),
                inspector));
    }

    /** Logs the models whose files are gone; they stay listed (and in {@code GET /api/v2/models/missing}) until deleted. */
    List<ModelConfig> reportMissing() {
        List<ModelConfig> missing = service.missing();
        missing.forEach(model -> LOG.warning(() -> "Model '" + model.name() + "' (" + model.key() + ") is missing its files at "
                + service.runFolderOf(model) + "; reinstall or delete it"));
        return missing;
    }

    @Override
    public void close() {
        installer.close();
    }
}
