package io.brook.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Sparse map from offset to file position in one segment ({@code NNNNNNNNNNNNNNNNNNNN.index}). Each 8-byte entry is
 * the offset relative to the segment's base offset (4 bytes) and the byte position of the batch that starts there
 * (4 bytes). An entry is added every {@code index.interval.bytes} of log. Rebuilt from the log after a crash.
 */
final class OffsetIndex extends MappedIndex {
    static final int ENTRY_SIZE = 8;

    OffsetIndex(Storage storage, Path path, long baseOffset, int maxIndexBytes) throws IOException {
        super(storage, path, baseOffset, maxIndexBytes, ENTRY_SIZE);
    }

    void append(long offset, int position) {
        int count = entries();
        if (count > 0 && offset <= keyAt(count - 1)) {
            throw new IllegalArgumentException("Attempt to append an offset " + offset + " to position " + count
                    + " no larger than the last offset appended (" + keyAt(count - 1) + ") to " + path());
        }
        int relative = Math.toIntExact(offset - baseOffset);
        appendEntry((buffer, at) -> {
            buffer.putInt(at, relative);
            buffer.putInt(at + 4, position);
        });
    }

    @Override
    long keyAt(int entry) {
        return baseOffset + buffer().getInt(entry * ENTRY_SIZE);
    }

    int positionAt(int entry) {
        return buffer().getInt(entry * ENTRY_SIZE + 4);
    }

    /** The position of the last indexed batch starting at or before {@code offset}; 0 when none is. */
    int lookupPosition(long offset) {
        int entry = floorEntry(offset);
        return entry < 0 ? 0 : positionAt(entry);
    }

    /** Drops entries at or after {@code offset}. */
    void truncateTo(long offset) {
        int entry = floorEntry(offset - 1);
        truncateEntries(entry + 1);
    }

    @Override
    void sanityCheck() {
        long previousOffset = -1;
        int previousPosition = -1;
        for (int i = 0; i < entries(); i++) {
            long offset = keyAt(i);
            int position = positionAt(i);
            if (offset <= previousOffset || position <= previousPosition || offset < baseOffset) {
                throw new CorruptIndexException("Corrupt index found, index file (" + path() + ") has entry " + i
                        + " with offset " + offset + " and position " + position + " after offset " + previousOffset
                        + " and position " + previousPosition);
            }
            previousOffset = offset;
            previousPosition = position;
        }
    }
}
