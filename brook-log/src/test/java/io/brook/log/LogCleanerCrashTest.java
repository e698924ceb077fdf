package io.brook.log;

import static io.brook.log.KeyedRecords.delete;
import static io.brook.log.KeyedRecords.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.log.KeyedRecords.Entry;
import io.brook.log.KeyedRecords.KeyValue;
import io.brook.log.PartitionLog.SwapStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A clean stopped at any point, by a killed process (real files) or a power loss ({@link SimulatedDisk}), loses no
 * record and duplicates none: after recovery each key's latest record is there exactly once, offsets rise, and the
 * next clean completes the job.
 */
class LogCleanerCrashTest {
    private static final long START_MS = 1_700_000_000_000L;
    private static final LogConfig CONFIG = new LogConfigBuilder()
            .segmentBytes(1024)
            .segmentIndexBytes(4096)
            .indexIntervalBytes(100)
            .cleanupPolicy(true, false)
            .build();

    @TempDir
    Path tempDir;

    private final ManualTime time = new ManualTime(START_MS);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() throws IOException {
        for (PartitionLog log : opened) {
            log.close();
        }
    }

    /** Writes rounds of updates over 12 keys, with tombstones, into several segments, the last one left open. */
    private CompactionModel write(PartitionLog log) {
        CompactionModel model = new CompactionModel();
        for (int round = 0; round < 6; round++) {
            for (int key = 0; key < 12; key += 2) {
                List<KeyValue> records = List.of(
                        put("k" + key, "v" + round + "-" + key + "-padding-padding"),
                        round == 2 && key % 3 == 0
                                ? delete("k" + (key + 1))
                                : put("k" + (key + 1), "v" + round + "-" + (key + 1)));
                Compression compression = key % 4 == 0 ? Compression.lz4().build() : Compression.NONE;
                long timestamp = time.milliseconds();
                AppendResult result = log.append(KeyedRecords.batch(compression, timestamp, records));
                model.appended(result.firstOffset(), timestamp, records);
                time.advance(1);
            }
        }
        assertThat(log.segmentCount()).isGreaterThan(3);
        return model;
    }

    private static long activeBase(PartitionLog log) {
        List<Segment> closed = log.closedSegments();
        return closed.get(closed.size() - 1).nextOffset();
    }

    private static void assertNoCleanerFilesLeft(Storage storage, Path directory) throws IOException {
        assertThat(storage.list(directory))
                .extracting(path -> path.getFileName().toString())
                .noneMatch(name -> name.endsWith(Segment.CLEANED_SUFFIX)
                        || name.endsWith(Segment.SWAP_SUFFIX)
                        || name.endsWith(Segment.DELETED_SUFFIX));
    }

    @ParameterizedTest
    @EnumSource(SwapStage.class)
    void aProcessKilledDuringASwapLosesNothingAndTheNextOpenFinishesOrDropsIt(SwapStage stage) throws IOException {
        // Given: a log whose closed segments are all below the checkpointed recovery point (trusted when reopened)
        Path directory = tempDir.resolve("table-0");
        PartitionLog log = PartitionLog.open(FileSystemStorage.INSTANCE, directory, CONFIG, time, false, 0, 0);
        CompactionModel model = write(log);
        log.flush();
        long recoveryPoint = log.recoveryPoint();
        long end = log.logEndOffset();
        long cleanEnd = activeBase(log);
        log.swapObserver(reached -> {
            if (reached == stage) {
                throw new IOException("killed at " + reached);
            }
        });

        // When: the process dies at the stage, and the log is opened again
        assertThatThrownBy(() -> new LogCleaner(time, 1000).clean(log, -1)).hasMessage("killed at " + stage);
        log.abandon();
        List<String> leftOver = fileNames(directory);
        PartitionLog reopened =
                PartitionLog.open(FileSystemStorage.INSTANCE, directory, CONFIG, time, false, recoveryPoint, 0);
        opened.add(reopened);

        // Then
        switch (stage) {
            case CLEANED_WRITTEN -> assertThat(leftOver).anyMatch(name -> name.endsWith(".log.cleaned"));
            case SWAP_COMMITTED ->
                assertThat(leftOver)
                        .anyMatch(name -> name.endsWith(".log.swap"))
                        .anyMatch(name -> name.endsWith(".log"));
            case OLD_FILES_RENAMED ->
                assertThat(leftOver)
                        .anyMatch(name -> name.endsWith(".log.swap"))
                        .anyMatch(name -> name.endsWith(".log.deleted"));
        }
        assertThat(reopened.logStartOffset()).isZero();
        assertThat(reopened.logEndOffset()).isEqualTo(end);
        List<Entry> records = KeyedRecords.readAll(reopened);
        model.assertNoLossNoDuplicates(records, cleanEnd);
        if (stage == SwapStage.CLEANED_WRITTEN) {
            assertThat(records).isEqualTo(model.entries());
        } else {
            // The first group of segments was swapped in, cleaned against every key of the pass; nothing else was.
            long swappedEnd = reopened.closedSegments().get(0).nextOffset();
            assertThat(swappedEnd).isLessThan(cleanEnd);
            assertThat(records).isEqualTo(model.afterPartialClean(swappedEnd, cleanEnd));
        }
        assertNoCleanerFilesLeft(FileSystemStorage.INSTANCE, directory);

        // When: the next clean
        new LogCleaner(time, 1000).clean(reopened, -1);

        // Then
        assertThat(KeyedRecords.readAll(reopened)).isEqualTo(model.afterClean(cleanEnd));
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aPowerLossAtAnyStepOfACleanLosesNothing() throws IOException {
        int step = 1;
        while (true) {
            // Given: a fresh disk with a durable log
            SimulatedDisk disk = new SimulatedDisk();
            Path directory = Path.of("/disk/data/table-0");
            Storage storage = disk.storage();
            storage.createDirectories(directory);
            storage.fsyncDirectory(directory.getParent());
            storage.fsyncDirectory(directory.getParent().getParent());
            storage.fsyncDirectory(Path.of("/"));
            PartitionLog log = PartitionLog.open(storage, directory, CONFIG, time, false, 0, 0);
            CompactionModel model = write(log);
            log.flush();
            long recoveryPoint = log.recoveryPoint();
            long end = log.logEndOffset();
            long cleanEnd = activeBase(log);
            Random random = new Random(step);

            // When: the power fails at the step'th change to the disk during a clean
            disk.crashAfter(step, random);
            try {
                new LogCleaner(time, 1000).clean(log, -1);
            } catch (IOException | RuntimeException e) {
                assertThat(disk.crashes())
                        .as("step %d failed without a power loss: %s", step, e)
                        .isOne();
            }
            disk.disarm();
            if (disk.crashes() == 0) {
                // Then: the clean got through before the step came
                assertThat(KeyedRecords.readAll(log)).isEqualTo(model.afterClean(cleanEnd));
                log.close();
                break;
            }
            PartitionLog reopened = reopen(disk, directory, recoveryPoint, random);

            // Then
            assertThat(reopened.logStartOffset())
                    .as("log start after a power loss at step %d", step)
                    .isZero();
            assertThat(reopened.logEndOffset())
                    .as("log end after a power loss at step %d", step)
                    .isEqualTo(end);
            model.assertNoLossNoDuplicates(KeyedRecords.readAll(reopened), cleanEnd);
            assertNoCleanerFilesLeft(disk.storage(), directory);

            // When: the next clean, without a power loss
            new LogCleaner(time, 1000).clean(reopened, -1);

            // Then
            assertThat(KeyedRecords.readAll(reopened))
                    .as("after a power loss at step %d and another clean", step)
                    .isEqualTo(model.afterClean(cleanEnd));
            reopened.close();
            step++;
        }
        // The clean took this many changes to the disk, each of which was a power-loss point.
        assertThat(step).isGreaterThan(60);
    }

    /** Opens the log after a power loss; half the time the power fails again during recovery first. */
    private PartitionLog reopen(SimulatedDisk disk, Path directory, long recoveryPoint, Random random)
            throws IOException {
        if (random.nextBoolean()) {
            int crashesBefore = disk.crashes();
            disk.crashAfter(1 + random.nextInt(12), random);
            try {
                PartitionLog log = PartitionLog.open(disk.storage(), directory, CONFIG, time, false, recoveryPoint, 0);
                disk.disarm();
                return log;
            } catch (IOException | RuntimeException e) {
                assertThat(disk.crashes())
                        .as("recovery failed without a power loss: %s", e)
                        .isGreaterThan(crashesBefore);
            }
            disk.disarm();
        }
        return PartitionLog.open(disk.storage(), directory, CONFIG, time, false, recoveryPoint, 0);
    }
}
