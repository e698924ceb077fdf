package io.brook.log;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts logs whose cleanup.policy has compact: of the records with one key only the one with the highest offset
 * stays, records without a key go, and a tombstone (null value) goes once it has been through an earlier pass and its
 * batch is older than delete.retention.ms. Offsets never change.
 *
 * <p>A pass over a log: the closed segments before the first dirty offset (where the previous pass ended; the caller
 * checkpoints it) are clean, the ones after it dirty. The dirty segments before the first one with a timestamp newer
 * than min.compaction.lag.ms ago are cleanable, and the pass runs when they make up at least min.cleanable.dirty.ratio
 * of the clean and cleanable bytes. It maps each key in the cleanable segments to its last offset (at most {@code
 * maxKeys} keys: with more, it takes a prefix of the segments), then copies every closed segment up to the end of the
 * mapped ones without the records the map or the tombstone rule removes, merging neighbours while their sizes add up
 * to at most segment.bytes, and swaps each copy in with {@link PartitionLog#replaceSegments} (crash-safe; see there).
 * A segment that loses nothing and merges with nothing is left alone. The active segment is never touched.
 *
 * <p>In a copy every batch keeps its base and last offset, producer id, epoch, base sequence, leader epoch,
 * timestamp type and codec: one that keeps all its records is copied byte for byte, one that keeps some is re-encoded
 * with them. The offsets of batches that lose every record are covered by one empty batch (no records, no producer)
 * per run, so that offsets stay contiguous from batch to batch as recovery checks; the last batch of an idempotent
 * producer stays as an empty batch with its producer fields, so a replay of the log still knows its sequence. Control
 * and transactional batches are copied as they are.
 *
 * <p>Threading: the caller runs one pass at a time. A pass reads segments without locks, so appends, reads and
 * flushes go on; {@link #stop} makes a pass under way give up at its next batch, leaving the log as it was.
 */
final class LogCleaner {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogCleaner.class);
    static final int DEFAULT_MAX_KEYS = 250_000;
    private static final int READ_CHUNK_BYTES = 1024 * 1024;

    private final Time time;
    private final int maxKeys;
    private final BufferSupplier bufferSupplier = BufferSupplier.create();
    private volatile boolean stopped;

    /** @param maxKeys how many distinct keys one pass maps at most (memory: roughly 100 bytes plus the key each) */
    LogCleaner(Time time, int maxKeys) {
        this.time = requireNonNull(time, "time is null");
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /** Makes passes under way and to come give up; the logs stay as they were. */
    void stop() {
        stopped = true;
    }

    /**
     * Runs one pass over {@code log} if its dirty ratio calls for one.
     *
     * @param firstDirtyOffset the checkpointed first dirty offset; one outside the log's offsets means the whole log
     *     is dirty
     * @throws CancellationException if {@link #stop} was called or the log was closed during the pass
     */
    CleanResult clean(PartitionLog log, long firstDirtyOffset) throws IOException {
        if (stopped || log.isClosed()) {
            throw new CancellationException("log " + log.name() + " is closed or the cleaner stopped");
        }
        try {
            return cleanOpenLog(log, firstDirtyOffset);
        } catch (ClosedChannelException e) {
            // A segment the pass was reading was deleted (its files closed) by retention meanwhile.
            throw (CancellationException) new CancellationException(
                            "a segment of log " + log.name() + " was deleted while it was being cleaned")
                    .initCause(e);
        }
    }

    private CleanResult cleanOpenLog(PartitionLog log, long firstDirtyOffset) throws IOException {
        LogConfig config = log.config();
        long now = time.milliseconds();
        long start = log.logStartOffset();
        long firstDirty = firstDirtyOffset < start || firstDirtyOffset > log.logEndOffset() ? start : firstDirtyOffset;
        if (!config.cleanupPolicyCompact()) {
            return CleanResult.skipped(firstDirty, 0);
        }
        List<Segment> clean = new ArrayList<>();
        List<Segment> dirty = new ArrayList<>();
        for (Segment segment : log.closedSegments()) {
            if (segment.nextOffset() <= start) {
                continue; // wholly before the log start: retention deletes it
            }
            if (segment.nextOffset() <= firstDirty) {
                clean.add(segment);
            } else if (config.minCompactionLagMs() > 0 && segment.maxTimestamp() > now - config.minCompactionLagMs()) {
                break; // too young: neither it nor anything after it may be cleaned yet
            } else {
                dirty.add(segment);
            }
        }
        long cleanBytes = totalSize(clean);
        long dirtyBytes = totalSize(dirty);
        double ratio = dirtyBytes == 0 ? 0 : (double) dirtyBytes / (cleanBytes + dirtyBytes);
        if (dirty.isEmpty() || ratio < config.minCleanableDirtyRatio()) {
            return CleanResult.skipped(firstDirty, ratio);
        }
        Map<ByteBuffer, Long> latestOffsets = new HashMap<>();
        int mapped = 0;
        for (Segment segment : dirty) {
            // The first segment is mapped whatever its key count, so that every pass makes progress.
            if (!mapKeys(log, segment, latestOffsets, mapped == 0)) {
                break;
            }
            mapped++;
        }
        long cleanEnd = dirty.get(mapped - 1).nextOffset();
        if (mapped < dirty.size()) {
            LOGGER.info(
                    "[log {}] {} keys fill the cleaner's map; cleaning up to offset {} of {} this pass",
                    log.name(),
                    latestOffsets.size(),
                    cleanEnd,
                    dirty.get(dirty.size() - 1).nextOffset());
        }
        List<Segment> toClean = new ArrayList<>(clean);
        toClean.addAll(dirty.subList(0, mapped));
        RecordFilter filter = new RecordFilter(
                latestOffsets, firstDirty, now - config.deleteRetentionMs(), log.lastOffsetsOfProducers());
        int segmentsRewritten = 0;
        long bytesBefore = 0;
        long bytesAfter = 0;
        long recordsRemoved = 0;
        long firstRewritten = -1;
        long lastRewritten = -1;
        for (List<Segment> group : groups(toClean, config.segmentBytes())) {
            CleanedCopy copy = writeCleanedCopy(log, group, filter);
            if (group.size() == 1
                    && copy.recordsRemoved() == 0
                    && copy.bytes() == group.get(0).size()) {
                log.storage().deleteIfExists(log.cleanedPath(group.get(0).baseOffset()));
                continue;
            }
            if (log.replaceSegments(group) == null) {
                if (log.isClosed()) {
                    throw new CancellationException("log " + log.name() + " was closed during cleaning");
                }
                continue; // retention or DeleteRecords removed a segment of the group meanwhile
            }
            segmentsRewritten += group.size();
            bytesBefore += totalSize(group);
            bytesAfter += copy.bytes();
            recordsRemoved += copy.recordsRemoved();
            if (firstRewritten < 0) {
                firstRewritten = group.get(0).baseOffset();
            }
            lastRewritten = group.get(group.size() - 1).baseOffset();
        }
        if (segmentsRewritten > 0) {
            LOGGER.info(
                    "[log {}] cleaned segments {}-{}: {} -> {} bytes, {} records removed",
                    log.name(),
                    firstRewritten,
                    lastRewritten,
                    bytesBefore,
                    bytesAfter,
                    recordsRemoved);
        } else {
            LOGGER.debug("[log {}] cleaned up to offset {}: nothing to remove", log.name(), cleanEnd);
        }
        return new CleanResult(true, cleanEnd, ratio, segmentsRewritten, bytesBefore, bytesAfter, recordsRemoved);
    }

    private static long totalSize(List<Segment> segments) {
        long total = 0;
        for (Segment segment : segments) {
            total += segment.size();
        }
        return total;
    }

    /**
     * Consecutive segments whose sizes add up to at most {@code segmentBytes} (a larger segment alone) and whose
     * offsets fit one segment's relative offsets.
     */
    private static List<List<Segment>> groups(List<Segment> segments, long segmentBytes) {
        List<List<Segment>> groups = new ArrayList<>();
        List<Segment> group = new ArrayList<>();
        long groupBytes = 0;
        long limit = Math.min(segmentBytes, Integer.MAX_VALUE);
        for (Segment segment : segments) {
            boolean fits = !group.isEmpty()
                    && groupBytes + segment.size() <= limit
                    && segment.lastOffset() - group.get(0).baseOffset() <= Integer.MAX_VALUE;
            if (!group.isEmpty() && !fits) {
                groups.add(group);
                group = new ArrayList<>();
                groupBytes = 0;
            }
            group.add(segment);
            groupBytes += segment.size();
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /**
     * Adds each keyed record of {@code segment} to the map of last offsets.
     *
     * @return false if the map filled up before the segment's end (unless {@code mayExceed})
     */
    private boolean mapKeys(PartitionLog log, Segment segment, Map<ByteBuffer, Long> latestOffsets, boolean mayExceed)
            throws IOException {
        return forEachBatch(log, segment, batch -> {
            if (RecordBatches.isControl(batch, 0) || RecordBatches.recordCount(batch, 0) == 0) {
                return true;
            }
            try (CloseableIterator<Record> records = decode(batch).streamingIterator(bufferSupplier)) {
                while (records.hasNext()) {
                    Record record = records.next();
                    if (!record.hasKey()) {
                        continue;
                    }
                    ByteBuffer key = record.key();
                    Long previous = latestOffsets.get(key);
                    if (previous == null && latestOffsets.size() >= maxKeys && !mayExceed) {
                        // Entries already added for this segment only point at newer records: harmless.
                        return false;
                    }
                    // An existing entry keeps its key object: only a new key is copied out of the batch.
                    latestOffsets.put(previous == null ? copy(key) : key, record.offset());
                }
            }
            return true;
        });
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate());
        return copy.flip();
    }

    private static MutableRecordBatch decode(ByteBuffer batch) {
        return MemoryRecords.readableRecords(batch).batches().iterator().next();
    }

    /** Writes the cleaned copy of {@code group} to the log's {@code .cleaned} file and fsyncs it. */
    private CleanedCopy writeCleanedCopy(PartitionLog log, List<Segment> group, RecordFilter filter)
            throws IOException {
        Storage storage = log.storage();
        Path path = log.cleanedPath(group.get(0).baseOffset());
        storage.deleteIfExists(path);
        boolean done = false;
        try (LogFile file = storage.open(path)) {
            CopyWriter writer = new CopyWriter(file, group.get(0).baseOffset());
            for (Segment segment : group) {
                forEachBatch(log, segment, batch -> {
                    copyBatch(batch, filter, writer);
                    return true;
                });
            }
            writer.finish();
            long expectedNext = group.get(group.size() - 1).nextOffset();
            if (writer.nextOffset != expectedNext) {
                throw new IllegalStateException("[log " + log.name() + "] the cleaned copy of segments "
                        + group.get(0).baseOffset() + "-"
                        + group.get(group.size() - 1).baseOffset() + " ends before "
                        + writer.nextOffset + " instead of " + expectedNext);
            }
            file.force();
            done = true;
            return new CleanedCopy(writer.position, writer.recordsRemoved);
        } finally {
            if (!done) {
                storage.deleteIfExists(path);
            }
        }
    }

    private record CleanedCopy(long bytes, long recordsRemoved) {}

    private void copyBatch(ByteBuffer batch, RecordFilter filter, CopyWriter writer) throws IOException {
        long producerId = RecordBatches.producerId(batch, 0);
        boolean lastOfProducer = producerId >= 0
                && Long.valueOf(RecordBatches.lastOffset(batch, 0))
                        .equals(filter.lastOffsetsOfProducers.get(producerId));
        if (RecordBatches.isControl(batch, 0) || RecordBatches.isTransactional(batch, 0)) {
            writer.keep(batch);
            return;
        }
        if (RecordBatches.recordCount(batch, 0) == 0) {
            // An empty batch from an earlier pass: kept for its producer, or merged into the run around it.
            if (lastOfProducer) {
                writer.keep(batch);
            } else {
                writer.drop(batch);
            }
            return;
        }
        MutableRecordBatch decoded = decode(batch);
        List<Record> retained = new ArrayList<>();
        int removed = 0;
        try (CloseableIterator<Record> records = decoded.streamingIterator(bufferSupplier)) {
            while (records.hasNext()) {
                Record record = records.next();
                if (filter.retains(record, decoded)) {
                    retained.add(record);
                } else {
                    removed++;
                }
            }
        }
        writer.recordsRemoved += removed;
        if (removed == 0) {
            writer.keep(batch);
        } else if (!retained.isEmpty()) {
            writer.keep(reencode(decoded, retained));
        } else if (lastOfProducer) {
            writer.keep(RecordBatches.emptyBatch(
                    decoded.baseOffset(),
                    decoded.lastOffset(),
                    decoded.maxTimestamp(),
                    RecordBatches.attributes(batch, 0),
                    decoded.partitionLeaderEpoch(),
                    decoded.producerId(),
                    decoded.producerEpoch(),
                    decoded.baseSequence()));
        } else {
            writer.drop(batch);
        }
    }

    /** The batch again with only {@code retained}, in its codec, with its offsets and producer fields. */
    private static ByteBuffer reencode(MutableRecordBatch batch, List<Record> retained) {
        TimestampType timestampType = batch.timestampType();
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(Math.max(256, batch.sizeInBytes())),
                RecordBatch.CURRENT_MAGIC_VALUE,
                Compression.of(batch.compressionType()).build(),
                timestampType,
                batch.baseOffset(),
                timestampType == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : RecordBatch.NO_TIMESTAMP,
                batch.producerId(),
                batch.producerEpoch(),
                batch.baseSequence(),
                batch.isTransactional(),
                batch.partitionLeaderEpoch());
        for (Record record : retained) {
            builder.appendWithOffset(record.offset(), record);
        }
        // The last offset stays, so consumers move past the batch and the producer's sequence range is unchanged.
        builder.overrideLastOffset(batch.lastOffset());
        return builder.build().buffer();
    }

    /** Decides which records a pass keeps. */
    private static final class RecordFilter {
        private final Map<ByteBuffer, Long> latestOffsets;
        private final long firstDirtyOffset;
        private final long deleteHorizonMs;
        final Map<Long, Long> lastOffsetsOfProducers;

        RecordFilter(
                Map<ByteBuffer, Long> latestOffsets,
                long firstDirtyOffset,
                long deleteHorizonMs,
                Map<Long, Long> lastOffsetsOfProducers) {
            this.latestOffsets = latestOffsets;
            this.firstDirtyOffset = firstDirtyOffset;
            this.deleteHorizonMs = deleteHorizonMs;
            this.lastOffsetsOfProducers = lastOffsetsOfProducers;
        }

        boolean retains(Record record, RecordBatch batch) {
            if (!record.hasKey()) {
                return false;
            }
            Long latest = latestOffsets.get(record.key());
            if (latest != null && latest > record.offset()) {
                return false;
            }
            // A tombstone stays until it was clean before this pass (so the records it deletes are gone) and its
            // batch is older than delete.retention.ms (so consumers had time to see it).
            boolean expiredTombstone =
                    !record.hasValue() && record.offset() < firstDirtyOffset && batch.maxTimestamp() < deleteHorizonMs;
            return !expiredTombstone;
        }
    }

    /** Appends batches to the copy, turning each run of dropped batches into one empty batch. */
    private static final class CopyWriter {
        private final LogFile file;
        long position;
        long nextOffset;
        long recordsRemoved;
        private long dropStart = -1;
        private long dropTimestamp = RecordBatch.NO_TIMESTAMP;
        private short dropAttributes;
        private int dropLeaderEpoch;

        CopyWriter(LogFile file, long baseOffset) {
            this.file = file;
            this.nextOffset = baseOffset;
        }

        void keep(ByteBuffer batch) throws IOException {
            endDroppedRun();
            write(batch);
        }

        void drop(ByteBuffer batch) {
            throwIfNotNext(batch);
            if (dropStart < 0) {
                dropStart = nextOffset;
                dropTimestamp = RecordBatch.NO_TIMESTAMP;
            }
            // The run keeps the newest timestamp it covers, so the segment's age (retention, min lag) stays the same.
            dropTimestamp = Math.max(dropTimestamp, RecordBatches.maxTimestamp(batch, 0));
            dropAttributes = RecordBatches.attributes(batch, 0);
            dropLeaderEpoch = batch.getInt(RecordBatches.PARTITION_LEADER_EPOCH);
            nextOffset = RecordBatches.lastOffset(batch, 0) + 1;
        }

        void finish() throws IOException {
            endDroppedRun();
        }

        private void endDroppedRun() throws IOException {
            if (dropStart < 0) {
                return;
            }
            long last = nextOffset - 1;
            nextOffset = dropStart;
            dropStart = -1;
            write(RecordBatches.emptyBatch(
                    nextOffset,
                    last,
                    dropTimestamp,
                    dropAttributes,
                    dropLeaderEpoch,
                    RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH,
                    RecordBatch.NO_SEQUENCE));
        }

        private void write(ByteBuffer batch) throws IOException {
            throwIfNotNext(batch);
            int size = batch.remaining();
            file.write(batch.duplicate(), position);
            position += size;
            nextOffset = RecordBatches.lastOffset(batch, batch.position()) + 1;
        }

        private void throwIfNotNext(ByteBuffer batch) {
            long base = RecordBatches.baseOffset(batch, batch.position());
            if (base != nextOffset) {
                throw new IllegalStateException(
                        "cleaned copy: batch with base offset " + base + " where offset " + nextOffset + " comes next");
            }
        }
    }

    @FunctionalInterface
    private interface BatchVisitor {
        /** Visits one whole batch (the buffer holds exactly it, from position 0); false stops the walk. */
        boolean visit(ByteBuffer batch) throws IOException;
    }

    /** Walks the batches of a closed segment; false if the visitor stopped the walk. */
    private boolean forEachBatch(PartitionLog log, Segment segment, BatchVisitor visitor) throws IOException {
        int position = 0;
        int end = segment.size();
        while (position < end) {
            ByteBuffer chunk = segment.read(position, Math.max(READ_CHUNK_BYTES, segment.batchSizeAt(position)), end);
            int at = 0;
            while (chunk.limit() - at >= RecordBatches.LOG_OVERHEAD) {
                int size = RecordBatches.totalSize(chunk, at);
                if (size > chunk.limit() - at) {
                    break;
                }
                if (stopped || log.isClosed()) {
                    throw new CancellationException("cleaning of log " + log.name() + " was stopped");
                }
                ByteBuffer batch =
                        chunk.duplicate().position(at).limit(at + size).slice();
                if (!visitor.visit(batch)) {
                    return false;
                }
                at += size;
            }
            if (at == 0) {
                throw new IllegalStateException("segment " + segment.logPath() + " has a batch at position " + position
                        + " that does not fit in " + chunk.limit() + " bytes");
            }
            position += at;
        }
        return true;
    }
}
