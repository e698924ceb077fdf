package io.brook.log;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: a directory of {@link Segment}s, the last of which takes appends. Offsets are assigned
 * here by rewriting each batch's base offset; batches are otherwise stored as received.
 *
 * <p>Threading: appends, truncation and retention are serialised by one lock (one writer at a time); reads take no
 * lock and see the segments through a concurrent map and volatile fields; {@link #flush} fsyncs outside the append
 * lock so writers are never blocked behind a disk flush. Whatever removes or replaces closed segments (retention,
 * DeleteRecords, the {@link LogCleaner}'s swap, close) also holds a maintenance lock, which appends, reads and flushes
 * never take. {@link #close} is idempotent.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PartitionLog.class);
    private static final String SNAPSHOT_SUFFIX = ".snapshot";

    private final Storage storage;
    private final Path directory;
    private final String name;
    private final Time time;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ProducerStateManager producers = new ProducerStateManager();
    private final Object appendLock = new Object();
    private final Object flushLock = new Object();
    /** Taken before the flush and append locks by everything that removes or replaces closed segments. */
    private final Object maintenanceLock = new Object();

    private final List<Segment> rolledUnflushed = new ArrayList<>();
    private volatile LogConfig config;
    private volatile Segment active;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile long flushedOffset;
    /** Bytes appended since the log was opened, and how many of them the last flush covered. */
    private volatile long appendedBytes;

    private volatile long flushedBytes;
    private volatile long lastFlushMs;
    private volatile long recoveryPoint;
    private final List<Segment> pendingDeletion = new ArrayList<>();
    private volatile SwapObserver swapObserver = stage -> {};
    /** Written under the append lock; volatile so that the cleaner can check it per batch without taking the lock. */
    private volatile boolean closed;

    private PartitionLog(Storage storage, Path directory, String name, LogConfig config, Time time) {
        this.storage = storage;
        this.directory = directory;
        this.name = name;
        this.config = config;
        this.time = time;
    }

    /**
     * Opens (or creates) the log in {@code directory}. After a clean shutdown nothing is scanned; otherwise every
     * segment from the one holding {@code recoveryPoint} on is validated batch by batch, a torn or corrupt tail is
     * truncated and the indexes are rebuilt. Producer state is loaded from the newest snapshot and the batches after
     * it.
     */
    public static PartitionLog open(
            Storage storage,
            Path directory,
            LogConfig config,
            Time time,
            boolean cleanShutdown,
            long recoveryPoint,
            long logStartOffset)
            throws IOException {
        requireNonNull(storage, "storage is null");
        requireNonNull(directory, "directory is null");
        requireNonNull(config, "config is null");
        requireNonNull(time, "time is null");
        PartitionLog log =
                new PartitionLog(storage, directory, directory.getFileName().toString(), config, time);
        log.load(cleanShutdown, recoveryPoint, logStartOffset);
        return log;
    }

    private void load(boolean cleanShutdown, long recoveryPoint, long startOffset) throws IOException {
        storage.createDirectories(directory);
        // First what the cleaner left half done, so that only whole segments remain.
        Set<Long> swapped = finishInterruptedCleaning();
        List<Long> baseOffsets = new ArrayList<>();
        for (Path path : storage.list(directory)) {
            String fileName = path.getFileName().toString();
            if (fileName.endsWith(Segment.LOG_SUFFIX)) {
                baseOffsets.add(parseBaseOffset(fileName));
            }
        }
        baseOffsets.sort(null);
        long now = time.milliseconds();
        long recoveredFrom = -1;
        for (int i = 0; i < baseOffsets.size(); i++) {
            long baseOffset = baseOffsets.get(i);
            boolean last = i == baseOffsets.size() - 1;
            if (!last && baseOffsets.get(i + 1) <= startOffset) {
                // Wholly before the log start: records deleted on request, whose files were still pending deletion or
                // came back after a power loss. Such a segment may never have been fsynced; recovering it could cut
                // off everything after it.
                Segment.deleteFiles(storage, directory, baseOffset);
                continue;
            }
            // A segment is trusted when the whole of it lies before the recovery point (it was fsynced with its
            // indexes before the point was written), or after a clean shutdown.
            // A cleaned segment whose swap was finished just now has no indexes yet.
            boolean trusted = !swapped.contains(baseOffset)
                    && (cleanShutdown || (!last && baseOffsets.get(i + 1) <= recoveryPoint));
            Segment segment = Segment.open(
                    storage, directory, baseOffset, config.segmentIndexBytes(), now, trusted, last || !trusted);
            segments.put(baseOffset, segment);
            int truncated = 0;
            if (!trusted) {
                if (recoveredFrom < 0) {
                    recoveredFrom = baseOffset;
                }
                truncated = segment.recover(config.indexIntervalBytes());
            }
            // A power loss can also cut a segment's unflushed tail cleanly (nothing to truncate) while the next
            // segment's name is already durable: the offsets would then jump.
            boolean cutsOff = !last && (truncated > 0 || segment.nextOffset() != baseOffsets.get(i + 1));
            if (!trusted && !last && !cutsOff) {
                // Make the rebuilt indexes and any truncation durable before a recovery point can pass them.
                segment.onRolled();
                segment.flush();
            }
            if (cutsOff) {
                if (recoveredFrom < 0) {
                    recoveredFrom = baseOffset;
                }
                // What follows a torn segment was never acknowledged (acks wait for the earlier fsync): drop it,
                // so offsets stay contiguous. This segment becomes the active one, so its indexes stay untrimmed.
                for (long later : baseOffsets.subList(i + 1, baseOffsets.size())) {
                    LOGGER.warn(
                            "[log {}] deleting segment {}, which follows segment {} that ends at offset {}",
                            name,
                            later,
                            baseOffset,
                            segment.lastOffset());
                    Segment.deleteFiles(storage, directory, later);
                }
                break;
            }
        }
        if (recoveredFrom >= 0) {
            // Durably: a dropped segment that came back after another power loss could continue the log, and an index
            // file that recovery had to create again is only there for good once its name is.
            storage.fsyncDirectory(directory);
        }
        if (segments.isEmpty()) {
            long base = Math.max(0, startOffset);
            segments.put(base, Segment.create(storage, directory, base, config.segmentIndexBytes(), now));
        }
        active = segments.lastEntry().getValue();
        long end = active.size() > 0 ? active.nextOffset() : active.baseOffset();
        Map.Entry<Long, Segment> before = segments.lowerEntry(active.baseOffset());
        if (active.size() == 0 && before != null) {
            end = Math.max(end, before.getValue().nextOffset());
        }
        logEndOffset = end;
        logStartOffset = Math.max(Math.max(startOffset, segments.firstKey()), 0);
        if (logStartOffset > logEndOffset) {
            logStartOffset = logEndOffset;
        }
        deleteSegmentsBelow(logStartOffset);
        deletePendingFiles();
        flushedOffset = logEndOffset;
        // The field, not the parameter of the same name: every segment before the active one is durable now.
        this.recoveryPoint = active.baseOffset();
        lastFlushMs = now;
        loadProducerState();
        LOGGER.info(
                "[log {}] opened: {} segments, offsets {}-{}{}",
                name,
                segments.size(),
                logStartOffset,
                logEndOffset,
                recoveredFrom < 0 ? "" : ", recovered from segment " + recoveredFrom);
    }

    /**
     * Deletes what an interrupted clean left behind that was never committed ({@code .cleaned} copies) or was already
     * replaced ({@code .deleted} files), and finishes each committed swap: a {@code .log.swap} file replaces every
     * segment whose base offset lies in its offset range, so those are deleted (durably) before it takes the {@code
     * .log} name. Temporary files of atomic writes are deleted too.
     *
     * @return the base offsets of the segments whose swap was finished here; their indexes must be rebuilt
     */
    private Set<Long> finishInterruptedCleaning() throws IOException {
        List<Path> swaps = new ArrayList<>();
        for (Path path : storage.list(directory)) {
            String fileName = path.getFileName().toString();
            if (fileName.endsWith(".tmp")
                    || fileName.endsWith(Segment.CLEANED_SUFFIX)
                    || fileName.endsWith(Segment.DELETED_SUFFIX)) {
                storage.deleteIfExists(path);
            } else if (fileName.endsWith(Segment.LOG_SUFFIX + Segment.SWAP_SUFFIX)) {
                swaps.add(path);
            }
        }
        Set<Long> swapped = new TreeSet<>();
        for (Path swap : swaps) {
            long base = parseBaseOffset(swap.getFileName().toString());
            // The copy was fsynced before it was named .swap, so its batches are whole.
            long last = Math.max(base, lastOffsetIn(swap, base));
            for (Path path : storage.list(directory)) {
                String fileName = path.getFileName().toString();
                if (Segment.isSegmentFile(fileName)) {
                    long segmentBase = parseBaseOffset(fileName);
                    if (segmentBase >= base && segmentBase <= last) {
                        storage.deleteIfExists(path);
                    }
                }
            }
            // Should the power fail after the rename, the replaced segments must not come back beside their copy.
            storage.fsyncDirectory(directory);
            storage.rename(swap, directory.resolve(Segment.fileName(base, Segment.LOG_SUFFIX)));
            storage.fsyncDirectory(directory);
            swapped.add(base);
            LOGGER.info(
                    "[log {}] finished the interrupted swap of cleaned segment {} (offsets {}-{})",
                    name,
                    base,
                    base,
                    last);
        }
        return swapped;
    }

    /** The last offset of the whole batches in a segment file that is not open, or {@code baseOffset - 1}. */
    private long lastOffsetIn(Path path, long baseOffset) throws IOException {
        long last = baseOffset - 1;
        try (LogFile file = storage.open(path)) {
            long size = file.size();
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(RecordBatches.HEADER_SIZE);
            while (size - position >= RecordBatches.HEADER_SIZE) {
                header.clear();
                file.read(header, position);
                int batchSize = RecordBatches.totalSize(header, 0);
                if (batchSize < RecordBatches.HEADER_SIZE || batchSize > size - position) {
                    break;
                }
                last = RecordBatches.lastOffset(header, 0);
                position += batchSize;
            }
        }
        return last;
    }

    private static long parseBaseOffset(String fileName) {
        String digits = fileName.substring(0, fileName.indexOf('.'));
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new LogStorageException("segment file name '" + fileName + "' does not start with an offset", e);
        }
    }

    private void loadProducerState() throws IOException {
        long snapshotOffset = -1;
        Path snapshotPath = null;
        boolean deleted = false;
        for (Path path : storage.list(directory)) {
            String fileName = path.getFileName().toString();
            if (fileName.endsWith(SNAPSHOT_SUFFIX)) {
                long offset = parseBaseOffset(fileName);
                if (offset <= logEndOffset && offset > snapshotOffset) {
                    snapshotOffset = offset;
                    snapshotPath = path;
                } else if (offset > logEndOffset) {
                    storage.deleteIfExists(path);
                    deleted = true;
                }
            }
        }
        if (deleted) {
            // A snapshot of offsets the log lost describes batches that are gone. If it came back after another
            // power loss, once new appends reach its offset, it would be loaded as the state of those appends.
            storage.fsyncDirectory(directory);
        }
        long replayFrom = logStartOffset;
        if (snapshotPath != null) {
            try {
                producers.load(storage.readAll(snapshotPath));
                replayFrom = snapshotOffset;
            } catch (CorruptRecordException e) {
                LOGGER.warn(
                        "[log {}] producer snapshot {} is unusable ({}); replaying the whole log",
                        name,
                        snapshotPath,
                        e.getMessage());
            }
        }
        if (replayFrom < logEndOffset) {
            forEachBatch(replayFrom, producers::replay);
        }
    }

    /** Calls {@code consumer} with each batch header (buffer, start) from the batch containing {@code fromOffset}. */
    private void forEachBatch(long fromOffset, BatchConsumer consumer) throws IOException {
        for (Segment segment : segments.tailMap(segments.floorKey(Math.max(fromOffset, segments.firstKey())))
                .values()) {
            int position = segment.positionOf(fromOffset);
            int end = segment.size();
            while (position < end) {
                ByteBuffer chunk = segment.read(position, Math.max(1024 * 1024, segment.batchSizeAt(position)), end);
                int at = 0;
                while (chunk.remaining() - at >= RecordBatches.LOG_OVERHEAD) {
                    int size = RecordBatches.totalSize(chunk, at);
                    if (size > chunk.remaining() - at) {
                        break;
                    }
                    consumer.accept(chunk, at);
                    at += size;
                }
                position += at;
            }
        }
    }

    @FunctionalInterface
    private interface BatchConsumer {
        void accept(ByteBuffer buffer, int at);
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public LogConfig config() {
        return config;
    }

    public void updateConfig(LogConfig newConfig) {
        this.config = requireNonNull(newConfig, "newConfig is null");
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    /** On a single node every appended record is replicated, so the high watermark is the log end offset. */
    public long highWatermark() {
        return logEndOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    /** Every offset below this is on stable storage. */
    public long flushedOffset() {
        return flushedOffset;
    }

    public long lastFlushMs() {
        return lastFlushMs;
    }

    /** Whether appends have not been fsynced yet. */
    /** Bytes appended that no flush has covered yet (since the log was opened). */
    public long unflushedBytes() {
        return appendedBytes - flushedBytes;
    }

    public boolean hasUnflushed() {
        return flushedOffset < logEndOffset;
    }

    public long sizeInBytes() {
        long total = 0;
        for (Segment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    /**
     * Every segment wholly before this offset has been fsynced with its indexes, so recovery after a crash starts at
     * the segment holding it. Checkpointed by the caller.
     */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /**
     * Checks, stamps and appends record batches (one or more v2 batches back to back). Offsets are assigned from the
     * log end offset; the buffer's bytes are changed in place. A batch from an idempotent producer that repeats one of
     * its last five batches is not written again: the result carries the original offsets.
     *
     * @throws CorruptRecordException if a batch is malformed
     * @throws RecordTooLargeException if a batch exceeds the topic's max.message.bytes
     * @throws OutOfOrderSequenceException or {@link InvalidProducerEpochException} for idempotent producers
     * @throws LogStorageException if the disk write fails
     */
    public AppendResult append(ByteBuffer records) {
        LogConfig currentConfig = config;
        int start = records.position();
        int limit = records.limit();
        if (start == limit) {
            throw new CorruptRecordException("produce request for " + name + " has no record batches");
        }
        int batchCount = 0;
        int recordCount = 0;
        for (int at = start; at < limit; ) {
            int size = RecordBatches.validate(records, at, limit);
            if (size > currentConfig.maxMessageBytes()) {
                throw new RecordTooLargeException("record batch of " + size + " bytes for " + name
                        + " exceeds max.message.bytes (" + currentConfig.maxMessageBytes() + ")");
            }
            throwIfNotAProducerBatch(records, at);
            recordCount += RecordBatches.lastOffsetDelta(records, at) + 1;
            batchCount++;
            at += size;
        }
        synchronized (appendLock) {
            if (closed) {
                throw new LogStorageException("log " + name + " is closed");
            }
            long producerId = RecordBatches.producerId(records, start);
            int baseSequence = RecordBatches.baseSequence(records, start);
            boolean idempotent = producerId >= 0 && baseSequence >= 0;
            short epoch = RecordBatches.producerEpoch(records, start);
            int lastSequence = ProducerStateManager.lastSequence(baseSequence, recordCount - 1);
            if (idempotent) {
                if (batchCount != 1) {
                    throw new CorruptRecordException("idempotent producer " + producerId + " sent " + batchCount
                            + " batches for " + name + " in one request; only one is allowed");
                }
                ProducerStateManager.Duplicate duplicate =
                        producers.check(name, producerId, epoch, baseSequence, lastSequence);
                if (duplicate != null) {
                    return new AppendResult(duplicate.firstOffset(), duplicate.lastOffset(), -1, logStartOffset, true);
                }
            }
            long now = time.milliseconds();
            long firstOffset = logEndOffset;
            long next = firstOffset;
            for (int at = start; at < limit; ) {
                int size = RecordBatches.totalSize(records, at);
                RecordBatches.setBaseOffset(records, at, next);
                if (currentConfig.logAppendTime()) {
                    RecordBatches.setLogAppendTime(records, at, now);
                }
                next += RecordBatches.lastOffsetDelta(records, at) + 1;
                at += size;
            }
            long lastOffset = next - 1;
            try {
                maybeRoll(limit - start, batchCount, lastOffset, now, currentConfig);
                active.append(records, lastOffset, currentConfig.indexIntervalBytes());
            } catch (IOException e) {
                throw new LogStorageException("[log " + name + "] append failed at offset " + firstOffset, e);
            }
            if (idempotent) {
                producers.update(producerId, epoch, baseSequence, lastSequence, firstOffset, lastOffset);
            }
            logEndOffset = next;
            appendedBytes += limit - start;
            return new AppendResult(
                    firstOffset, lastOffset, currentConfig.logAppendTime() ? now : -1, logStartOffset, false);
        }
    }

    private void throwIfNotAProducerBatch(ByteBuffer records, int at) {
        int count = RecordBatches.recordCount(records, at);
        if (count <= 0) {
            throw new CorruptRecordException("record batch for " + name + " has no records");
        }
        if (RecordBatches.lastOffsetDelta(records, at) != count - 1) {
            throw new CorruptRecordException("record batch for " + name + " has " + count
                    + " records but last offset delta " + RecordBatches.lastOffsetDelta(records, at)
                    + "; a producer's batch has deltas 0.." + (count - 1));
        }
        if (RecordBatches.isControl(records, at) || RecordBatches.isTransactional(records, at)) {
            throw new CorruptRecordException(
                    "record batch for " + name + " is transactional; Brook does not support transactions yet");
        }
    }

    private void maybeRoll(int incomingBytes, int incomingBatches, long lastOffset, long now, LogConfig currentConfig)
            throws IOException {
        Segment segment = active;
        boolean full = segment.size() > 0 && (long) segment.size() + incomingBytes > currentConfig.segmentBytes();
        boolean old = segment.size() > 0 && now - segment.createdMs() >= currentConfig.segmentMs();
        boolean offsetsOverflow = lastOffset - segment.baseOffset() > Integer.MAX_VALUE;
        // An empty segment never rolls: its successor would have the same base offset, hence the same files.
        boolean indexFull = segment.size() > 0 && !segment.indexHasRoomFor(incomingBatches);
        if (full || old || indexFull || offsetsOverflow) {
            roll(now);
        }
    }

    private void roll(long now) throws IOException {
        Segment previous = active;
        long base = logEndOffset;
        previous.onRolled();
        Segment next = Segment.create(storage, directory, base, config.segmentIndexBytes(), now);
        segments.put(base, next);
        synchronized (rolledUnflushed) {
            rolledUnflushed.add(previous);
        }
        active = next;
        // The producer state as of the new segment's start, so recovery replays at most one segment.
        storage.writeAtomically(directory.resolve(Segment.fileName(base, SNAPSHOT_SUFFIX)), producers.snapshot());
        deleteOldSnapshots(base);
        LOGGER.info("[log {}] rolled to segment {}", name, base);
    }

    private void deleteOldSnapshots(long keepFrom) throws IOException {
        List<Path> snapshots = new ArrayList<>();
        for (Path path : storage.list(directory)) {
            if (path.getFileName().toString().endsWith(SNAPSHOT_SUFFIX)) {
                snapshots.add(path);
            }
        }
        // Keep the newest two so that a torn newest one still leaves a usable snapshot.
        for (int i = 0; i < snapshots.size() - 2; i++) {
            if (parseBaseOffset(snapshots.get(i).getFileName().toString()) < keepFrom) {
                storage.deleteIfExists(snapshots.get(i));
            }
        }
    }

    /**
     * Reads batches from {@code offset} on, up to {@code maxBytes}; with {@code minOneBatch}, the first batch is
     * returned whole even if it is larger. From a real file the result is a file region (which may end in a partial
     * batch, as Kafka's does); from simulated storage it is whole batches in memory.
     *
     * @throws OffsetOutOfRangeException if {@code offset} is before the log start or after the log end
     */
    public ReadResult read(long offset, int maxBytes, boolean minOneBatch) {
        long end = logEndOffset;
        long start = logStartOffset;
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(
                    "offset " + offset + " is out of range for " + name + ", which has offsets " + start + "-" + end);
        }
        if (offset == end) {
            return ReadResult.empty(start, end);
        }
        try {
            Map.Entry<Long, Segment> entry = segments.floorEntry(offset);
            while (entry != null) {
                Segment segment = entry.getValue();
                int endPosition = segment.size();
                int position = segment.positionOf(offset);
                if (position < endPosition) {
                    int firstBatch = segment.batchSizeAt(position);
                    int length = minOneBatch ? Math.max(maxBytes, firstBatch) : maxBytes;
                    length = Math.min(length, endPosition - position);
                    java.nio.channels.FileChannel channel = segment.fileChannel();
                    if (channel != null) {
                        return ReadResult.fileRegion(channel, position, length, start, end);
                    }
                    ByteBuffer bytes = segment.read(position, length, endPosition);
                    return ReadResult.inMemory(wholeBatches(bytes), start, end);
                }
                entry = segments.higherEntry(entry.getKey());
            }
        } catch (IOException e) {
            throw new LogStorageException("[log " + name + "] read failed at offset " + offset, e);
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            // A segment deleted by retention while this read ran: the reader retries from the new start.
            throw new OffsetOutOfRangeException("offset " + offset + " of " + name + " was deleted while reading");
        }
        return ReadResult.empty(start, end);
    }

    private static ByteBuffer wholeBatches(ByteBuffer bytes) {
        int at = 0;
        int limit = bytes.limit();
        while (limit - at >= RecordBatches.LOG_OVERHEAD) {
            int size = RecordBatches.totalSize(bytes, at);
            if (size > limit - at) {
                break;
            }
            at += size;
        }
        bytes.limit(at);
        return bytes;
    }

    /**
     * The first batch holding a record with a timestamp at or after {@code timestamp} (the caller finds the record
     * inside), or null when there is none.
     */
    public ByteBuffer batchAtOrAfterTimestamp(long timestamp) {
        try {
            long start = logStartOffset;
            for (Segment segment : segments.values()) {
                // Records before the log start are deleted even where their segment remains: look from the start.
                int position = segment.positionOfTimestamp(timestamp, start);
                if (position >= 0) {
                    return segment.read(position, segment.batchSizeAt(position), segment.size());
                }
            }
            return null;
        } catch (IOException e) {
            throw new LogStorageException("[log " + name + "] timestamp lookup failed", e);
        }
    }

    /** The batch holding the record with the largest timestamp, or null if the log is empty. */
    public ByteBuffer batchWithMaxTimestamp() {
        try {
            Segment best = null;
            for (Segment segment : segments.values()) {
                if (segment.size() > 0 && (best == null || segment.maxTimestamp() > best.maxTimestamp())) {
                    best = segment;
                }
            }
            if (best == null) {
                return null;
            }
            int position = best.positionOfMaxTimestamp();
            return position < 0 ? null : best.read(position, best.batchSizeAt(position), best.size());
        } catch (IOException e) {
            throw new LogStorageException("[log " + name + "] timestamp lookup failed", e);
        }
    }

    /**
     * fsyncs everything appended so far (group commit: one call covers every append before it).
     *
     * @return the offset below which everything is now durable
     */
    public long flush() {
        synchronized (flushLock) {
            long target;
            long targetBytes;
            Segment current;
            List<Segment> toFlush;
            synchronized (appendLock) {
                if (closed) {
                    return flushedOffset;
                }
                target = logEndOffset;
                targetBytes = appendedBytes;
                current = active;
            }
            synchronized (rolledUnflushed) {
                toFlush = new ArrayList<>(rolledUnflushed);
                rolledUnflushed.clear();
            }
            if (target == flushedOffset && toFlush.isEmpty()) {
                return target;
            }
            try {
                // Rolled segments are flushed whole, indexes too, before the recovery point passes them; the active
                // segment needs only its log file, since recovery always rebuilds the active segment's indexes.
                for (Segment segment : toFlush) {
                    segment.flush();
                }
                current.flushLog();
            } catch (IOException e) {
                throw new LogStorageException("[log " + name + "] fsync failed below offset " + target, e);
            }
            flushedOffset = target;
            flushedBytes = targetBytes;
            recoveryPoint = current.baseOffset();
            lastFlushMs = time.milliseconds();
            return target;
        }
    }

    /**
     * Moves the log start offset forward (DeleteRecords) and deletes the segments wholly before it.
     *
     * @return the new log start offset
     * @throws OffsetOutOfRangeException if {@code offset} is beyond the high watermark
     */
    public long deleteRecordsBefore(long offset) {
        synchronized (maintenanceLock) {
            synchronized (appendLock) {
                long end = logEndOffset;
                if (offset > end || offset < 0) {
                    throw new OffsetOutOfRangeException("cannot delete records of " + name + " before offset " + offset
                            + "; the log has offsets " + logStartOffset + "-" + end);
                }
                if (offset > logStartOffset) {
                    logStartOffset = offset;
                }
                deleteSegmentsBelow(logStartOffset);
                return logStartOffset;
            }
        }
    }

    /**
     * Deletes closed segments by time (newest timestamp older than retention.ms) and by size (oldest first while the
     * log exceeds retention.bytes), when cleanup.policy has delete. The active segment is never deleted. Also deletes
     * the files of segments removed or replaced since the previous pass. Never blocks readers.
     *
     * @return the number of segments deleted
     */
    public int applyRetention() {
        LogConfig currentConfig = config;
        long now = time.milliseconds();
        int deleted = 0;
        synchronized (maintenanceLock) {
            synchronized (appendLock) {
                deletePendingFiles();
                if (currentConfig.cleanupPolicyDelete()) {
                    deleted = deleteByTimeAndSize(currentConfig, now);
                }
                deleteSegmentsBelow(logStartOffset);
            }
        }
        return deleted;
    }

    private int deleteByTimeAndSize(LogConfig currentConfig, long now) {
        int deleted = 0;
        long size = sizeInBytes();
        for (Segment segment : new ArrayList<>(segments.values())) {
            if (segment == active) {
                break;
            }
            boolean expired = currentConfig.retentionMs() >= 0
                    && segment.maxTimestamp() >= 0
                    && now - segment.maxTimestamp() > currentConfig.retentionMs();
            boolean oversize =
                    currentConfig.retentionBytes() >= 0 && size - segment.size() >= currentConfig.retentionBytes();
            if (!expired && !oversize) {
                break;
            }
            size -= segment.size();
            long newStart = segments.higherKey(segment.baseOffset());
            logStartOffset = Math.max(logStartOffset, newStart);
            deleteSegment(segment, expired ? "retention.ms" : "retention.bytes");
            deleted++;
        }
        return deleted;
    }

    private void deleteSegmentsBelow(long offset) {
        for (Segment segment : new ArrayList<>(segments.values())) {
            if (segment == active || segment.nextOffset() > offset) {
                break;
            }
            deleteSegment(segment, "log start offset " + offset);
        }
    }

    /**
     * Removes a segment from the log at once; its files are closed and deleted at the next retention pass, so reads
     * already under way finish undisturbed.
     */
    private void deleteSegment(Segment segment, String reason) {
        segments.remove(segment.baseOffset());
        synchronized (rolledUnflushed) {
            rolledUnflushed.remove(segment);
        }
        pendingDeletion.add(segment);
        LOGGER.info("[log {}] deleted segment {} ({})", name, segment.baseOffset(), reason);
    }

    private void deletePendingFiles() {
        for (Segment segment : pendingDeletion) {
            try {
                segment.deleteFiles();
            } catch (IOException e) {
                LOGGER.warn(
                        "[log {}] could not delete files of segment {}: {}",
                        name,
                        segment.baseOffset(),
                        e.getMessage());
            }
        }
        pendingDeletion.clear();
    }

    /** Flushes, writes the producer snapshot at the log end and closes every file. Idempotent. */
    @Override
    public void close() throws IOException {
        synchronized (maintenanceLock) {
            closeFiles();
        }
    }

    private void closeFiles() throws IOException {
        synchronized (flushLock) {
            synchronized (appendLock) {
                if (closed) {
                    return;
                }
                IOException failure = null;
                try {
                    for (Segment segment : segments.values()) {
                        segment.flush();
                    }
                    flushedOffset = logEndOffset;
                    storage.writeAtomically(
                            directory.resolve(Segment.fileName(logEndOffset, SNAPSHOT_SUFFIX)), producers.snapshot());
                } catch (IOException e) {
                    failure = e;
                }
                closed = true;
                deletePendingFiles();
                List<Segment> all = new ArrayList<>(segments.descendingMap().values());
                for (Segment segment : all) {
                    try {
                        segment.close();
                    } catch (IOException e) {
                        if (failure == null) {
                            failure = e;
                        } else {
                            failure.addSuppressed(e);
                        }
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            }
        }
    }

    /** Closes the files without flushing anything (the tests' simulated crash). */
    void abandon() throws IOException {
        synchronized (appendLock) {
            closed = true;
        }
    }

    int producerCount() {
        return producers.producerCount();
    }

    // The cleaner's view of the log.

    /** The stages of {@link #replaceSegments}, reported to a {@link SwapObserver}. */
    enum SwapStage {
        /** The cleaned copy is written and fsynced under its {@code .cleaned} name; nothing is committed yet. */
        CLEANED_WRITTEN,
        /** The copy is renamed to {@code .swap} durably: from here on a restart finishes the swap. */
        SWAP_COMMITTED,
        /** The replaced segments' files are renamed to {@code .deleted} durably; the copy is not yet {@code .log}. */
        OLD_FILES_RENAMED
    }

    /** Told of each stage of a swap as it is reached (tests stop the process there). */
    @FunctionalInterface
    interface SwapObserver {
        void reached(SwapStage stage) throws IOException;
    }

    void swapObserver(SwapObserver observer) {
        this.swapObserver = requireNonNull(observer, "observer is null");
    }

    Storage storage() {
        return storage;
    }

    boolean isClosed() {
        return closed;
    }

    /** The closed segments (every one but the active one) in offset order, as they are now. */
    List<Segment> closedSegments() {
        Segment current = active;
        return new ArrayList<>(segments.headMap(current.baseOffset()).values());
    }

    /** Per idempotent producer, the last offset of its last batch. */
    Map<Long, Long> lastOffsetsOfProducers() {
        synchronized (appendLock) {
            return producers.lastOffsets();
        }
    }

    /** Where the cleaner writes the cleaned copy of the segments that start at {@code baseOffset}. */
    Path cleanedPath(long baseOffset) {
        return directory.resolve(Segment.fileName(baseOffset, Segment.LOG_SUFFIX + Segment.CLEANED_SUFFIX));
    }

    /**
     * Replaces {@code sources}, consecutive closed segments, by the cleaned copy at {@link #cleanedPath} of the first
     * one's base offset, which holds the same offsets (with fewer records) and was written and fsynced by the cleaner.
     * On disk: the copy is renamed to {@code .swap} and the directory fsynced (the commit point; a restart finishes
     * the swap from here), the sources' files are renamed to {@code .deleted} and the directory fsynced, the copy takes
     * the {@code .log} name, and its indexes are built and fsynced. In memory the new segment then takes the sources'
     * place in one step; the sources' files stay open for reads under way and are deleted at the next retention pass.
     * Appends, reads and flushes go on meanwhile; retention, DeleteRecords and close wait.
     *
     * @return the new segment, or null (the copy deleted) when a source is no longer in the log because retention or
     *     DeleteRecords removed it or the log was closed
     */
    Segment replaceSegments(List<Segment> sources) throws IOException {
        Segment first = sources.get(0);
        long base = first.baseOffset();
        long nextOffset = sources.get(sources.size() - 1).nextOffset();
        Path cleaned = cleanedPath(base);
        Path swap = directory.resolve(Segment.fileName(base, Segment.LOG_SUFFIX + Segment.SWAP_SUFFIX));
        synchronized (maintenanceLock) {
            if (!allInLog(sources)) {
                storage.deleteIfExists(cleaned);
                return null;
            }
            swapObserver.reached(SwapStage.CLEANED_WRITTEN);
            storage.rename(cleaned, swap);
            storage.fsyncDirectory(directory);
            swapObserver.reached(SwapStage.SWAP_COMMITTED);
            for (Segment source : sources) {
                source.renameForDeletion();
            }
            storage.fsyncDirectory(directory);
            swapObserver.reached(SwapStage.OLD_FILES_RENAMED);
            storage.rename(swap, directory.resolve(Segment.fileName(base, Segment.LOG_SUFFIX)));
            LogConfig currentConfig = config;
            Segment replacement = Segment.open(
                    storage, directory, base, currentConfig.segmentIndexBytes(), time.milliseconds(), false, true);
            int truncated = replacement.recover(currentConfig.indexIntervalBytes());
            if (truncated > 0 || replacement.nextOffset() != nextOffset) {
                throw new IllegalStateException("[log " + name + "] cleaned segment " + base + " ends at offset "
                        + replacement.lastOffset() + " after cutting " + truncated + " bytes; the segments it replaces"
                        + " end at " + (nextOffset - 1));
            }
            replacement.onRolled();
            replacement.flush();
            storage.fsyncDirectory(directory);
            synchronized (flushLock) {
                synchronized (appendLock) {
                    // Put before remove: a reader always finds every offset in one of the two.
                    segments.put(base, replacement);
                    for (Segment source : sources.subList(1, sources.size())) {
                        segments.remove(source.baseOffset());
                    }
                    synchronized (rolledUnflushed) {
                        rolledUnflushed.removeAll(sources);
                    }
                    pendingDeletion.addAll(sources);
                }
            }
            return replacement;
        }
    }

    private boolean allInLog(List<Segment> sources) {
        synchronized (appendLock) {
            if (closed) {
                return false;
            }
            for (Segment source : sources) {
                if (source == active || segments.get(source.baseOffset()) != source) {
                    return false;
                }
            }
            return true;
        }
    }
}
