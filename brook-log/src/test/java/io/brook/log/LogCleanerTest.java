package io.brook.log;

import static io.brook.log.KeyedRecords.delete;
import static io.brook.log.KeyedRecords.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.log.KeyedRecords.BatchInfo;
import io.brook.log.KeyedRecords.Entry;
import io.brook.log.KeyedRecords.KeyValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.CompressionType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogCleanerTest {
    private static final long START_MS = 1_700_000_000_000L;
    private static final long SEGMENT_MS = 60_000;
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    @TempDir
    Path tempDir;

    private final ManualTime time = new ManualTime(START_MS);
    private final List<LogManager> opened = new ArrayList<>();
    private final CompactionModel model = new CompactionModel();

    private int rolls;

    @AfterEach
    void closeManagers() throws IOException {
        for (LogManager manager : opened) {
            manager.close();
        }
    }

    private LogManager openManager() throws IOException {
        LogManager manager =
                LogManager.open(tempDir.resolve("data"), FileSystemStorage.INSTANCE, time, FlushPolicy.NONE);
        opened.add(manager);
        return manager;
    }

    private static LogConfigBuilder compacted() {
        return new LogConfigBuilder()
                .segmentBytes(1024)
                .segmentMs(SEGMENT_MS)
                .segmentIndexBytes(4096)
                .indexIntervalBytes(100)
                .cleanupPolicy(true, false)
                .deleteRetentionMs(DAY_MS);
    }

    /** Appends one batch stamped now and moves the clock on by a millisecond. */
    private AppendResult append(PartitionLog log, Compression compression, KeyValue... records) {
        return append(log, compression, time.milliseconds(), records);
    }

    private AppendResult append(PartitionLog log, Compression compression, long timestamp, KeyValue... records) {
        AppendResult result = log.append(KeyedRecords.batch(compression, timestamp, List.of(records)));
        model.appended(result.firstOffset(), timestamp, List.of(records));
        time.advance(1);
        return result;
    }

    private AppendResult append(PartitionLog log, KeyValue... records) {
        return append(log, Compression.NONE, records);
    }

    /** Closes the active segment: past segment.ms, a new batch (of the key "sentinel") rolls the log. */
    private void roll(PartitionLog log) {
        time.advance(SEGMENT_MS);
        int before = log.segmentCount();
        append(log, put("sentinel", "s" + rolls++));
        assertThat(log.segmentCount()).as("segments after a roll").isGreaterThan(before);
    }

    /** Writes {@code rounds} updates of keys k00..k{keys-1}, one to three records per batch. */
    private void writeRounds(PartitionLog log, Compression compression, int firstRound, int rounds, int keys) {
        for (int round = firstRound; round < firstRound + rounds; round++) {
            for (int key = 0; key < keys; ) {
                int count = Math.min(1 + (key + round) % 3, keys - key);
                KeyValue[] records = new KeyValue[count];
                for (int i = 0; i < count; i++) {
                    String name = String.format("k%02d", key + i);
                    records[i] = put(name, "v" + round + "-" + name + "-" + "x".repeat((key * 7 + round) % 20));
                }
                append(log, compression, records);
                key += count;
            }
        }
    }

    private static long activeBase(PartitionLog log) {
        List<Segment> closed = log.closedSegments();
        return closed.isEmpty()
                ? log.logStartOffset()
                : closed.get(closed.size() - 1).nextOffset();
    }

    private static List<String> segmentFileNames(PartitionLog log) throws IOException {
        try (Stream<Path> files = Files.list(log.directory())) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keepsTheLatestRecordPerKeyWithOffsetsUnchanged() throws IOException {
        // Given: three rounds over 20 keys, k03 deleted and k07 deleted then written again, in several segments
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate("table", 0, compacted().build());
        writeRounds(log, Compression.NONE, 0, 2, 20);
        append(log, delete("k03"), put("k05", "v2-k05"));
        append(log, delete("k07"));
        writeRounds(log, Compression.NONE, 2, 1, 20);
        append(log, put("k07", "back"));
        append(log, delete("k03"));
        roll(log);
        long end = log.logEndOffset();
        long sizeBefore = log.sizeInBytes();
        int segmentsBefore = log.segmentCount();
        long cleanEnd = activeBase(log);

        // When
        CleanResult result = manager.cleanNow(log);

        // Then
        assertThat(result.cleaned()).isTrue();
        assertThat(result.firstDirtyOffset()).isEqualTo(cleanEnd);
        assertThat(result.dirtyRatio()).isEqualTo(1.0);
        List<Entry> records = KeyedRecords.readAll(log);
        assertThat(records).containsExactlyElementsOf(model.afterClean(cleanEnd));
        // Exactly one record per key below the cleaned end: the latest, k03's tombstone included.
        assertThat(records.stream().filter(entry -> entry.offset() < cleanEnd))
                .extracting(Entry::key)
                .doesNotHaveDuplicates()
                .hasSize(20);
        assertThat(records).contains(new Entry(model.lastOffsetOf("k07"), "k07", "back"));
        assertThat(records)
                .filteredOn(entry -> "k03".equals(entry.key()))
                .singleElement()
                .satisfies(entry -> assertThat(entry.value()).isNull());
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.sizeInBytes()).isLessThan(sizeBefore / 2);
        assertThat(log.segmentCount()).isEqualTo(segmentsBefore);
        assertThat(result.recordsRemoved()).isEqualTo(model.written().size() - records.size());
        assertThat(result.bytesBefore() - result.bytesAfter()).isEqualTo(sizeBefore - log.sizeInBytes());
    }

    @Test
    void mergesNeighbouringSegmentsWhoseSizesFitIntoOneAtTheNextClean() throws IOException {
        // Given: a cleaned log, whose cleaned segments are now small, and more data
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate(
                "table", 0, compacted().minCleanableDirtyRatio(0).build());
        writeRounds(log, Compression.NONE, 0, 3, 20);
        roll(log);
        manager.cleanNow(log);
        int segmentsAfterFirstClean = log.segmentCount();
        writeRounds(log, Compression.NONE, 3, 1, 5);
        roll(log);

        // When
        CleanResult result = manager.cleanNow(log);

        // Then
        assertThat(result.segmentsRewritten()).isGreaterThan(1);
        assertThat(log.segmentCount()).isLessThan(segmentsAfterFirstClean);
        assertThat(log.closedSegments())
                .allSatisfy(segment -> assertThat(segment.size()).isLessThanOrEqualTo(1024));
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(activeBase(log)));
        assertThat(segmentFileNames(log).stream().filter(name -> name.endsWith(".log")))
                .hasSize(log.segmentCount());
    }

    @Test
    void readsAtRemovedOffsetsServeTheNextBatchAndTheLogReopensAfterCleaning() throws IOException {
        // Given
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate("table", 0, compacted().build());
        writeRounds(log, Compression.NONE, 0, 4, 10);
        roll(log);
        manager.cleanNow(log);
        List<Entry> cleaned = KeyedRecords.readAll(log);
        long removed = model.written().stream()
                .mapToLong(CompactionModel.Written::offset)
                .filter(offset -> cleaned.stream().noneMatch(entry -> entry.offset() == offset))
                .findFirst()
                .orElseThrow();

        // When
        ByteBuffer batch = log.read(removed, 1, true).records();

        // Then: the batch covering the removed offset, from which a consumer moves on
        assertThat(RecordBatches.baseOffset(batch, 0)).isLessThanOrEqualTo(removed);
        assertThat(RecordBatches.lastOffset(batch, 0)).isGreaterThanOrEqualTo(removed);

        // When: reopened after a clean shutdown (everything trusted)
        manager.close();
        opened.remove(manager);
        LogManager reopened = openManager();
        PartitionLog again = reopened.getOrCreate("table", 0, compacted().build());

        // Then
        assertThat(KeyedRecords.readAll(again)).isEqualTo(cleaned);
        assertThat(reopened.firstDirtyOffset(again)).isEqualTo(activeBase(again));
        assertThat(segmentFileNames(again)).noneMatch(name -> name.endsWith(".swap") || name.endsWith(".cleaned"));

        // When: reopened as after a crash with no recovery point, so that every segment is scanned and checked
        long end = again.logEndOffset();
        again.abandon();
        opened.remove(reopened);
        Files.delete(tempDir.resolve("data").resolve(LogManager.RECOVERY_POINT_FILE));
        LogManager recovered = openManager();
        PartitionLog scanned = recovered.getOrCreate("table", 0, compacted().build());

        // Then: the gaps the cleaner left are covered by empty batches, so recovery cuts nothing
        assertThat(recovered.startedAfterCleanShutdown()).isFalse();
        assertThat(scanned.logEndOffset()).isEqualTo(end);
        assertThat(KeyedRecords.readAll(scanned)).isEqualTo(cleaned);
    }

    @Test
    void removesATombstoneOnlyAfterAnEarlierCleanAndDeleteRetention() throws IOException {
        // Given: a tombstone for k08 and one for k09 whose batch is already two days old when written
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate(
                "table", 0, compacted().minCleanableDirtyRatio(0.01).build());
        writeRounds(log, Compression.NONE, 0, 2, 10);
        append(log, delete("k08"));
        append(log, Compression.NONE, time.milliseconds() - 2 * DAY_MS, delete("k09"));
        roll(log);

        // When: the first clean
        manager.cleanNow(log);

        // Then: both tombstones stay, however old, since they have not been cleaned before
        Entry k08Tombstone = new Entry(model.lastOffsetOf("k08"), "k08", null);
        assertThat(KeyedRecords.readAll(log)).contains(k08Tombstone, new Entry(model.lastOffsetOf("k09"), "k09", null));

        // When: a second clean (of other keys), before delete.retention.ms has passed for k08
        writeRounds(log, Compression.NONE, 2, 1, 8);
        roll(log);
        long firstDirty = manager.firstDirtyOffset(log);
        manager.cleanNow(log);

        // Then: k09's old tombstone is gone, k08's young one stays
        assertThat(KeyedRecords.readAll(log))
                .containsExactlyElementsOf(model.afterClean(activeBase(log), firstDirty, time.milliseconds() - DAY_MS))
                .contains(k08Tombstone)
                .noneMatch(entry -> "k09".equals(entry.key()));

        // When: a day later, a third clean
        time.advance(DAY_MS);
        writeRounds(log, Compression.NONE, 3, 1, 2);
        roll(log);
        firstDirty = manager.firstDirtyOffset(log);
        manager.cleanNow(log);

        // Then
        assertThat(KeyedRecords.readAll(log))
                .containsExactlyElementsOf(model.afterClean(activeBase(log), firstDirty, time.milliseconds() - DAY_MS))
                .noneMatch(entry -> "k08".equals(entry.key()) || "k09".equals(entry.key()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void compactsBatchesOfEveryCodecAndKeepsTheirCodecOffsetsAndProducerFields(String codec) throws IOException {
        // Given: an idempotent producer's batches of four records over six keys, so batches lose some or all records
        Compression compression = Compression.of(CompressionType.forName(codec)).build();
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate("table", 0, compacted().build());
        Map<Long, BatchInfo> original = new LinkedHashMap<>();
        int sequence = 0;
        for (int batch = 0; batch < 30; batch++) {
            KeyValue[] records = new KeyValue[4];
            for (int i = 0; i < 4; i++) {
                String key = "key-" + ((batch * 4 + i) * 5 % 6);
                records[i] = put(key, "value-" + batch + "-" + i + "-" + "y".repeat(batch % 7));
            }
            ByteBuffer bytes =
                    KeyedRecords.batch(compression, time.milliseconds(), 42, (short) 3, sequence, List.of(records));
            AppendResult result = log.append(bytes);
            original.put(
                    result.firstOffset(),
                    new BatchInfo(result.firstOffset(), result.lastOffset(), 4, codec, 42, (short) 3, sequence));
            model.appended(result.firstOffset(), time.milliseconds(), List.of(records));
            sequence += 4;
            time.advance(1);
        }
        roll(log);
        long cleanEnd = activeBase(log);

        // When
        CleanResult result = manager.cleanNow(log);

        // Then
        assertThat(result.recordsRemoved()).isPositive();
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(cleanEnd));
        List<BatchInfo> batches = KeyedRecords.readBatchInfos(log);
        List<BatchInfo> kept = batches.stream()
                .filter(batch -> batch.recordCount() > 0 && batch.baseOffset() < cleanEnd)
                .toList();
        assertThat(kept).isNotEmpty().allSatisfy(batch -> {
            BatchInfo before = original.get(batch.baseOffset());
            assertThat(batch.codec()).isEqualTo(codec);
            assertThat(batch.lastOffset()).isEqualTo(before.lastOffset());
            assertThat(batch.producerId()).isEqualTo(42);
            assertThat(batch.producerEpoch()).isEqualTo((short) 3);
            assertThat(batch.baseSequence()).isEqualTo(before.baseSequence());
        });
        assertThat(kept).anySatisfy(batch -> assertThat(batch.recordCount()).isLessThan(4));
        // Runs of emptied batches are covered by empty batches without a producer.
        assertThat(batches).anySatisfy(batch -> {
            assertThat(batch.recordCount()).isZero();
            assertThat(batch.producerId()).isEqualTo(-1);
        });
    }

    @Test
    void keepsTheLastBatchOfAnIdempotentProducerSoItsSequenceSurvivesAReplay() throws IOException {
        // Given: producer 7's last batch only holds a key that a later plain batch overwrites
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate("table", 0, compacted().build());
        log.append(KeyedRecords.batch(Compression.NONE, time.milliseconds(), 7, (short) 0, 0, List.of(put("a", "1"))));
        log.append(KeyedRecords.batch(Compression.NONE, time.milliseconds(), 7, (short) 0, 1, List.of(put("a", "2"))));
        log.append(KeyedRecords.batch(Compression.NONE, time.milliseconds(), List.of(put("a", "3"))));
        roll(log);
        manager.cleanNow(log);
        List<BatchInfo> batches = KeyedRecords.readBatchInfos(log);
        assertThat(batches.get(0)).isEqualTo(new BatchInfo(0, 0, 0, "none", -1, (short) -1, -1));
        assertThat(batches.get(1)).isEqualTo(new BatchInfo(1, 1, 0, "none", 7, (short) 0, 1));

        // When: reopened without producer snapshots, so the producer state is replayed from the log
        manager.close();
        opened.remove(manager);
        try (Stream<Path> files = Files.list(log.directory())) {
            for (Path file :
                    files.filter(path -> path.toString().endsWith(".snapshot")).toList()) {
                Files.delete(file);
            }
        }
        LogManager reopened = openManager();
        PartitionLog again = reopened.getOrCreate("table", 0, compacted().build());

        // Then: the producer's next sequence is accepted
        AppendResult next = again.append(
                KeyedRecords.batch(Compression.NONE, time.milliseconds(), 7, (short) 0, 2, List.of(put("a", "4"))));
        assertThat(next.duplicate()).isFalse();
        assertThat(next.firstOffset()).isEqualTo(again.logEndOffset() - 1);
    }

    @Test
    void dropsRecordsWithoutAKey() throws IOException {
        // Given
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate("table", 0, compacted().build());
        append(log, put("a", "1"), put(null, "no key"), put("b", "1"));
        append(log, put(null, "no key either"));
        roll(log);
        long cleanEnd = activeBase(log);

        // When
        CleanResult result = manager.cleanNow(log);

        // Then
        assertThat(result.recordsRemoved()).isEqualTo(2);
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(cleanEnd));
    }

    @Test
    void doesNotCleanWhileTheDirtyRatioIsBelowTheMinimum() throws IOException {
        // Given: a cleaned log, then a little more data
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate(
                "table", 0, compacted().minCleanableDirtyRatio(0.5).build());
        writeRounds(log, Compression.NONE, 0, 3, 30);
        roll(log);
        assertThat(manager.cleanNow(log).cleaned()).isTrue();
        writeRounds(log, Compression.NONE, 3, 1, 3);
        roll(log);
        List<Entry> before = KeyedRecords.readAll(log);
        long firstDirty = manager.firstDirtyOffset(log);

        // When
        CleanResult result = manager.cleanNow(log);

        // Then
        assertThat(result.cleaned()).isFalse();
        assertThat(result.dirtyRatio()).isGreaterThan(0).isLessThan(0.5);
        assertThat(KeyedRecords.readAll(log)).isEqualTo(before);
        assertThat(manager.firstDirtyOffset(log)).isEqualTo(firstDirty);

        // When: enough new data
        writeRounds(log, Compression.NONE, 4, 3, 30);
        roll(log);
        CleanResult second = manager.cleanNow(log);

        // Then
        assertThat(second.cleaned()).isTrue();
        assertThat(second.dirtyRatio()).isGreaterThanOrEqualTo(0.5);
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(activeBase(log)));
    }

    @Test
    void doesNotCleanRecordsYoungerThanTheMinCompactionLag() throws IOException {
        // Given: old segments, then young ones that overwrite the same keys
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate(
                "table", 0, compacted().minCompactionLagMs(10 * SEGMENT_MS).build());
        writeRounds(log, Compression.NONE, 0, 3, 10);
        roll(log);
        time.advance(20 * SEGMENT_MS);
        // The next append rolls again (the active segment is older than segment.ms): young records start here.
        long oldEnd = log.logEndOffset();
        writeRounds(log, Compression.NONE, 3, 3, 10);
        roll(log);

        // When
        CleanResult first = manager.cleanNow(log);

        // Then: only the old part is cleaned, and against itself only (the young records do not count yet)
        assertThat(first.cleaned()).isTrue();
        assertThat(first.firstDirtyOffset()).isEqualTo(oldEnd);
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(oldEnd));

        // When: nothing is old enough
        writeRounds(log, Compression.NONE, 6, 3, 10);
        roll(log);
        time.advance(5 * SEGMENT_MS);
        CleanResult tooYoung = manager.cleanNow(log);

        // Then
        assertThat(tooYoung.cleaned()).isFalse();

        // When: once the lag has passed
        time.advance(10 * SEGMENT_MS);
        CleanResult later = manager.cleanNow(log);

        // Then
        assertThat(later.cleaned()).isTrue();
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(activeBase(log)));
    }

    @Test
    void cleansAPrefixWhenTheKeysDoNotFitTheMap() throws IOException {
        // Given: a cleaner that maps at most 15 keys, and 40 keys in many segments
        LogCleaner cleaner = new LogCleaner(time, 15);
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate(
                "table", 0, compacted().minCleanableDirtyRatio(0).build());
        writeRounds(log, Compression.NONE, 0, 2, 40);
        roll(log);
        long end = activeBase(log);

        // When
        CleanResult first = cleaner.clean(log, -1);

        // Then
        assertThat(first.cleaned()).isTrue();
        assertThat(first.firstDirtyOffset()).isGreaterThan(0).isLessThan(end);
        assertPartlyCleaned(KeyedRecords.readAll(log), first.firstDirtyOffset());

        // When: passes until the whole log is clean
        long firstDirty = first.firstDirtyOffset();
        for (int pass = 0; pass < 20 && firstDirty < end; pass++) {
            firstDirty = cleaner.clean(log, firstDirty).firstDirtyOffset();
        }

        // Then
        assertThat(firstDirty).isEqualTo(end);
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(end));
    }

    /**
     * A clean up to {@code cleanEnd} whose map may also have held newer keys from after it: records written, all from
     * {@code cleanEnd} on, the latest of every key, and below {@code cleanEnd} no key twice.
     */
    private void assertPartlyCleaned(List<Entry> records, long cleanEnd) {
        model.assertNoLossNoDuplicates(records, cleanEnd);
        assertThat(records.stream().filter(entry -> entry.offset() < cleanEnd))
                .extracting(Entry::key)
                .doesNotHaveDuplicates();
    }

    @Test
    void appendsAndReadsGoOnWhileTheLogIsCleaned() throws Exception {
        // Given: a writer of 50 keys and a reader that checks every batch of the whole log, both running on
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate(
                "table",
                0,
                compacted().minCleanableDirtyRatio(0).segmentMs(7 * DAY_MS).build());
        int batches = 1500;
        Map<String, String> lastValues = new HashMap<>();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            Random random = new Random(7);
            for (int i = 0; i < batches; i++) {
                String key = "key-" + random.nextInt(50);
                String value = "value-" + i;
                log.append(KeyedRecords.batch(Compression.NONE, START_MS + i, List.of(put(key, value))));
                lastValues.put(key, value);
            }
        });
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            int reads = 0;
            try {
                while (!stop.get()) {
                    KeyedRecords.consume(log);
                    reads++;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return reads;
        });

        // When: the cleaner runs over and over meanwhile
        int passes = 0;
        while (!writer.isDone()) {
            if (manager.cleanNow(log).segmentsRewritten() > 0) {
                passes++;
            }
        }
        writer.get(10, TimeUnit.SECONDS);
        stop.set(true);
        int reads = reader.get(10, TimeUnit.SECONDS);
        manager.cleanNow(log);

        // Then: nothing appended is lost, and the latest value of every key is there once
        assertThat(passes).isPositive();
        assertThat(reads).isPositive();
        assertThat(log.logEndOffset()).isEqualTo(batches);
        Map<String, String> latest = new HashMap<>();
        long previous = -1;
        for (Entry entry : KeyedRecords.readAll(log)) {
            assertThat(entry.offset()).isGreaterThan(previous);
            previous = entry.offset();
            latest.put(entry.key(), entry.value());
        }
        assertThat(latest).isEqualTo(lastValues);
        assertThat(log.sizeInBytes()).isLessThan(batches * 50L);
    }

    @Test
    void checkpointsTheFirstDirtyOffsetAndTheCleanerThreadCleansInTheBackground() throws Exception {
        // Given
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate("table", 0, compacted().build());
        writeRounds(log, Compression.NONE, 0, 4, 10);
        roll(log);
        long cleanEnd = activeBase(log);

        // When
        manager.startBackgroundTasks(60_000, 60_000, Long.MAX_VALUE, 10);

        // Then
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (manager.firstDirtyOffset(log) != cleanEnd && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(manager.firstDirtyOffset(log)).isEqualTo(cleanEnd);
        assertThat(KeyedRecords.readAll(log)).containsExactlyElementsOf(model.afterClean(cleanEnd));
        assertThat(Thread.getAllStackTraces().keySet())
                .anySatisfy(thread -> assertThat(thread.getName()).isEqualTo("brook-log-cleaner"));
        String checkpoint = Files.readString(tempDir.resolve("data").resolve(LogManager.CLEANER_OFFSET_FILE));
        assertThat(checkpoint).isEqualTo("0\n1\ntable-0 " + cleanEnd + "\n");

        // When: reopened
        manager.close();
        opened.remove(manager);
        LogManager reopened = openManager();
        PartitionLog again = reopened.getOrCreate("table", 0, compacted().build());

        // Then
        assertThat(reopened.firstDirtyOffset(again)).isEqualTo(cleanEnd);
        assertThat(reopened.cleanNow(again).cleaned()).isFalse();
    }

    @Test
    void leavesLogsWithoutCompactAlone() throws IOException {
        // Given
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate(
                "plain", 0, compacted().cleanupPolicy(false, true).build());
        writeRounds(log, Compression.NONE, 0, 3, 10);
        roll(log);

        // When
        manager.runCleanerOnce();
        CleanResult result = manager.cleanNow(log);

        // Then
        assertThat(result.cleaned()).isFalse();
        assertThat(KeyedRecords.readAll(log)).isEqualTo(model.entries());
        assertThat(manager.firstDirtyOffset(log)).isEqualTo(-1);
    }

    @Test
    void deletingACompactedLogRemovesItsCheckpointEntry() throws IOException {
        // Given
        LogManager manager = openManager();
        PartitionLog log = manager.getOrCreate("table", 0, compacted().build());
        writeRounds(log, Compression.NONE, 0, 3, 10);
        roll(log);
        manager.cleanNow(log);

        // When
        manager.delete("table", 0);

        // Then
        String checkpoint = Files.readString(tempDir.resolve("data").resolve(LogManager.CLEANER_OFFSET_FILE));
        assertThat(checkpoint).isEqualTo("0\n0\n");
        assertThat(tempDir.resolve("data").resolve("table-0")).doesNotExist();
    }
}
