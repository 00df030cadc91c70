package org.invokej.http.fakes;

import org.invokej.core.models.LoadedModels;

import java.util.ArrayList;
import java.util.List;

/** An engine's model cache as sizes: what tests load stays until emptied. */
public final class MemoryLoadedModels implements LoadedModels {

    private final List<Long> sizes = new ArrayList<>();

    public synchronized void load(long bytes) {
        sizes.add(bytes);
    }

    @Override
    public synchronized Emptied emptyUnused() {
        Emptied emptied = new Emptied(sizes.size(), sizes.stream().mapToLong(Long::longValue).sum());
        sizes.clear();
        return emptied;
    }
}
