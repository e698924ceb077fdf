package io.brook.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A fixed-width, memory-mapped, append-only index file of one segment. The file is preallocated to its maximum size
 * while the segment is active and trimmed to its entries when the segment closes or rolls, so the entry count of a
 * trimmed file is its size divided by the entry width. One writer; readers see entries up to the volatile count.
 */
abstract class MappedIndex implements AutoCloseable {
    private final Path path;
    private final LogFile file;
    private volatile ByteBuffer buffer;
    private final int entrySize;
    private volatile int maxEntries;
    protected final long baseOffset;
    private volatile int entries;

    /**
     * Opens the index; {@code maxIndexBytes} is the size to preallocate for appends (0 for a read-only index of an
     * older segment, which is mapped at its present size).
     */
    MappedIndex(Storage storage, Path path, long baseOffset, int maxIndexBytes, int entrySize) throws IOException {
        this.path = path;
        this.entrySize = entrySize;
        this.baseOffset = baseOffset;
        this.file = storage.open(path);
        long existing = file.size();
        int existingEntries = (int) Math.min(existing / entrySize, Integer.MAX_VALUE / entrySize);
        this.maxEntries = Math.max(existingEntries, maxIndexBytes / entrySize);
        this.buffer = file.map(maxEntries * entrySize);
        this.entries = existingEntries;
    }

    final Path path() {
        return path;
    }

    final int entries() {
        return entries;
    }

    final boolean isFull() {
        return entries >= maxEntries;
    }

    final boolean hasRoomFor(int count) {
        return entries + count <= maxEntries;
    }

    final ByteBuffer buffer() {
        return buffer;
    }

    final int entrySize() {
        return entrySize;
    }

    /** Writes entry bytes with {@code writer} at the next slot, then publishes it. */
    final void appendEntry(EntryWriter writer) {
        int index = entries;
        if (index >= maxEntries) {
            throw new IllegalStateException("index " + path + " is full with " + index + " entries");
        }
        writer.write(buffer, index * entrySize);
        entries = index + 1;
    }

    /** Forgets every entry (before a rebuild). */
    final void reset() throws IOException {
        entries = 0;
    }

    /** Drops entries from {@code count} on. */
    final void truncateEntries(int count) {
        if (count < entries) {
            entries = count;
        }
    }

    /** Index of the last entry whose key is at most {@code target}, or -1 if none. */
    final int floorEntry(long target) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (keyAt(middle) <= target) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    abstract long keyAt(int entry);

    /** Checks that keys never decrease and entries fit the segment. */
    abstract void sanityCheck();

    final void flush() throws IOException {
        file.force();
    }

    /**
     * Shrinks the file to its entries and maps just those, so no mapping reaches past the end of the file; readers
     * still holding the old mapping read only entries that remain in the file.
     */
    final void trimToEntries() throws IOException {
        int size = entries * entrySize;
        file.truncate(size);
        buffer = file.map(size);
        maxEntries = entries;
    }

    /** Trims the file to its entries, then closes it. */
    @Override
    public void close() throws IOException {
        try {
            file.truncate((long) entries * entrySize);
        } finally {
            file.close();
        }
    }

    @FunctionalInterface
    interface EntryWriter {
        void write(ByteBuffer buffer, int position);
    }
}
