package io.brook.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Record batches read from a log (possibly none), with the log's bounds at the time of the read. The bytes are either
 * in memory ({@link #records()}) or a region of a segment file ({@link #fileChannel()}, {@link #filePosition()},
 * {@link #sizeInBytes()}) that a network layer can send without copying; a file region may end in a partial batch, as
 * in Kafka, which clients discard.
 */
public final class ReadResult {
    private final ByteBuffer records;
    private final FileChannel fileChannel;
    private final long filePosition;
    private final int size;
    private final long logStartOffset;
    private final long highWatermark;

    private ReadResult(
            ByteBuffer records,
            FileChannel fileChannel,
            long filePosition,
            int size,
            long logStartOffset,
            long highWatermark) {
        this.records = records;
        this.fileChannel = fileChannel;
        this.filePosition = filePosition;
        this.size = size;
        this.logStartOffset = logStartOffset;
        this.highWatermark = highWatermark;
    }

    public static ReadResult inMemory(ByteBuffer records, long logStartOffset, long highWatermark) {
        return new ReadResult(records, null, -1, records.remaining(), logStartOffset, highWatermark);
    }

    public static ReadResult fileRegion(
            FileChannel channel, long position, int size, long logStartOffset, long highWatermark) {
        return new ReadResult(null, channel, position, size, logStartOffset, highWatermark);
    }

    public static ReadResult empty(long logStartOffset, long highWatermark) {
        return inMemory(ByteBuffer.allocate(0), logStartOffset, highWatermark);
    }

    public int sizeInBytes() {
        return size;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** The channel of a file-region result, or null when the bytes are in memory. */
    public FileChannel fileChannel() {
        return fileChannel;
    }

    public long filePosition() {
        return filePosition;
    }

    /** The bytes, read into memory if this is a file region. */
    public ByteBuffer records() throws IOException {
        if (records != null) {
            return records.duplicate();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (fileChannel.read(buffer, filePosition + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        return buffer;
    }
}
