package io.brook.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Keyed record batches for compaction tests, built with kafka-clients in any codec, and the records of a log read
 * back through {@link PartitionLog#read} with every batch checked (valid, and offsets contiguous from batch to batch).
 */
final class KeyedRecords {
    private KeyedRecords() {}

    /** One record to write: a null key or value is written as null (a null value is a tombstone). */
    record KeyValue(String key, String value) {}

    /** One record read back. */
    record Entry(long offset, String key, String value) {}

    /** A batch summary read back. */
    record BatchInfo(
            long baseOffset,
            long lastOffset,
            int recordCount,
            String codec,
            long producerId,
            short producerEpoch,
            int baseSequence) {}

    static KeyValue put(String key, String value) {
        return new KeyValue(key, value);
    }

    static KeyValue delete(String key) {
        return new KeyValue(key, null);
    }

    static ByteBuffer batch(Compression compression, long timestamp, List<KeyValue> records) {
        return batch(compression, timestamp, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, -1, records);
    }

    /** A producer's batch; record i is stamped {@code timestamp + i}. */
    static ByteBuffer batch(
            Compression compression,
            long timestamp,
            long producerId,
            short producerEpoch,
            int baseSequence,
            List<KeyValue> records) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(1024),
                RecordBatch.CURRENT_MAGIC_VALUE,
                compression,
                TimestampType.CREATE_TIME,
                0,
                RecordBatch.NO_TIMESTAMP,
                producerId,
                producerEpoch,
                baseSequence,
                false,
                0);
        for (int i = 0; i < records.size(); i++) {
            KeyValue record = records.get(i);
            builder.appendWithOffset(
                    i,
                    timestamp + i,
                    record.key() == null ? null : record.key().getBytes(UTF_8),
                    record.value() == null ? null : record.value().getBytes(UTF_8));
        }
        return builder.build().buffer();
    }

    /** Every record from the log start to the log end, in offset order. */
    static List<Entry> readAll(PartitionLog log) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (MutableRecordBatch batch : readBatches(log)) {
            for (Record record : batch) {
                entries.add(new Entry(
                        record.offset(),
                        record.hasKey() ? UTF_8.decode(record.key()).toString() : null,
                        record.hasValue() ? UTF_8.decode(record.value()).toString() : null));
            }
        }
        return entries;
    }

    /**
     * The records from the log start to the log end as a consumer sees them while the log may change under it (a
     * cleaner swapping segments): a fetch may start with a batch that begins before the fetch offset, whose records
     * before it are skipped; offsets must rise.
     */
    static List<Entry> consume(PartitionLog log) throws IOException {
        List<Entry> entries = new ArrayList<>();
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            ByteBuffer bytes = log.read(offset, 64 * 1024, true).records();
            long before = offset;
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
                batch.ensureValid();
                assertThat(batch.lastOffset())
                        .as("last offset of a batch read at %d", before)
                        .isGreaterThanOrEqualTo(offset);
                for (Record record : batch) {
                    if (record.offset() >= offset) {
                        entries.add(new Entry(
                                record.offset(),
                                UTF_8.decode(record.key()).toString(),
                                UTF_8.decode(record.value()).toString()));
                    }
                }
                offset = batch.nextOffset();
            }
            assertThat(offset).as("offset after a read at %d", before).isGreaterThan(before);
        }
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).offset()).isGreaterThan(entries.get(i - 1).offset());
        }
        return entries;
    }

    static List<BatchInfo> readBatchInfos(PartitionLog log) throws IOException {
        List<BatchInfo> infos = new ArrayList<>();
        for (MutableRecordBatch batch : readBatches(log)) {
            int count = 0;
            for (Record ignored : batch) {
                count++;
            }
            infos.add(new BatchInfo(
                    batch.baseOffset(),
                    batch.lastOffset(),
                    count,
                    batch.compressionType().name,
                    batch.producerId(),
                    batch.producerEpoch(),
                    batch.baseSequence()));
        }
        return infos;
    }

    /** The batches of the log, each checked; their offsets must run on without a gap from the log start. */
    static List<MutableRecordBatch> readBatches(PartitionLog log) throws IOException {
        List<MutableRecordBatch> batches = new ArrayList<>();
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            ByteBuffer bytes = log.read(offset, 64 * 1024, true).records();
            int before = batches.size();
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
                batch.ensureValid();
                assertThat(batch.baseOffset())
                        .as("base offset of the batch after offset %d", offset - 1)
                        .isEqualTo(offset);
                batches.add(batch);
                offset = batch.nextOffset();
            }
            assertThat(batches.size()).as("batches read at offset %d", offset).isGreaterThan(before);
        }
        return batches;
    }
}
