package org.invokej.inference;

import org.invokej.core.models.LoadedModels;
import org.invokej.inference.lora.LoraStack;
import org.invokej.inference.onnx.SessionOpener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Loaded models by folder, kept while their files' total size fits a memory budget; beyond it the
 * least recently used models that nobody holds are closed. A model in use is never closed, so the
 * budget may be exceeded while a large model runs.
 */
public final class ModelCache implements LoadedModels, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelCache.class.getName());

    private final SessionOpener opener;
    private final long budgetBytes;
    /** Access order: eldest first. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    /** A model folder with the LoRAs blended into it: each combination is a model of its own, with its own sessions. */
    private record Key(Path folder, LoraStack loras) {
    }

    private static final class Entry {
        final DiffusionModel model;
        int holders;

        Entry(DiffusionModel model) {
            this.model = model;
        }
    }

    /** Holds a model until closed; the cache does not unload it meanwhile. */
    public final class Lease implements AutoCloseable {
        private final Key key;
        private final DiffusionModel model;
        private final long loadNanos;
        private boolean released;

        private Lease(Key key, DiffusionModel model, long loadNanos) {
            this.key = key;
            this.model = model;
            this.loadNanos = loadNanos;
        }

        public DiffusionModel model() {
            return model;
        }

        /** How long loading took for this lease, 0 if the model was already loaded. */
        public long loadNanos() {
            return loadNanos;
        }

        @Override
        public void close() {
            synchronized (ModelCache.this) {
                if (released) {
                    return;
                }
                released = true;
                Entry entry = entries.get(key);
                if (entry != null && entry.model == model) {
                    entry.holders--;
                } else {
                    model.close(); // evicted or cache closed while held
                }
                evict();
            }
        }
    }

    public ModelCache(SessionOpener opener, long budgetBytes) {
        this.opener = opener;
        this.budgetBytes = budgetBytes;
    }

    /** The model of a folder, loaded if need be; close the lease when done with it. */
    public Lease acquire(Path folder) {
        return acquire(folder, LoraStack.NONE);
    }

    /**
     * The model of a folder with {@code loras} blended in, loaded if need be. Each combination of LoRAs and weights
     * is cached as a model of its own and costs what the folder's files do (its sessions hold a whole copy of the
     * weights), so the budget counts it so.
     */
    public synchronized Lease acquire(Path folder, LoraStack loras) {
        if (closed) {
            throw new IllegalStateException("the model cache is closed");
        }
        Key key = new Key(folder.toAbsolutePath().normalize(), loras);
        Entry entry = entries.get(key);
        long loadNanos = 0;
        if (entry == null) {
            long start = System.nanoTime();
            DiffusionModel model = DiffusionModel.load(ModelFolder.open(key.folder()), opener, loras);
            loadNanos = System.nanoTime() - start;
            entry = new Entry(model);
            entries.put(key, entry);
        }
        entry.holders++;
        evict();
        return new Lease(key, entry.model, loadNanos);
    }

    /** The loaded folders, least recently used first (a folder loaded with several LoRA combinations is listed for each). */
    public synchronized List<Path> loaded() {
        return entries.keySet().stream().map(Key::folder).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    /** The LoRA combinations loaded for {@code folder}, least recently used first ({@link LoraStack#NONE} for the plain model). */
    public synchronized List<LoraStack> loadedVariants(Path folder) {
        Path normalized = folder.toAbsolutePath().normalize();
        return entries.keySet().stream().filter(key -> key.folder().equals(normalized)).map(Key::loras).toList();
    }

    public synchronized long loadedBytes() {
        return entries.values().stream().mapToLong(e -> e.model.sizeBytes()).sum();
    }

    private void evict() {
        long total = loadedBytes();
        Iterator<Map.Entry<Key, Entry>> eldestFirst = entries.entrySet().iterator();
        while (total > budgetBytes && eldestFirst.hasNext()) {
            Map.Entry<Key, Entry> next = eldestFirst.next();
            Entry entry = next.getValue();
            if (entry.holders == 0) {
                eldestFirst.remove();
                total -= entry.model.sizeBytes();
                entry.model.close();
                LOG.fine(() -> "unloaded model " + next.getKey() + " to stay within the model cache budget");
            }
        }
    }

    /** Unloads every model nobody holds (the model manager's "empty model cache"); held ones stay loaded. */
    @Override
    public synchronized Emptied emptyUnused() {
        int cleared = 0;
        long freed = 0;
        Iterator<Entry> all = entries.values().iterator();
        while (all.hasNext()) {
            Entry entry = all.next();
            if (entry.holders == 0) {
                all.remove();
                cleared++;
                freed += entry.model.sizeBytes();
                entry.model.close();
            }
        }
        return new Emptied(cleared, freed);
    }

    /** Closes every model nobody holds; held ones close when their lease is released. */
    @Override
    public synchronized void close() {
        closed = true;
        Iterator<Entry> all = entries.values().iterator();
        while (all.hasNext()) {
            Entry entry = all.next();
            all.remove();
            if (entry.holders == 0) {
                entry.model.close();
            }
        }
    }
}
