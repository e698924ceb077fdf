package io.brook.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: {@code <baseOffset>.log} holding v2 record batches back to back, with its sparse
 * {@link OffsetIndex} ({@code .index}) and {@link TimeIndex} ({@code .timeindex}). File names are the base offset
 * padded to 20 digits. Appends come from the log's single writer; reads may run concurrently and see bytes up to the
 * published {@link #size()}.
 */
final class Segment implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Segment.class);
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** A cleaned copy being written; deleted at start-up. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** A cleaned copy that replaces the segments it covers: the cleaner's commit point, finished at start-up. */
    static final String SWAP_SUFFIX = ".swap";
    /** A replaced segment's file, renamed away while readers may still hold it; deleted at start-up. */
    static final String DELETED_SUFFIX = ".deleted";

    private static final String[] FILE_SUFFIXES = {INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX};

    private final Storage storage;
    private final Path directory;
    private final long baseOffset;
    private final LogFile log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final long createdMs;
    private volatile int size;
    private volatile long maxTimestamp = -1;
    private volatile long lastOffset;
    private int bytesSinceLastIndexEntry;
    private boolean nameDurable;
    /** Set once the files were renamed to {@value #DELETED_SUFFIX} names (the segment was replaced by a cleaned one). */
    private volatile boolean renamedForDeletion;

    private Segment(Storage storage, Path directory, long baseOffset, int maxIndexBytes, long createdMs, boolean isNew)
            throws IOException {
        // maxIndexBytes is 0 for an older segment that will only be read: its indexes are mapped at their size.
        this.storage = storage;
        this.directory = directory;
        this.baseOffset = baseOffset;
        this.createdMs = createdMs;
        this.log = storage.open(directory.resolve(fileName(baseOffset, LOG_SUFFIX)));
        this.offsetIndex = new OffsetIndex(
                storage, directory.resolve(fileName(baseOffset, INDEX_SUFFIX)), baseOffset, maxIndexBytes);
        this.timeIndex = new TimeIndex(
                storage, directory.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)), baseOffset, maxIndexBytes);
        this.size = (int) Math.min(log.size(), Integer.MAX_VALUE);
        this.lastOffset = baseOffset - 1;
        this.nameDurable = !isNew;
    }

    static String fileName(long offset, String suffix) {
        return String.format(java.util.Locale.ROOT, "%020d", offset) + suffix;
    }

    /** Creates an empty segment. */
    static Segment create(Storage storage, Path directory, long baseOffset, int maxIndexBytes, long nowMs)
            throws IOException {
        return new Segment(storage, directory, baseOffset, maxIndexBytes, nowMs, true);
    }

    /**
     * Opens an existing segment. When {@code trusted} (a clean shutdown, or a segment before the recovery point) its
     * indexes are sanity-checked and its summary read from the last batch; otherwise the caller runs
     * {@link #recover}.
     */
    static Segment open(
            Storage storage,
            Path directory,
            long baseOffset,
            int maxIndexBytes,
            long nowMs,
            boolean trusted,
            boolean active)
            throws IOException {
        Segment segment =
                new Segment(storage, directory, baseOffset, trusted && !active ? 0 : maxIndexBytes, nowMs, false);
        if (trusted) {
            try {
                segment.offsetIndex.sanityCheck();
                segment.timeIndex.sanityCheck();
                segment.loadSummaryFromIndexes();
            } catch (CorruptIndexException | CorruptRecordException e) {
                LOGGER.warn("[segment {}] {}; rebuilding its indexes", segment.logPath(), e.getMessage());
                segment.recover(Integer.MAX_VALUE);
            }
        }
        return segment;
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes of log written and visible to readers. */
    int size() {
        return size;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /** Offset of the last record in this segment, or {@code baseOffset - 1} when it is empty. */
    long lastOffset() {
        return lastOffset;
    }

    long nextOffset() {
        return lastOffset + 1;
    }

    long createdMs() {
        return createdMs;
    }

    /** Whether both indexes can take an entry for each of {@code batches} more batches. */
    boolean indexHasRoomFor(int batches) {
        return offsetIndex.hasRoomFor(batches) && timeIndex.hasRoomFor(batches);
    }

    /** The log file's channel for zero-copy reads, or null on simulated storage. */
    java.nio.channels.FileChannel fileChannel() {
        return log.fileChannel();
    }

    Path logPath() {
        return directory.resolve(fileName(baseOffset, LOG_SUFFIX));
    }

    /**
     * Appends validated batches whose offsets are already assigned. Adds index entries every {@code
     * indexIntervalBytes}.
     */
    void append(ByteBuffer batches, long lastOffsetInBatches, int indexIntervalBytes) throws IOException {
        int position = size;
        int start = batches.position();
        int limit = batches.limit();
        log.write(batches.duplicate(), position);
        long largestTimestamp = maxTimestamp;
        for (int at = start; at < limit; ) {
            int batchSize = RecordBatches.totalSize(batches, at);
            long batchTimestamp = RecordBatches.maxTimestamp(batches, at);
            // The log rolls before an index fills up; an append of more batches than a whole index holds just
            // skips entries (as recovery does), which only lengthens the scans that lookups do.
            if ((bytesSinceLastIndexEntry >= indexIntervalBytes || (offsetIndex.entries() == 0 && position == 0))
                    && !offsetIndex.isFull()) {
                offsetIndex.append(RecordBatches.baseOffset(batches, at), position + (at - start));
                bytesSinceLastIndexEntry = 0;
            }
            if (batchTimestamp > largestTimestamp) {
                largestTimestamp = batchTimestamp;
                if (!timeIndex.isFull()) {
                    timeIndex.maybeAppend(batchTimestamp, RecordBatches.baseOffset(batches, at));
                }
            }
            bytesSinceLastIndexEntry += batchSize;
            at += batchSize;
        }
        maxTimestamp = largestTimestamp;
        lastOffset = lastOffsetInBatches;
        size = position + (limit - start);
    }

    /**
     * Byte position of the first batch that contains {@code offset} or starts after it, scanning forward from the
     * index entry at or before it; {@link #size()} when no batch in this segment does.
     */
    int positionOf(long offset) throws IOException {
        int position = offsetIndex.lookupPosition(offset);
        int end = size;
        ByteBuffer header = ByteBuffer.allocate(RecordBatches.HEADER_SIZE);
        while (position < end) {
            header.clear();
            if (log.read(header, position) < RecordBatches.HEADER_SIZE) {
                return end;
            }
            if (RecordBatches.lastOffset(header, 0) >= offset) {
                return position;
            }
            position += RecordBatches.totalSize(header, 0);
        }
        return end;
    }

    /** Reads up to {@code maxBytes} from {@code position}, never past {@code endPosition}. */
    ByteBuffer read(int position, int maxBytes, int endPosition) throws IOException {
        int length = Math.max(0, Math.min(maxBytes, endPosition - position));
        ByteBuffer buffer = ByteBuffer.allocate(length);
        log.read(buffer, position);
        buffer.flip();
        return buffer;
    }

    /** Size of the batch at {@code position}, read from its header. */
    int batchSizeAt(int position) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RecordBatches.LOG_OVERHEAD);
        log.read(header, position);
        return RecordBatches.totalSize(header, 0);
    }

    /**
     * The position of the first batch whose max timestamp is at least {@code timestamp}, or -1 if none is in this
     * segment.
     */
    int positionOfTimestamp(long timestamp) throws IOException {
        return positionOfTimestamp(timestamp, baseOffset);
    }

    /**
     * The position of the first batch that ends at or after {@code fromOffset} (the log start offset) and whose max
     * timestamp is at least {@code timestamp}, or -1 if none is in this segment.
     */
    int positionOfTimestamp(long timestamp, long fromOffset) throws IOException {
        if (maxTimestamp < timestamp) {
            return -1;
        }
        int position = Math.max(positionOf(timeIndex.lookupStartOffset(timestamp)), positionOf(fromOffset));
        int end = size;
        ByteBuffer header = ByteBuffer.allocate(RecordBatches.HEADER_SIZE);
        while (position < end) {
            header.clear();
            if (log.read(header, position) < RecordBatches.HEADER_SIZE) {
                return -1;
            }
            // An empty batch (a range the cleaner emptied) has no record to point at.
            if (RecordBatches.maxTimestamp(header, 0) >= timestamp && RecordBatches.recordCount(header, 0) > 0) {
                return position;
            }
            position += RecordBatches.totalSize(header, 0);
        }
        return -1;
    }

    /** Position of the batch with the largest timestamp, or -1 if the segment is empty. */
    int positionOfMaxTimestamp() throws IOException {
        if (maxTimestamp < 0 && size == 0) {
            return -1;
        }
        return positionOfTimestamp(maxTimestamp);
    }

    /**
     * Scans every batch from the start, validating length and CRC, and rebuilds both indexes. A torn or corrupt tail
     * is cut off at the last valid batch and logged with its offset and position.
     *
     * @return the number of bytes truncated
     */
    int recover(int indexIntervalBytes) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = -1;
        lastOffset = baseOffset - 1;
        bytesSinceLastIndexEntry = 0;
        long fileSize = log.size();
        int position = 0;
        ByteBuffer chunk = ByteBuffer.allocate(1024 * 1024);
        long largestTimestamp = -1;
        String problem = null;
        scan:
        while (position < fileSize) {
            chunk.clear();
            int read = log.read(chunk, position);
            chunk.flip();
            int at = 0;
            while (at < read) {
                if (read - at < RecordBatches.LOG_OVERHEAD) {
                    break;
                }
                int batchSize = RecordBatches.totalSize(chunk, at);
                if (batchSize > read - at) {
                    if (at == 0) {
                        if (batchSize <= RecordBatches.LOG_OVERHEAD || position + (long) batchSize > fileSize) {
                            problem = "batch at position " + position + " claims " + batchSize
                                    + " bytes but the file has " + (fileSize - position) + " left";
                            break scan;
                        }
                        chunk = ByteBuffer.allocate(batchSize);
                        continue scan;
                    }
                    break;
                }
                try {
                    RecordBatches.validate(chunk, at, read);
                } catch (CorruptRecordException e) {
                    problem = e.getMessage().replace("at byte " + at, "at position " + (position + at));
                    position += at;
                    break scan;
                }
                long batchBase = RecordBatches.baseOffset(chunk, at);
                long batchLast = RecordBatches.lastOffset(chunk, at);
                // Offsets run on without gaps in a Brook log, and the base offset is outside the CRC: a torn write
                // that garbled it must not pass (nor overflow the index's relative offsets).
                if (batchBase != lastOffset + 1) {
                    problem = "batch at position " + (position + at) + " has base offset " + batchBase
                            + ", not right after the previous batch's last offset " + lastOffset;
                    position += at;
                    break scan;
                }
                if (bytesSinceLastIndexEntry >= indexIntervalBytes || offsetIndex.entries() == 0) {
                    if (!offsetIndex.isFull()) {
                        offsetIndex.append(batchBase, position + at);
                    }
                    bytesSinceLastIndexEntry = 0;
                }
                long batchTimestamp = RecordBatches.maxTimestamp(chunk, at);
                if (batchTimestamp > largestTimestamp) {
                    largestTimestamp = batchTimestamp;
                    if (!timeIndex.isFull()) {
                        timeIndex.maybeAppend(batchTimestamp, batchBase);
                    }
                }
                bytesSinceLastIndexEntry += batchSize;
                lastOffset = batchLast;
                at += batchSize;
            }
            if (at == 0) {
                problem = "torn batch header at position " + position;
                break;
            }
            position += at;
        }
        maxTimestamp = largestTimestamp;
        int truncated = (int) (fileSize - position);
        if (truncated > 0) {
            LOGGER.warn(
                    "[segment {}] truncating {} bytes at position {} after offset {}: {}",
                    logPath(),
                    truncated,
                    position,
                    lastOffset,
                    problem == null ? "incomplete batch at the tail" : problem);
            log.truncate(position);
        }
        size = position;
        return truncated;
    }

    private void loadSummaryFromIndexes() throws IOException {
        // A trusted segment: find its last batch by scanning from the last index entry, and its max timestamp from
        // the time index (which records every increase).
        int entries = offsetIndex.entries();
        int position = entries == 0 ? 0 : offsetIndex.positionAt(entries - 1);
        int end = size;
        ByteBuffer header = ByteBuffer.allocate(RecordBatches.HEADER_SIZE);
        long last = baseOffset - 1;
        long largestTimestamp = timeIndex.lastTimestamp();
        // The last entry must name a batch that is there; otherwise this segment would pass for empty or end early,
        // and the log would drop the segments after it to keep its offsets contiguous.
        if (entries > 0 && position >= end) {
            throw new CorruptIndexException("index " + offsetIndex.path() + " has its last entry at position "
                    + position + ", past the end of the log (" + end + " bytes)");
        }
        boolean first = true;
        while (position < end) {
            header.clear();
            if (log.read(header, position) < RecordBatches.HEADER_SIZE) {
                throw new CorruptRecordException("segment " + logPath() + " ends in a torn header at " + position);
            }
            if (first && entries > 0 && RecordBatches.baseOffset(header, 0) != offsetIndex.keyAt(entries - 1)) {
                throw new CorruptIndexException("index " + offsetIndex.path() + " says offset "
                        + offsetIndex.keyAt(entries - 1) + " is at position " + position + ", where the batch has base"
                        + " offset " + RecordBatches.baseOffset(header, 0));
            }
            first = false;
            last = RecordBatches.lastOffset(header, 0);
            largestTimestamp = Math.max(largestTimestamp, RecordBatches.maxTimestamp(header, 0));
            int batchSize = RecordBatches.totalSize(header, 0);
            if (batchSize < RecordBatches.HEADER_SIZE || position + (long) batchSize > end) {
                throw new CorruptRecordException(
                        "segment " + logPath() + " has a bad batch length " + batchSize + " at position " + position);
            }
            position += batchSize;
            bytesSinceLastIndexEntry += batchSize;
        }
        lastOffset = last;
        maxTimestamp = largestTimestamp;
    }

    /** Cuts the segment so that {@code offset} and everything after it are gone. */
    void truncateTo(long offset) throws IOException {
        int position = positionOf(offset);
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        log.truncate(position);
        size = position;
        lastOffset = Math.min(lastOffset, offset - 1);
    }

    /**
     * fsyncs the log file only (and, the first time, the directory that names it): enough for the active segment,
     * whose indexes recovery rebuilds after a crash.
     */
    void flushLog() throws IOException {
        log.force();
        if (!nameDurable) {
            storage.fsyncDirectory(directory);
            nameDurable = true;
        }
    }

    /** fsyncs the log and index files (and, the first time, the directory that names them). */
    void flush() throws IOException {
        log.force();
        offsetIndex.flush();
        timeIndex.flush();
        if (!nameDurable) {
            storage.fsyncDirectory(directory);
            nameDurable = true;
        }
    }

    /** Called when this segment stops being the active one: trims the preallocated index files. */
    void onRolled() throws IOException {
        offsetIndex.trimToEntries();
        timeIndex.trimToEntries();
    }

    void deleteFiles() throws IOException {
        close();
        if (renamedForDeletion) {
            for (String suffix : FILE_SUFFIXES) {
                storage.deleteIfExists(directory.resolve(fileName(baseOffset, suffix + DELETED_SUFFIX)));
            }
        } else {
            deleteFiles(storage, directory, baseOffset);
        }
    }

    /**
     * Renames this segment's files to {@value #DELETED_SUFFIX} names, keeping them open: a cleaned segment can then
     * take the names while reads of this one finish. {@link #deleteFiles()} deletes the renamed files. The caller makes
     * the renames durable.
     */
    void renameForDeletion() throws IOException {
        if (renamedForDeletion) {
            throw new IllegalStateException("segment " + baseOffset + " in " + directory + " was already replaced");
        }
        for (String suffix : FILE_SUFFIXES) {
            Path path = directory.resolve(fileName(baseOffset, suffix));
            if (storage.exists(path)) {
                storage.rename(path, directory.resolve(fileName(baseOffset, suffix + DELETED_SUFFIX)));
            }
        }
        renamedForDeletion = true;
    }

    /** Whether {@code fileName} is a segment's log or index file (not a snapshot or a temporary file). */
    static boolean isSegmentFile(String fileName) {
        for (String suffix : FILE_SUFFIXES) {
            if (fileName.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the files of a segment that is not open, without reading them. */
    static void deleteFiles(Storage storage, Path directory, long baseOffset) throws IOException {
        storage.deleteIfExists(directory.resolve(fileName(baseOffset, INDEX_SUFFIX)));
        storage.deleteIfExists(directory.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)));
        storage.deleteIfExists(directory.resolve(fileName(baseOffset, LOG_SUFFIX)));
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (AutoCloseable closeable : new AutoCloseable[] {timeIndex, offsetIndex, log}) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof IOException io ? io : new IOException(e);
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
