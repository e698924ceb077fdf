package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
    private static final long START_MS = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime(START_MS);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() throws IOException {
        for (PartitionLog log : opened) {
            log.close();
        }
    }

    private Path directory() {
        return dataDir.resolve("clicks-0");
    }

    private PartitionLog open(LogConfig config) throws IOException {
        return open(config, false, 0, 0);
    }

    private PartitionLog open(LogConfig config, boolean cleanShutdown, long recoveryPoint, long logStartOffset)
            throws IOException {
        PartitionLog log = PartitionLog.open(
                FileSystemStorage.INSTANCE, directory(), config, time, cleanShutdown, recoveryPoint, logStartOffset);
        opened.add(log);
        return log;
    }

    /** Leaves the log as a killed process would: files as they are, nothing flushed or trimmed. */
    private void stopUncleanly(PartitionLog log) throws IOException {
        log.abandon();
        opened.remove(log);
    }

    private static AppendResult append(PartitionLog log, ByteBuffer batch) {
        return log.append(TestBatches.copy(batch));
    }

    /** Appends batches of {@code records} records each, stamped now, with values of {@code valueBytes} bytes. */
    private List<ByteBuffer> appendBatches(PartitionLog log, int count, int records, int valueBytes) {
        List<ByteBuffer> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer batch = TestBatches.batch()
                    .records(records)
                    .timestamp(time.milliseconds())
                    .valueBytes(valueBytes)
                    .fill(i)
                    .build();
            log.append(batch);
            stored.add(batch);
        }
        return stored;
    }

    private static List<ByteBuffer> readAll(PartitionLog log) throws IOException {
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            List<ByteBuffer> read =
                    TestBatches.wholeBatches(log.read(offset, 1024 * 1024, true).records());
            assertThat(read).as("read at %d", offset).isNotEmpty();
            batches.addAll(read);
            offset = RecordBatches.lastOffset(read.get(read.size() - 1), 0) + 1;
        }
        return batches;
    }

    private List<Long> segmentBaseOffsets() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(Segment.LOG_SUFFIX))
                    .map(name -> Long.parseLong(name.substring(0, name.indexOf('.'))))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void appendAssignsContiguousOffsetsAcrossManyBatches() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder().segmentBytes(2048).build());
        List<ByteBuffer> sent = new ArrayList<>();

        // When
        long expectedNext = 0;
        for (int i = 0; i < 60; i++) {
            ByteBuffer first = TestBatches.plain(1 + i % 4, START_MS + i, 50 + i);
            ByteBuffer request = i % 5 == 0 ? TestBatches.concat(first, TestBatches.plain(2, START_MS, 10)) : first;
            AppendResult result = log.append(request);

            // Then
            assertThat(result.firstOffset()).isEqualTo(expectedNext);
            assertThat(result.duplicate()).isFalse();
            sent.addAll(TestBatches.split(request));
            expectedNext = result.lastOffset() + 1;
            assertThat(log.logEndOffset()).isEqualTo(expectedNext);
        }
        List<ByteBuffer> stored = readAll(log);
        assertThat(stored).hasSize(sent.size());
        long next = 0;
        for (int i = 0; i < stored.size(); i++) {
            ByteBuffer batch = stored.get(i);
            RecordBatches.validate(batch, 0, batch.limit());
            assertThat(RecordBatches.baseOffset(batch, 0)).isEqualTo(next);
            assertThat(batch).isEqualTo(sent.get(i));
            next = RecordBatches.lastOffset(batch, 0) + 1;
        }
        assertThat(next).isEqualTo(log.logEndOffset());
        assertThat(log.segmentCount()).isGreaterThan(3);
    }

    @Test
    void readFromAnyOffsetStartsAtTheWholeBatchContainingIt() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder()
                .segmentBytes(1500)
                .indexIntervalBytes(300)
                .build());
        appendBatches(log, 30, 3, 80);

        for (long offset = 0; offset < log.logEndOffset(); offset++) {
            // When
            ReadResult result = log.read(offset, 1024 * 1024, false);

            // Then
            ByteBuffer bytes = result.records();
            List<ByteBuffer> batches = TestBatches.split(bytes);
            assertThat(RecordBatches.baseOffset(batches.get(0), 0)).isLessThanOrEqualTo(offset);
            assertThat(RecordBatches.lastOffset(batches.get(0), 0)).isGreaterThanOrEqualTo(offset);
            assertThat(result.logStartOffset()).isZero();
            assertThat(result.highWatermark()).isEqualTo(90);
        }
    }

    @Test
    void readHonoursMaxBytesUnlessTheFirstBatchMustBeWhole() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        appendBatches(log, 3, 2, 100);
        int firstSize = TestBatches.split(log.read(0, 1024 * 1024, false).records())
                .get(0)
                .limit();

        // When
        ReadResult atLeastOne = log.read(1, 10, true);
        ReadResult limited = log.read(1, 10, false);
        ReadResult twoBatches = log.read(0, 2 * firstSize, false);

        // Then
        assertThat(TestBatches.split(atLeastOne.records())).hasSize(1);
        assertThat(atLeastOne.sizeInBytes()).isEqualTo(firstSize);
        assertThat(limited.sizeInBytes()).isEqualTo(10);
        assertThat(TestBatches.wholeBatches(limited.records())).isEmpty();
        assertThat(TestBatches.split(twoBatches.records())).hasSize(2);
    }

    @Test
    void readAtTheLogEndIsEmpty() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        appendBatches(log, 2, 5, 10);

        // When
        ReadResult result = log.read(10, 1024, true);

        // Then
        assertThat(result.sizeInBytes()).isZero();
        assertThat(result.highWatermark()).isEqualTo(10);
    }

    @Test
    void readOutsideTheLogSaysWhichOffsetsItHas() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        appendBatches(log, 2, 5, 10);

        // When, Then
        assertThatThrownBy(() -> log.read(11, 1024, true))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessage("offset 11 is out of range for clicks-0, which has offsets 0-10");
        assertThatThrownBy(() -> log.read(-1, 1024, true))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessage("offset -1 is out of range for clicks-0, which has offsets 0-10");
        log.deleteRecordsBefore(5);
        assertThatThrownBy(() -> log.read(4, 1024, true))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessage("offset 4 is out of range for clicks-0, which has offsets 5-10");
    }

    @Test
    void rollsWhenTheNextAppendWouldPassTheSegmentSize() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder().segmentBytes(1024).build());
        int batchSize = TestBatches.plain(1, START_MS, 200).limit();

        // When
        appendBatches(log, 10, 1, 200);

        // Then
        List<Long> expected = new ArrayList<>();
        for (long base = 0; base < 10; base += 1024 / batchSize) {
            expected.add(base);
        }
        assertThat(segmentBaseOffsets()).isEqualTo(expected);
        for (long base : segmentBaseOffsets()) {
            assertThat(Files.size(directory().resolve(Segment.fileName(base, Segment.LOG_SUFFIX))))
                    .isLessThanOrEqualTo(1024);
        }
    }

    @Test
    void rollsWhenTheActiveSegmentIsOlderThanSegmentMs() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder().segmentMs(60_000).build());
        appendBatches(log, 1, 1, 10);
        time.advance(59_999);
        appendBatches(log, 1, 1, 10);
        assertThat(log.segmentCount()).isEqualTo(1);

        // When
        time.advance(1);
        appendBatches(log, 1, 1, 10);

        // Then
        assertThat(segmentBaseOffsets()).containsExactly(0L, 2L);
    }

    @Test
    void rollsWhenAnIndexIsFull() throws IOException {
        // Given: a time index of 5 entries, one per batch since each batch is later than the last
        PartitionLog log = open(new LogConfigBuilder()
                .segmentIndexBytes(64)
                .indexIntervalBytes(0)
                .build());

        // When
        for (int i = 0; i < 12; i++) {
            log.append(TestBatches.plain(1, START_MS + i, 10));
        }

        // Then
        assertThat(segmentBaseOffsets()).containsExactly(0L, 5L, 10L);
        assertThat(readAll(log)).hasSize(12);
    }

    @Test
    void rollsBeforeAnAppendOfSeveralBatchesThatTheIndexCannotTake() throws IOException {
        // Given: four of the five time index entries used
        PartitionLog log = open(new LogConfigBuilder()
                .segmentIndexBytes(64)
                .indexIntervalBytes(0)
                .build());
        for (int i = 0; i < 4; i++) {
            log.append(TestBatches.plain(1, START_MS + i, 10));
        }

        // When
        AppendResult result = log.append(TestBatches.concat(
                TestBatches.plain(1, START_MS + 10, 10),
                TestBatches.plain(1, START_MS + 11, 10),
                TestBatches.plain(1, START_MS + 12, 10)));

        // Then
        assertThat(result.firstOffset()).isEqualTo(4);
        assertThat(segmentBaseOffsets()).containsExactly(0L, 4L);
        assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(START_MS + 12), 0))
                .isEqualTo(6);
    }

    @Test
    void takesAnAppendOfMoreBatchesThanAWholeIndexHolds() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder()
                .segmentIndexBytes(64)
                .indexIntervalBytes(0)
                .build());
        ByteBuffer[] batches = new ByteBuffer[9];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = TestBatches.plain(1, START_MS + i, 10);
        }

        // When
        log.append(TestBatches.concat(batches));

        // Then
        for (int i = 0; i < batches.length; i++) {
            assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(START_MS + i), 0))
                    .isEqualTo(i);
            assertThat(RecordBatches.baseOffset(log.read(i, 1, true).records(), 0))
                    .isEqualTo(i);
        }
    }

    @Test
    void reopensAfterACleanCloseWithoutScanningTheLog() throws IOException {
        // Given
        LogConfig config = new LogConfigBuilder().segmentBytes(1024).build();
        PartitionLog log = open(config);
        appendBatches(log, 10, 2, 100);
        List<ByteBuffer> before = readAll(log);
        log.close();
        List<Long> segments = segmentBaseOffsets();
        // A flipped value byte in the last batch: only a scan of the log would notice it.
        Path activeLog = directory().resolve(Segment.fileName(segments.get(segments.size() - 1), Segment.LOG_SUFFIX));
        long lastBatchPosition = Files.size(activeLog) - before.get(9).limit();
        flipByte(activeLog, lastBatchPosition + RecordBatches.HEADER_SIZE + 20);

        // When
        PartitionLog reopened = open(config, true, 0, 0);

        // Then
        assertThat(reopened.logEndOffset()).isEqualTo(20);
        assertThat(reopened.segmentCount()).isEqualTo(segments.size());
        assertThat(readAll(reopened).subList(0, 9)).isEqualTo(before.subList(0, 9));
        reopened.close();
        PartitionLog scanned = open(config, false, 0, 0);
        assertThat(scanned.logEndOffset()).isEqualTo(18);
    }

    @Test
    void reopensAfterAnUncleanStopWithTheSameEndAndContent() throws IOException {
        // Given
        LogConfig config = new LogConfigBuilder()
                .segmentBytes(1024)
                .indexIntervalBytes(200)
                .build();
        PartitionLog log = open(config);
        appendBatches(log, 25, 2, 100);
        List<ByteBuffer> before = readAll(log);
        stopUncleanly(log);

        // When
        PartitionLog reopened = open(config, false, 0, 0);

        // Then
        assertThat(reopened.logEndOffset()).isEqualTo(50);
        assertThat(readAll(reopened)).isEqualTo(before);
        for (long offset = 0; offset < 50; offset++) {
            ByteBuffer first = reopened.read(offset, 1, true).records();
            assertThat(RecordBatches.baseOffset(first, 0)).isEqualTo(offset - offset % 2);
        }
        appendBatches(reopened, 1, 1, 10);
        assertThat(reopened.logEndOffset()).isEqualTo(51);
    }

    @Test
    void reopensAfterAnUncleanStopFromItsRecoveryPoint() throws IOException {
        // Given
        LogConfig config = new LogConfigBuilder().segmentBytes(1024).build();
        PartitionLog log = open(config);
        appendBatches(log, 25, 2, 100);
        log.flush();
        long recoveryPoint = log.recoveryPoint();
        appendBatches(log, 3, 1, 10);
        List<ByteBuffer> before = readAll(log);
        stopUncleanly(log);

        // When
        PartitionLog reopened = open(config, false, recoveryPoint, 0);

        // Then
        assertThat(recoveryPoint).isGreaterThan(0);
        assertThat(reopened.logEndOffset()).isEqualTo(53);
        assertThat(readAll(reopened)).isEqualTo(before);
    }

    @Test
    void aReopenedLogHasItsActiveSegmentAsRecoveryPoint() throws IOException {
        // Given
        LogConfig config = new LogConfigBuilder().segmentBytes(1024).build();
        PartitionLog log = open(config);
        appendBatches(log, 10, 1, 180); // 250-byte batches: segments 0, 4, 8
        log.close();

        // When
        PartitionLog reopened = open(config, true, 0, 0);

        // Then: checkpointed now, the next start need not scan the closed segments
        assertThat(reopened.recoveryPoint()).isEqualTo(8);
    }

    @Test
    void retentionByTimeDeletesExpiredClosedSegmentsAndMovesTheLogStart() throws IOException {
        // Given
        PartitionLog log = open(
                new LogConfigBuilder().segmentBytes(1024).retentionMs(60_000).build());
        appendBatches(log, 10, 1, 180); // 250-byte batches: segments 0, 4, 8
        time.advance(30_000);
        appendBatches(log, 4, 1, 180); // fills segment 8 and starts 12
        time.advance(30_001);

        // When
        int deleted = log.applyRetention();

        // Then
        assertThat(deleted).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(8);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThatThrownBy(() -> log.read(7, 1024, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(RecordBatches.baseOffset(log.read(8, 1024, true).records(), 0))
                .isEqualTo(8);
        log.applyRetention();
        assertThat(segmentBaseOffsets()).containsExactly(8L, 12L);
    }

    @Test
    void retentionNeverDeletesTheActiveSegment() throws IOException {
        // Given
        PartitionLog log = open(
                new LogConfigBuilder().segmentBytes(1024).retentionMs(1_000).build());
        appendBatches(log, 10, 1, 180); // 250-byte batches: segments 0, 4, 8
        time.advance(10_000);

        // When
        log.applyRetention();
        log.applyRetention();

        // Then
        assertThat(segmentBaseOffsets()).containsExactly(8L);
        assertThat(log.logStartOffset()).isEqualTo(8);
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(readAll(log)).hasSize(2);
    }

    @Test
    void retentionDeletesNothingByTimeOrSizeWhenThePolicyIsCompactOnly() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder()
                .segmentBytes(1024)
                .retentionMs(1_000)
                .retentionBytes(300)
                .cleanupPolicy(true, false)
                .build());
        appendBatches(log, 10, 1, 180); // 250-byte batches: segments 0, 4, 8
        time.advance(10_000);

        // When
        int deleted = log.applyRetention();

        // Then
        assertThat(deleted).isZero();
        assertThat(segmentBaseOffsets()).containsExactly(0L, 4L, 8L);
        assertThat(log.logStartOffset()).isZero();
        assertThat(readAll(log)).hasSize(10);
    }

    @Test
    void retentionDeletesByTimeWhenThePolicyIsCompactAndDelete() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder()
                .segmentBytes(1024)
                .retentionMs(1_000)
                .cleanupPolicy(true, true)
                .build());
        appendBatches(log, 10, 1, 180); // 250-byte batches: segments 0, 4, 8
        time.advance(10_000);

        // When
        int deleted = log.applyRetention();

        // Then
        assertThat(deleted).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(8);
    }

    @Test
    void retentionByBytesDeletesTheOldestSegmentsWhileTheRestStillReachesTheLimit() throws IOException {
        // Given
        PartitionLog log = open(
                new LogConfigBuilder().segmentBytes(1024).retentionBytes(2000).build());
        appendBatches(log, 14, 1, 180); // four segments: 0, 4, 8 of 4 batches each, 12 of 2
        long batchSize = TestBatches.plain(1, START_MS, 180).limit();

        // When
        int deleted = log.applyRetention();

        // Then: 14 batches; without the first segment 10 remain (>= 2000 bytes), without two 6 (< 2000)
        assertThat(10 * batchSize).isGreaterThanOrEqualTo(2000);
        assertThat(6 * batchSize).isLessThan(2000);
        assertThat(deleted).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.sizeInBytes()).isEqualTo(10 * batchSize);
    }

    @Test
    void deleteRecordsBeforeMovesTheStartAndDropsWhollyEarlierSegments() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder().segmentBytes(1024).build());
        appendBatches(log, 10, 1, 180); // 250-byte batches: segments 0, 4, 8

        // When
        long start = log.deleteRecordsBefore(5);

        // Then
        assertThat(start).isEqualTo(5);
        assertThat(log.logStartOffset()).isEqualTo(5);
        assertThat(log.segmentCount()).isEqualTo(2);
        ReadResult result = log.read(5, 1024, true);
        assertThat(result.logStartOffset()).isEqualTo(5);
        assertThat(RecordBatches.baseOffset(result.records(), 0)).isEqualTo(5);
        assertThat(log.deleteRecordsBefore(2)).isEqualTo(5);
    }

    @Test
    void deleteRecordsBeforeRejectsAnOffsetPastTheLogEnd() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        appendBatches(log, 2, 5, 10);

        // When, Then
        assertThatThrownBy(() -> log.deleteRecordsBefore(11))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessage("cannot delete records of clicks-0 before offset 11; the log has offsets 0-10");
        assertThatThrownBy(() -> log.deleteRecordsBefore(-1))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessage("cannot delete records of clicks-0 before offset -1; the log has offsets 0-10");
        assertThat(log.deleteRecordsBefore(10)).isEqualTo(10);
    }

    @Test
    void findsTheFirstBatchAtOrAfterATimestampAcrossSegments() throws IOException {
        // Given
        PartitionLog log = open(
                new LogConfigBuilder().segmentBytes(1024).indexIntervalBytes(0).build());
        long[] timestamps = {100, 300, 200, 500, 400, 600, 250};
        for (long timestamp : timestamps) {
            log.append(TestBatches.plain(1, timestamp, 200));
        }

        // When, Then
        assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(50), 0)).isEqualTo(0);
        assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(100), 0))
                .isEqualTo(0);
        assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(150), 0))
                .isEqualTo(1);
        assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(450), 0))
                .isEqualTo(3);
        assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(550), 0))
                .isEqualTo(5);
        assertThat(log.batchAtOrAfterTimestamp(601)).isNull();
        ByteBuffer newest = log.batchWithMaxTimestamp();
        assertThat(RecordBatches.baseOffset(newest, 0)).isEqualTo(5);
        RecordBatches.validate(newest, 0, newest.limit());
    }

    @Test
    void timestampLookupsSkipRecordsBeforeTheLogStart() throws IOException {
        // Given: one segment, the start moved into its middle
        PartitionLog log = open(new LogConfigBuilder().indexIntervalBytes(0).build());
        for (long timestamp : new long[] {100, 200, 300, 400}) {
            log.append(TestBatches.plain(1, timestamp, 20));
        }
        log.deleteRecordsBefore(2);

        // When
        ByteBuffer batch = log.batchAtOrAfterTimestamp(150);

        // Then
        assertThat(batch).isNotNull();
        assertThat(RecordBatches.baseOffset(batch, 0)).isEqualTo(2);
    }

    @Test
    void hasNoTimestampAnswersWhenEmpty() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());

        // When
        ByteBuffer atOrAfter = log.batchAtOrAfterTimestamp(0);
        ByteBuffer newest = log.batchWithMaxTimestamp();

        // Then
        assertThat(atOrAfter).isNull();
        assertThat(newest).isNull();
    }

    @Test
    void logAppendTimeStampsEachBatchWithTheBrokerClock() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder().logAppendTime(true).build());
        time.advance(5_000);

        // When
        AppendResult result =
                log.append(TestBatches.concat(TestBatches.plain(2, 100, 10), TestBatches.plain(1, 200, 10)));

        // Then
        assertThat(result.logAppendTime()).isEqualTo(START_MS + 5_000);
        List<ByteBuffer> stored = readAll(log);
        assertThat(stored).hasSize(2);
        for (ByteBuffer batch : stored) {
            RecordBatches.validate(batch, 0, batch.limit());
            assertThat(RecordBatches.maxTimestamp(batch, 0)).isEqualTo(START_MS + 5_000);
            assertThat(RecordBatches.attributes(batch, 0) & 0x08).isEqualTo(0x08);
        }
        assertThat(RecordBatches.baseOffset(log.batchAtOrAfterTimestamp(START_MS), 0))
                .isZero();
    }

    @Test
    void createTimeLeavesBatchesAsSent() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer sent = TestBatches.plain(2, 100, 10);

        // When
        AppendResult result = append(log, sent);

        // Then
        assertThat(result.logAppendTime()).isEqualTo(-1);
        assertThat(readAll(log)).containsExactly(sent);
    }

    @Test
    void rejectsMalformedAndUnsupportedRequestsWithTheirMessages() throws IOException {
        // Given
        PartitionLog log = open(new LogConfigBuilder().maxMessageBytes(100).build());
        ByteBuffer transactional = TestBatches.plain(1, 100, 10);
        transactional.putShort(RecordBatches.ATTRIBUTES, (short) 0x10);
        TestBatches.fixCrc(transactional, 0);
        ByteBuffer gappy = TestBatches.plain(2, 100, 10);
        gappy.putInt(RecordBatches.LAST_OFFSET_DELTA, 2);
        TestBatches.fixCrc(gappy, 0);
        int large = TestBatches.plain(1, 100, 50).limit();

        // When, Then
        assertThatThrownBy(() -> log.append(ByteBuffer.allocate(0)))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("produce request for clicks-0 has no record batches");
        assertThatThrownBy(() -> log.append(TestBatches.plain(1, 100, 50)))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessage("record batch of " + large + " bytes for clicks-0 exceeds max.message.bytes (100)");
        assertThatThrownBy(() -> log.append(transactional))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch for clicks-0 is transactional; Brook does not support transactions yet");
        assertThatThrownBy(() -> log.append(gappy))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch for clicks-0 has 2 records but last offset delta 2; a producer's batch has"
                        + " deltas 0..1");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void closeIsIdempotentAndAppendsAfterItFail() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        appendBatches(log, 1, 1, 10);

        // When
        log.close();
        log.close();

        // Then
        assertThatThrownBy(() -> log.append(TestBatches.plain(1, 100, 10)))
                .isInstanceOf(LogStorageException.class)
                .hasMessage("log clicks-0 is closed");
    }

    @Test
    void duplicateFromAnIdempotentProducerGetsTheOriginalOffsetsAndIsNotWrittenAgain() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        appendBatches(log, 1, 3, 10);
        ByteBuffer batch = idempotent(7, 0, 0, 2);
        AppendResult first = append(log, batch);

        // When
        AppendResult retry = append(log, batch);

        // Then
        assertThat(first.duplicate()).isFalse();
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(3);
        assertThat(retry.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(readAll(log)).hasSize(2);
    }

    @Test
    void remembersTheLastFiveBatchesOfAProducer() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        for (int sequence = 0; sequence < 6; sequence++) {
            append(log, idempotent(7, 0, sequence, 1));
        }

        // When, Then
        assertThat(append(log, idempotent(7, 0, 1, 1)).firstOffset()).isEqualTo(1);
        assertThatThrownBy(() -> append(log, idempotent(7, 0, 0, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Out of order sequence number for producer 7 at clicks-0: found 0 (incoming seq. number), 5"
                        + " (current end sequence number)");
    }

    @Test
    void rejectsASequenceThatSkipsAhead() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        append(log, idempotent(7, 0, 0, 3));

        // When, Then
        assertThatThrownBy(() -> append(log, idempotent(7, 0, 5, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Out of order sequence number for producer 7 at clicks-0: found 5 (incoming seq. number), 2"
                        + " (current end sequence number)");
        assertThatThrownBy(() -> append(log, idempotent(8, 0, 3, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Out of order sequence number for producer 8 at clicks-0: found 3 (incoming seq. number),"
                        + " but the producer is unknown, so it must start at 0");
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void rejectsAnOlderEpochAndANewEpochThatDoesNotStartAtZero() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());
        append(log, idempotent(7, 2, 0, 1));

        // When, Then
        assertThatThrownBy(() -> append(log, idempotent(7, 1, 1, 1)))
                .isInstanceOf(InvalidProducerEpochException.class)
                .hasMessage("Epoch of producer 7 at clicks-0 is 1, which is smaller than the last seen epoch 2");
        assertThatThrownBy(() -> append(log, idempotent(7, 3, 5, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Invalid sequence number for new epoch of producer 7 at clicks-0: 3 (request epoch), 5"
                        + " (seq. number), 2 (current producer epoch)");
        assertThat(append(log, idempotent(7, 3, 0, 1)).firstOffset()).isEqualTo(1);
    }

    @Test
    void rejectsSeveralBatchesFromAnIdempotentProducerInOneRequest() throws IOException {
        // Given
        PartitionLog log = open(LogConfig.defaults());

        // When, Then
        assertThatThrownBy(() -> log.append(TestBatches.concat(idempotent(7, 0, 0, 1), idempotent(7, 0, 1, 1))))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("idempotent producer 7 sent 2 batches for clicks-0 in one request; only one is allowed");
    }

    @Test
    void producerStateSurvivesACleanReopen() throws IOException {
        // Given
        LogConfig config = LogConfig.defaults();
        PartitionLog log = open(config);
        append(log, idempotent(7, 0, 0, 2));
        append(log, idempotent(7, 0, 2, 2));
        log.close();

        // When
        PartitionLog reopened = open(config, true, 0, 0);

        // Then
        AppendResult retry = append(reopened, idempotent(7, 0, 2, 2));
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(2);
        assertThatThrownBy(() -> append(reopened, idempotent(7, 0, 5, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(append(reopened, idempotent(7, 0, 4, 1)).firstOffset()).isEqualTo(4);
    }

    @Test
    void producerStateSurvivesAnUncleanStopAfterRolls() throws IOException {
        // Given: rolls write snapshots; the batches after the last one are replayed
        LogConfig config = new LogConfigBuilder().segmentBytes(1024).build();
        PartitionLog log = open(config);
        List<AppendResult> results = new ArrayList<>();
        for (int sequence = 0; sequence < 20; sequence++) {
            results.add(append(log, idempotent(7, 0, sequence, 1, 150)));
            appendBatches(log, 1, 1, 150);
        }
        assertThat(log.segmentCount()).isGreaterThan(4);
        stopUncleanly(log);

        // When
        PartitionLog reopened = open(config, false, 0, 0);

        // Then
        for (int sequence = 15; sequence < 20; sequence++) {
            AppendResult retry = append(reopened, idempotent(7, 0, sequence, 1, 150));
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.firstOffset()).isEqualTo(results.get(sequence).firstOffset());
        }
        assertThatThrownBy(() -> append(reopened, idempotent(7, 0, 14, 1, 150)))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(append(reopened, idempotent(7, 0, 20, 1, 150)).duplicate()).isFalse();
    }

    @Test
    void producerStateIsReplayedFromTheWholeLogWithoutASnapshot() throws IOException {
        // Given
        LogConfig config = new LogConfigBuilder().segmentBytes(1024).build();
        PartitionLog log = open(config);
        for (int sequence = 0; sequence < 10; sequence++) {
            append(log, idempotent(7, 0, sequence, 1, 150));
        }
        stopUncleanly(log);
        try (Stream<Path> files = Files.list(directory())) {
            for (Path snapshot :
                    files.filter(path -> path.toString().endsWith(".snapshot")).toList()) {
                Files.delete(snapshot);
            }
        }

        // When
        PartitionLog reopened = open(config, false, 0, 0);

        // Then
        assertThat(reopened.producerCount()).isEqualTo(1);
        assertThat(append(reopened, idempotent(7, 0, 9, 1, 150)).firstOffset()).isEqualTo(9);
        assertThat(append(reopened, idempotent(7, 0, 10, 1, 150)).firstOffset()).isEqualTo(10);
    }

    private static ByteBuffer idempotent(long producerId, int epoch, int sequence, int records) {
        return idempotent(producerId, epoch, sequence, records, 10);
    }

    private static ByteBuffer idempotent(long producerId, int epoch, int sequence, int records, int valueBytes) {
        return TestBatches.batch()
                .records(records)
                .valueBytes(valueBytes)
                .producer(producerId, (short) epoch, sequence)
                .build();
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            channel.write(one, position);
        }
    }
}
