package org.invokej.core.models;

import org.invokej.core.events.EventPayload;

import java.util.List;

/** The payloads of InvokeAI's {@code model_install_*} events, each stamped with the time it happened (Unix seconds). */
public final class InstallEvents {

    private InstallEvents() {
    }

    /** InvokeAI's {@code LocalModelSource}: a file or folder on the server, installed in place or copied. */
    public record LocalSource(String path, boolean inplace, String type) {
    }

    /** {@code model_install_started}. */
    public record Started(long timestamp, long id, LocalSource source) implements EventPayload {
    }

    /** {@code model_install_download_progress}: bytes copied, unpacked and hashed so far. */
    public record DownloadProgress(long timestamp, long id, LocalSource source, String localPath, long bytes, long totalBytes,
                                   List<Object> parts) implements EventPayload {
    }

    /** {@code model_install_complete}, with the installed model's record. */
    public record Complete(long timestamp, long id, LocalSource source, String key, long totalBytes, ModelConfig config)
            implements EventPayload {
    }

    /** {@code model_install_cancelled}. */
    public record Cancelled(long timestamp, long id, LocalSource source) implements EventPayload {
    }

    /** {@code model_install_error}. */
    public record Error(long timestamp, long id, LocalSource source, String errorType, String error) implements EventPayload {
    }
}
