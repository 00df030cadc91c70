package org.invokej.core.models;

/** Told how many more bytes a long file operation (hashing, copying, unpacking) has got through. */
@FunctionalInterface
public interface ByteProgress {

    /**
     * Called from the working thread(s), possibly several at once. May throw to abort the operation
     * (a cancelled install does).
     */
    void advance(long bytes);

    ByteProgress NONE = bytes -> {
    };
}
