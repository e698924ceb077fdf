package io.brook.log;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    private static final LogConfig CONFIG =
            new LogConfigBuilder().segmentBytes(1024).segmentIndexBytes(4096).build();

    @TempDir
    Path tempDir;

    private final ManualTime time = new ManualTime(1_700_000_000_000L);
    private final List<LogManager> opened = new ArrayList<>();

    @AfterEach
    void closeManagers() throws IOException {
        for (LogManager manager : opened) {
            manager.close();
        }
    }

    private Path dataDir() {
        return tempDir.resolve("data");
    }

    private LogManager open(Storage storage, Path dataDir, FlushPolicy policy) throws IOException {
        LogManager manager = LogManager.open(dataDir, storage, time, policy);
        opened.add(manager);
        return manager;
    }

    private LogManager open() throws IOException {
        return open(FileSystemStorage.INSTANCE, dataDir(), FlushPolicy.PER_ACK);
    }

    private static void appendBatches(PartitionLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(TestBatches.plain(2, 1_000 + i, 100));
        }
    }

    @Test
    void cleanCloseWritesTheMarkerAndTheNextStartTrustsTheLogs() throws IOException {
        // Given
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate("clicks", 0, CONFIG);
        appendBatches(log, 5);
        assertThat(manager.startedAfterCleanShutdown()).isFalse();

        // When
        manager.close();

        // Then
        Path marker = dataDir().resolve(LogManager.CLEAN_SHUTDOWN_FILE);
        assertThat(marker).exists();
        // A flipped byte in the last batch: a trusted log is not scanned, so it keeps that batch.
        Path activeLog = lastLogFile(dataDir().resolve("clicks-0"));
        flipByte(activeLog, Files.size(activeLog) - 5);
        LogManager reopened = open();
        assertThat(reopened.startedAfterCleanShutdown()).isTrue();
        assertThat(marker).doesNotExist();
        assertThat(reopened.getOrCreate("clicks", 0, CONFIG).logEndOffset()).isEqualTo(10);
    }

    @Test
    void aStartWithoutTheMarkerRecoversTheLogs() throws IOException {
        // Given: a clean close, then a process that starts and dies without closing
        LogManager manager = open();
        appendBatches(manager.getOrCreate("clicks", 0, CONFIG), 5);
        manager.close();
        Path activeLog = lastLogFile(dataDir().resolve("clicks-0"));
        flipByte(activeLog, Files.size(activeLog) - 5);
        LogManager crashed = LogManager.open(dataDir(), FileSystemStorage.INSTANCE, time, FlushPolicy.PER_ACK);

        // When
        LogManager reopened = open();

        // Then
        assertThat(crashed.startedAfterCleanShutdown()).isTrue();
        assertThat(reopened.startedAfterCleanShutdown()).isFalse();
        assertThat(reopened.getOrCreate("clicks", 0, CONFIG).logEndOffset()).isEqualTo(8);
    }

    @Test
    void deleteRemovesThePartitionDirectory() throws IOException {
        // Given
        LogManager manager = open();
        appendBatches(manager.getOrCreate("clicks", 0, CONFIG), 8);
        appendBatches(manager.getOrCreate("clicks", 1, CONFIG), 1);

        // When
        manager.delete("clicks", 0);

        // Then
        assertThat(dataDir().resolve("clicks-0")).doesNotExist();
        assertThat(manager.get("clicks", 0)).isNull();
        assertThat(manager.get("clicks", 1).logEndOffset()).isEqualTo(2);
        assertThat(manager.getOrCreate("clicks", 0, CONFIG).logEndOffset()).isZero();
    }

    @Test
    void checkpointsWriteEachLogsRecoveryPointAndStartAndAreReadBack() throws IOException {
        // Given
        LogManager manager = open();
        PartitionLog first = manager.getOrCreate("clicks", 0, CONFIG);
        PartitionLog second = manager.getOrCreate("clicks", 1, CONFIG);
        appendBatches(first, 10);
        appendBatches(second, 2);
        first.flush();
        manager.deleteRecordsBefore(first, 3);

        // When
        manager.checkpoint();

        // Then
        assertThat(first.recoveryPoint()).isGreaterThan(0);
        assertThat(Files.readString(dataDir().resolve(LogManager.RECOVERY_POINT_FILE)))
                .isEqualTo("0\n2\nclicks-0 " + first.recoveryPoint() + "\nclicks-1 0\n");
        assertThat(Files.readString(dataDir().resolve(LogManager.LOG_START_OFFSET_FILE)))
                .isEqualTo("0\n2\nclicks-0 3\nclicks-1 0\n");
        // Read back by the next (unclean) start: the start offset is not lost with the process.
        LogManager restarted = open();
        assertThat(restarted.startedAfterCleanShutdown()).isFalse();
        assertThat(restarted.getOrCreate("clicks", 0, CONFIG).logStartOffset()).isEqualTo(3);
        assertThat(restarted.getOrCreate("clicks", 1, CONFIG).logEndOffset()).isEqualTo(4);
    }

    @Test
    void aMalformedCheckpointIsIgnored() throws IOException {
        // Given
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate("clicks", 0, CONFIG);
        appendBatches(log, 10);
        manager.deleteRecordsBefore(log, 3);
        Files.writeString(dataDir().resolve(LogManager.LOG_START_OFFSET_FILE), "0\n1\nclicks-0\n", UTF_8);

        // When
        LogManager restarted = open();

        // Then
        PartitionLog recovered = restarted.getOrCreate("clicks", 0, CONFIG);
        assertThat(recovered.logStartOffset()).isZero();
        assertThat(recovered.logEndOffset()).isEqualTo(20);
    }

    @Test
    void createsAMissingDataDirectoryDurably() throws IOException {
        // Given
        SimulatedDisk disk = new SimulatedDisk();
        Storage storage = disk.storage();
        storage.createDirectories(Path.of("/disk"));
        storage.fsyncDirectory(Path.of("/"));
        Path dataDir = Path.of("/disk/brook/data");

        // When
        LogManager manager = open(storage, dataDir, FlushPolicy.PER_ACK);
        PartitionLog log = manager.getOrCreate("clicks", 0, CONFIG);
        appendBatches(log, 3);
        manager.awaitDurable(log, 5).join();
        disk.crash(new Random(1));

        // Then
        LogManager restarted = open(disk.storage(), dataDir, FlushPolicy.PER_ACK);
        assertThat(restarted.getOrCreate("clicks", 0, CONFIG).logEndOffset()).isEqualTo(6);
        opened.remove(manager);
        closeDead(manager);
    }

    @Test
    void flusherGroupCommitsTheWaitersThatArriveDuringAnFsync() throws Exception {
        // Given: the first fsync of the log file blocks until released
        SimulatedDisk disk = new SimulatedDisk();
        Path dataDir = Path.of("/data");
        LogManager manager = open(disk.storage(), dataDir, FlushPolicy.PER_ACK);
        PartitionLog log = manager.getOrCreate(
                "clicks", 0, new LogConfigBuilder().segmentIndexBytes(4096).build());
        Path logFile = dataDir.resolve("clicks-0").resolve(Segment.fileName(0, Segment.LOG_SUFFIX));
        CountDownLatch inForce = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        disk.beforeForce(path -> {
            if (path.equals(logFile) && inForce.getCount() > 0) {
                inForce.countDown();
                await(release);
            }
        });
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        List<CompletableFuture<Integer>> durableBytesAtCompletion = new ArrayList<>();
        List<Integer> bytesNeeded = new ArrayList<>();
        int written = 0;

        // When
        for (int i = 0; i < 100; i++) {
            ByteBuffer batch = TestBatches.plain(1, 1_000 + i, 50);
            written += batch.limit();
            AppendResult result = log.append(batch);
            CompletableFuture<Void> waiter = manager.awaitDurable(log, result.lastOffset());
            waiters.add(waiter);
            bytesNeeded.add(written);
            durableBytesAtCompletion.add(waiter.thenApply(ignored -> disk.durableContent(logFile).length));
            if (i == 0) {
                assertThat(inForce.await(10, TimeUnit.SECONDS)).isTrue();
            }
        }
        boolean anyDoneDuringTheFirstFsync = waiters.stream().anyMatch(CompletableFuture::isDone);
        release.countDown();
        CompletableFuture.allOf(waiters.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);

        // Then
        assertThat(anyDoneDuringTheFirstFsync).isFalse();
        assertThat(disk.forceCount(logFile)).isEqualTo(2);
        for (int i = 0; i < waiters.size(); i++) {
            assertThat(durableBytesAtCompletion.get(i).get(10, TimeUnit.SECONDS))
                    .as("durable bytes when waiter %d completed", i)
                    .isGreaterThanOrEqualTo(bytesNeeded.get(i));
        }
    }

    @Test
    void awaitDurableFailsWhenTheFsyncFails() throws Exception {
        // Given
        SimulatedDisk disk = new SimulatedDisk();
        LogManager manager = open(disk.storage(), Path.of("/data"), FlushPolicy.PER_ACK);
        PartitionLog log = manager.getOrCreate("clicks", 0, CONFIG);
        appendBatches(log, 1);
        disk.crashAfter(1, new Random(1));

        // When
        CompletableFuture<Void> waiter = manager.awaitDurable(log, 1);

        // Then
        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(LogStorageException.class)
                .hasMessage("[log clicks-0] fsync failed below offset 2");
        opened.remove(manager);
        closeDead(manager);
    }

    @Test
    void awaitDurableCompletesAtOnceForFlushedOffsetsAndWithoutPerAckFlushing() throws Exception {
        // Given
        SimulatedDisk disk = new SimulatedDisk();
        LogManager perAck = open(disk.storage(), Path.of("/a"), FlushPolicy.PER_ACK);
        LogManager none = open(disk.storage(), Path.of("/b"), FlushPolicy.NONE);
        PartitionLog flushed = perAck.getOrCreate("clicks", 0, CONFIG);
        PartitionLog unflushed = none.getOrCreate("clicks", 0, CONFIG);
        appendBatches(flushed, 2);
        appendBatches(unflushed, 2);
        flushed.flush();
        int forces = disk.forceCount(Path.of("/a/clicks-0").resolve(Segment.fileName(0, Segment.LOG_SUFFIX)));

        // When
        CompletableFuture<Void> already = perAck.awaitDurable(flushed, 3);
        CompletableFuture<Void> notAsked = none.awaitDurable(unflushed, 3);

        // Then
        assertThat(already).isCompleted();
        assertThat(notAsked).isCompleted();
        assertThat(unflushed.flushedOffset()).isZero();
        assertThat(disk.forceCount(Path.of("/a/clicks-0").resolve(Segment.fileName(0, Segment.LOG_SUFFIX))))
                .isEqualTo(forces);
    }

    @Test
    void awaitDurableAfterCloseFails() throws IOException {
        // Given
        LogManager manager = open();
        PartitionLog log = manager.getOrCreate("clicks", 0, CONFIG);
        appendBatches(log, 1);
        manager.close();

        // When
        CompletableFuture<Void> waiter = manager.awaitDurable(log, 5);

        // Then
        assertThat(waiter).isCompletedExceptionally();
        assertThatThrownBy(waiter::join).hasRootCauseMessage("the broker is shutting down");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(new TimeoutException("latch not released"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void closeDead(LogManager manager) {
        try {
            manager.close();
        } catch (IOException expected) {
            // A dead process's files fail; closing only stops its threads.
        }
    }

    private static Path lastLogFile(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(path -> path.toString().endsWith(Segment.LOG_SUFFIX))
                    .sorted()
                    .reduce((first, second) -> second)
                    .orElseThrow();
        }
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
