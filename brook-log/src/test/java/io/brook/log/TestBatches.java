package io.brook.log;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes valid Kafka v2 record batches for tests, without kafka-clients: the header laid out as {@link RecordBatches}
 * describes it, CRC-32C over attributes..end, and minimal v2 records (length varint, attributes, timestamp delta,
 * offset delta, key, value, no headers).
 */
final class TestBatches {
    private TestBatches() {}

    static Builder batch() {
        return new Builder();
    }

    /** A plain (non-idempotent) batch of {@code records} records with {@code valueBytes} bytes of value each. */
    static ByteBuffer plain(int records, long timestamp, int valueBytes) {
        return batch().records(records)
                .timestamp(timestamp)
                .valueBytes(valueBytes)
                .build();
    }

    /** Several buffers back to back in one buffer, as one produce request carries them. */
    static ByteBuffer concat(ByteBuffer... buffers) {
        int size = 0;
        for (ByteBuffer buffer : buffers) {
            size += buffer.remaining();
        }
        ByteBuffer result = ByteBuffer.allocate(size);
        for (ByteBuffer buffer : buffers) {
            result.put(buffer.duplicate());
        }
        return result.flip();
    }

    /** Splits a buffer of whole batches into one copy per batch; fails on a trailing partial batch. */
    static List<ByteBuffer> split(ByteBuffer buffer) {
        List<ByteBuffer> batches = new ArrayList<>();
        int at = buffer.position();
        while (at < buffer.limit()) {
            int size = RecordBatches.totalSize(buffer, at);
            if (at + size > buffer.limit()) {
                throw new IllegalStateException(
                        "partial batch at byte " + at + ": " + size + " bytes, " + (buffer.limit() - at) + " left");
            }
            batches.add(copy(buffer.duplicate().position(at).limit(at + size)));
            at += size;
        }
        return batches;
    }

    /** The whole batches at the start of a buffer, ignoring a partial batch at its end (as a file region may have). */
    static List<ByteBuffer> wholeBatches(ByteBuffer buffer) {
        int at = buffer.position();
        while (buffer.limit() - at >= RecordBatches.LOG_OVERHEAD
                && RecordBatches.totalSize(buffer, at) <= buffer.limit() - at) {
            at += RecordBatches.totalSize(buffer, at);
        }
        return split(buffer.duplicate().limit(at));
    }

    static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate());
        return copy.flip();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Fills in the CRC of the batch at {@code batchStart} after a test changed covered bytes on purpose. */
    static void fixCrc(ByteBuffer buffer, int batchStart) {
        int total = RecordBatches.totalSize(buffer, batchStart);
        buffer.putInt(batchStart + RecordBatches.CRC, (int) RecordBatches.computeCrc(buffer, batchStart, total));
    }

    static final class Builder {
        private int records = 1;
        private long timestamp = 1_000;
        private int valueBytes = 10;
        private long producerId = -1;
        private short producerEpoch = -1;
        private int baseSequence = -1;
        private byte fill = 'v';
        private byte[] value;

        Builder records(int value) {
            this.records = value;
            return this;
        }

        /** The timestamp of the first record; record i is {@code timestamp + i}. */
        Builder timestamp(long value) {
            this.timestamp = value;
            return this;
        }

        Builder valueBytes(int value) {
            this.valueBytes = value;
            return this;
        }

        Builder producer(long id, short epoch, int sequence) {
            this.producerId = id;
            this.producerEpoch = epoch;
            this.baseSequence = sequence;
            return this;
        }

        /** The byte every value is filled with, so that batches differ in content. */
        Builder fill(int value) {
            this.fill = (byte) value;
            return this;
        }

        /** The exact value of every record (instead of {@code valueBytes} fill bytes). */
        Builder value(byte[] bytes) {
            this.value = bytes.clone();
            return this;
        }

        ByteBuffer build() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] value = this.value;
            if (value == null) {
                value = new byte[valueBytes];
                Arrays.fill(value, fill);
            }
            for (int i = 0; i < records; i++) {
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                record.write(0); // attributes
                writeVarlong(record, i); // timestamp delta
                writeVarlong(record, i); // offset delta
                writeVarlong(record, -1); // null key
                writeVarlong(record, value.length);
                record.write(value, 0, value.length);
                writeVarlong(record, 0); // no headers
                writeVarlong(body, record.size());
                body.writeBytes(record.toByteArray());
            }
            byte[] recordBytes = body.toByteArray();
            ByteBuffer buffer = ByteBuffer.allocate(RecordBatches.HEADER_SIZE + recordBytes.length);
            buffer.putLong(RecordBatches.BASE_OFFSET, 0);
            buffer.putInt(RecordBatches.LENGTH, buffer.capacity() - RecordBatches.LOG_OVERHEAD);
            buffer.putInt(RecordBatches.PARTITION_LEADER_EPOCH, 0);
            buffer.put(RecordBatches.MAGIC, RecordBatches.CURRENT_MAGIC);
            buffer.putShort(RecordBatches.ATTRIBUTES, (short) 0);
            buffer.putInt(RecordBatches.LAST_OFFSET_DELTA, records - 1);
            buffer.putLong(RecordBatches.BASE_TIMESTAMP, timestamp);
            buffer.putLong(RecordBatches.MAX_TIMESTAMP, timestamp + records - 1);
            buffer.putLong(RecordBatches.PRODUCER_ID, producerId);
            buffer.putShort(RecordBatches.PRODUCER_EPOCH, producerEpoch);
            buffer.putInt(RecordBatches.BASE_SEQUENCE, baseSequence);
            buffer.putInt(RecordBatches.RECORD_COUNT, records);
            buffer.put(RecordBatches.HEADER_SIZE, recordBytes);
            CRC32C crc = new CRC32C();
            crc.update(buffer.array(), RecordBatches.ATTRIBUTES, buffer.capacity() - RecordBatches.ATTRIBUTES);
            buffer.putInt(RecordBatches.CRC, (int) crc.getValue());
            return buffer;
        }

        private static void writeVarlong(ByteArrayOutputStream out, long value) {
            long zigzag = (value << 1) ^ (value >> 63);
            while ((zigzag & ~0x7FL) != 0) {
                out.write((int) ((zigzag & 0x7F) | 0x80));
                zigzag >>>= 7;
            }
            out.write((int) zigzag);
        }
    }
}
