package io.brook.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sparse map from timestamp to offset in one segment ({@code NNNNNNNNNNNNNNNNNNNN.timeindex}). Each 12-byte entry is
 * a timestamp (8 bytes) and the relative offset (4 bytes) of the batch that first reached it; timestamps only grow.
 * Used to find offsets by time (ListOffsets). Rebuilt from the log after a crash.
 */
final class TimeIndex extends MappedIndex {
    static final int ENTRY_SIZE = 12;

    TimeIndex(Storage storage, Path path, long baseOffset, int maxIndexBytes) throws IOException {
        super(storage, path, baseOffset, maxIndexBytes, ENTRY_SIZE);
    }

    /** Adds an entry if {@code timestamp} is larger than the last one. */
    void maybeAppend(long timestamp, long offset) {
        int count = entries();
        if (count > 0 && timestamp <= keyAt(count - 1)) {
            return;
        }
        int relative = Math.toIntExact(offset - baseOffset);
        appendEntry((buffer, at) -> {
            buffer.putLong(at, timestamp);
            buffer.putInt(at + 8, relative);
        });
    }

    @Override
    long keyAt(int entry) {
        return buffer().getLong(entry * ENTRY_SIZE);
    }

    long offsetAt(int entry) {
        return baseOffset + buffer().getInt(entry * ENTRY_SIZE + 8);
    }

    long lastTimestamp() {
        int count = entries();
        return count == 0 ? -1 : keyAt(count - 1);
    }

    /**
     * An offset from which a scan finds the first batch with a timestamp at or after {@code timestamp}: the offset of
     * the last entry whose timestamp is smaller, or the segment's base offset.
     */
    long lookupStartOffset(long timestamp) {
        int entry = floorEntry(timestamp - 1);
        return entry < 0 ? baseOffset : offsetAt(entry);
    }

    /** Drops entries at or after {@code offset}. */
    void truncateTo(long offset) {
        int keep = 0;
        while (keep < entries() && offsetAt(keep) < offset) {
            keep++;
        }
        truncateEntries(keep);
    }

    @Override
    void sanityCheck() {
        long previousTimestamp = Long.MIN_VALUE;
        long previousOffset = -1;
        for (int i = 0; i < entries(); i++) {
            long timestamp = keyAt(i);
            long offset = offsetAt(i);
            if (timestamp <= previousTimestamp || offset < previousOffset || offset < baseOffset) {
                throw new CorruptIndexException("Corrupt time index found, time index file (" + path() + ") has entry "
                        + i + " with timestamp " + timestamp + " and offset " + offset);
            }
            previousTimestamp = timestamp;
            previousOffset = offset;
        }
    }
}
