package org.invokej.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code <root>/.invokej.lock}, held by a running server for its whole life, so that a second server on
 * the same root (which would run the same queue twice) refuses to start. The operating system releases
 * it when the process ends, however it ends. Only servers take it: the command-line tools that write
 * work beside a running server by design.
 */
final class RootLock implements AutoCloseable {

    static final String FILE_NAME = ".invokej.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RootLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static RootLock acquire(Path root) {
        Path file = root.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ConfigException("Cannot open the lock file " + file + ": " + e.getMessage());
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException inThisProcess) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ConfigException("Cannot lock " + file + ": " + e.getMessage());
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new ConfigException("Another InvokeJ server is already running on the root " + root + " (it holds " + file
                    + "). Stop it first, or give this one another root with --root.");
        }
        return new RootLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }
}
