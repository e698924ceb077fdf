package io.brook.log;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads and checks the header of Kafka's v2 record batch (magic 2), the format the log stores as received. The
 * layout, in bytes: base offset 8, batch length 4 (bytes after this field), partition leader epoch 4, magic 1, CRC-32C
 * 4 (over everything from the attributes to the end), attributes 2, last offset delta 4, base timestamp 8, max
 * timestamp 8, producer id 8, producer epoch 2, base sequence 4, record count 4, then the records.
 */
public final class RecordBatches {
    public static final int BASE_OFFSET = 0;
    public static final int LENGTH = 8;
    public static final int PARTITION_LEADER_EPOCH = 12;
    public static final int MAGIC = 16;
    public static final int CRC = 17;
    public static final int ATTRIBUTES = 21;
    public static final int LAST_OFFSET_DELTA = 23;
    public static final int BASE_TIMESTAMP = 27;
    public static final int MAX_TIMESTAMP = 35;
    public static final int PRODUCER_ID = 43;
    public static final int PRODUCER_EPOCH = 51;
    public static final int BASE_SEQUENCE = 53;
    public static final int RECORD_COUNT = 57;
    /** Bytes before the records. */
    public static final int HEADER_SIZE = 61;
    /** Bytes that precede and are not counted in the batch length field. */
    public static final int LOG_OVERHEAD = 12;

    public static final byte CURRENT_MAGIC = 2;
    private static final short TIMESTAMP_TYPE_MASK = 0x08;
    private static final short TRANSACTIONAL_MASK = 0x10;
    private static final short CONTROL_MASK = 0x20;

    private RecordBatches() {}

    public static long baseOffset(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + BASE_OFFSET);
    }

    /** Bytes of the whole batch, header included. */
    public static int totalSize(ByteBuffer buffer, int batchStart) {
        return LOG_OVERHEAD + buffer.getInt(batchStart + LENGTH);
    }

    public static int lastOffsetDelta(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + LAST_OFFSET_DELTA);
    }

    public static long lastOffset(ByteBuffer buffer, int batchStart) {
        return baseOffset(buffer, batchStart) + lastOffsetDelta(buffer, batchStart);
    }

    public static long maxTimestamp(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + MAX_TIMESTAMP);
    }

    public static long producerId(ByteBuffer buffer, int batchStart) {
        return buffer.getLong(batchStart + PRODUCER_ID);
    }

    public static short producerEpoch(ByteBuffer buffer, int batchStart) {
        return buffer.getShort(batchStart + PRODUCER_EPOCH);
    }

    public static int baseSequence(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + BASE_SEQUENCE);
    }

    public static int recordCount(ByteBuffer buffer, int batchStart) {
        return buffer.getInt(batchStart + RECORD_COUNT);
    }

    public static short attributes(ByteBuffer buffer, int batchStart) {
        return buffer.getShort(batchStart + ATTRIBUTES);
    }

    public static boolean isTransactional(ByteBuffer buffer, int batchStart) {
        return (attributes(buffer, batchStart) & TRANSACTIONAL_MASK) != 0;
    }

    public static boolean isControl(ByteBuffer buffer, int batchStart) {
        return (attributes(buffer, batchStart) & CONTROL_MASK) != 0;
    }

    public static long storedCrc(ByteBuffer buffer, int batchStart) {
        return Integer.toUnsignedLong(buffer.getInt(batchStart + CRC));
    }

    public static long computeCrc(ByteBuffer buffer, int batchStart, int totalSize) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = buffer.duplicate();
        covered.limit(batchStart + totalSize).position(batchStart + ATTRIBUTES);
        crc.update(covered);
        return crc.getValue();
    }

    /**
     * Checks the batch that starts at {@code batchStart} and whose bytes end at {@code limit}: complete, magic 2,
     * consistent sizes and counts, and a matching CRC.
     *
     * @return the batch's total size
     * @throws CorruptRecordException saying what is wrong
     */
    public static int validate(ByteBuffer buffer, int batchStart, int limit) {
        int available = limit - batchStart;
        if (available < LOG_OVERHEAD) {
            throw new CorruptRecordException("record batch at byte " + batchStart + " is truncated: " + available
                    + " bytes left, its header needs " + HEADER_SIZE);
        }
        int length = buffer.getInt(batchStart + LENGTH);
        if (length < HEADER_SIZE - LOG_OVERHEAD) {
            throw new CorruptRecordException("record batch at byte " + batchStart + " has length " + length
                    + ", smaller than the v2 header (" + (HEADER_SIZE - LOG_OVERHEAD) + ")");
        }
        // Compared without adding, since a garbled length near Integer.MAX_VALUE would overflow the total size.
        if (length > available - LOG_OVERHEAD) {
            throw new CorruptRecordException("record batch at byte " + batchStart + " is truncated: length says "
                    + (LOG_OVERHEAD + (long) length) + " bytes, " + available + " are there");
        }
        int totalSize = LOG_OVERHEAD + length;
        byte magic = buffer.get(batchStart + MAGIC);
        if (magic != CURRENT_MAGIC) {
            throw new CorruptRecordException("record batch at byte " + batchStart + " has magic " + magic
                    + "; only v2 batches (magic 2) are accepted");
        }
        int lastOffsetDelta = lastOffsetDelta(buffer, batchStart);
        int count = recordCount(buffer, batchStart);
        if (lastOffsetDelta < 0 || count < 0 || (count > 0 && lastOffsetDelta < count - 1)) {
            throw new CorruptRecordException("record batch at byte " + batchStart + " has " + count
                    + " records but last offset delta " + lastOffsetDelta);
        }
        long stored = storedCrc(buffer, batchStart);
        long computed = computeCrc(buffer, batchStart, totalSize);
        if (stored != computed) {
            throw new CorruptRecordException("record batch at byte " + batchStart + " fails its CRC: stored " + stored
                    + ", computed " + computed);
        }
        return totalSize;
    }

    /**
     * A batch with no records that covers offsets {@code baseOffset..lastOffset}: what the cleaner leaves where every
     * record of a range was removed, so that offsets stay contiguous from batch to batch (and, with a producer id, so
     * that the producer's sequence state survives a replay). Uncompressed, not transactional; the timestamp type comes
     * from {@code timestampTypeAttributes}.
     */
    static ByteBuffer emptyBatch(
            long baseOffset,
            long lastOffset,
            long timestamp,
            short timestampTypeAttributes,
            int partitionLeaderEpoch,
            long producerId,
            short producerEpoch,
            int baseSequence) {
        long delta = lastOffset - baseOffset;
        if (delta < 0 || delta > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "an empty batch cannot cover offsets " + baseOffset + "-" + lastOffset + ": " + (delta + 1));
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE);
        buffer.putLong(BASE_OFFSET, baseOffset);
        buffer.putInt(LENGTH, HEADER_SIZE - LOG_OVERHEAD);
        buffer.putInt(PARTITION_LEADER_EPOCH, partitionLeaderEpoch);
        buffer.put(MAGIC, CURRENT_MAGIC);
        buffer.putShort(ATTRIBUTES, (short) (timestampTypeAttributes & TIMESTAMP_TYPE_MASK));
        buffer.putInt(LAST_OFFSET_DELTA, (int) delta);
        buffer.putLong(BASE_TIMESTAMP, timestamp);
        buffer.putLong(MAX_TIMESTAMP, timestamp);
        buffer.putLong(PRODUCER_ID, producerId);
        buffer.putShort(PRODUCER_EPOCH, producerEpoch);
        buffer.putInt(BASE_SEQUENCE, baseSequence);
        buffer.putInt(RECORD_COUNT, 0);
        buffer.putInt(CRC, (int) computeCrc(buffer, 0, HEADER_SIZE));
        return buffer;
    }

    /** Sets the base offset: outside the CRC, so no checksum changes. */
    public static void setBaseOffset(ByteBuffer buffer, int batchStart, long baseOffset) {
        buffer.putLong(batchStart + BASE_OFFSET, baseOffset);
    }

    /** Marks the batch as LogAppendTime with {@code timestamp} as its max timestamp and recomputes the CRC. */
    public static void setLogAppendTime(ByteBuffer buffer, int batchStart, long timestamp) {
        short attributes = attributes(buffer, batchStart);
        buffer.putShort(batchStart + ATTRIBUTES, (short) (attributes | TIMESTAMP_TYPE_MASK));
        buffer.putLong(batchStart + MAX_TIMESTAMP, timestamp);
        int totalSize = totalSize(buffer, batchStart);
        buffer.putInt(batchStart + CRC, (int) computeCrc(buffer, batchStart, totalSize));
    }
}
