package io.brook.broker.group;

import io.brook.log.AppendResult;
import io.brook.log.LogConfig;
import io.brook.log.LogManager;
import io.brook.log.PartitionLog;
import io.brook.log.ReadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Where the coordinator keeps committed offsets and group membership durably: a broker-private partition log,
 * {@value #TOPIC}-0 in the data directory, written like any acks=all produce (so it is as durable as acknowledged
 * data under the flush policy) and replayed at start-up.
 */
public final class GroupLog {
    public static final String TOPIC = "__consumer_offsets";
    private static final int READ_BYTES = 1 << 20;

    private final LogManager logs;
    private final PartitionLog log;

    private GroupLog(LogManager logs, PartitionLog log) {
        this.logs = logs;
        this.log = log;
    }

    public static GroupLog open(LogManager logs, LogConfig config) throws IOException {
        return new GroupLog(logs, logs.getOrCreate(TOPIC, 0, config));
    }

    /** A key and its value; a null value deletes the key. */
    record Entry(byte[] key, byte[] value) {}

    /** Appends the entries as one batch; completes once they are durable (by the flush policy). */
    CompletableFuture<Void> append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        long now = System.currentTimeMillis();
        SimpleRecord[] records = new SimpleRecord[entries.size()];
        for (int i = 0; i < records.length; i++) {
            records[i] =
                    new SimpleRecord(now, entries.get(i).key(), entries.get(i).value());
        }
        AppendResult result =
                log.append(MemoryRecords.withRecords(Compression.NONE, records).buffer());
        return logs.awaitDurable(log, result.lastOffset());
    }

    /** Visits every entry from the start of the log, in offset order. */
    void replay(java.util.function.BiConsumer<ByteBuffer, ByteBuffer> visitor) {
        long offset = log.logStartOffset();
        long end = log.logEndOffset();
        while (offset < end) {
            ByteBuffer bytes;
            try {
                ReadResult read = log.read(offset, READ_BYTES, true);
                bytes = read.records();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + log.name() + " at offset " + offset, e);
            }
            if (!bytes.hasRemaining()) {
                break;
            }
            long next = offset;
            for (RecordBatch batch : MemoryRecords.readableRecords(bytes).batches()) {
                for (Record record : batch) {
                    if (record.offset() >= offset && record.hasKey()) {
                        visitor.accept(record.key(), record.hasValue() ? record.value() : null);
                    }
                }
                next = batch.nextOffset();
            }
            if (next <= offset) {
                break;
            }
            offset = next;
        }
    }

    public long sizeInBytes() {
        return log.sizeInBytes();
    }
}
