package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * The headline durability test: logs written through a {@link LogManager} on a {@link SimulatedDisk} that loses power
 * at random moments, also in the middle of a write, a roll, a clean shutdown or a recovery. After every recovery each
 * acknowledged batch must be there with its exact bytes, offsets must run on without a gap from the log start, every
 * batch served must be valid and be what was written at its offset, idempotent producers must be recognised, and the
 * log must take appends that survive the next power loss.
 */
class PowerLossTest {
    private static final Path DATA_DIR = Path.of("/disk/brook/data");
    private static final String TOPIC = "events";
    private static final int ROUNDS = 3;

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void perAckFlushingNeverLosesAnAcknowledgedBatch(@ForAll long seed) throws IOException {
        // Given
        Simulation simulation = new Simulation(seed, FlushPolicy.PER_ACK);

        // When, Then: each recovery is checked against what was acknowledged before the power failed
        simulation.run();
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void withoutFlushingTheRecoveredLogIsStillValid(@ForAll long seed) throws IOException {
        // Given
        Simulation simulation = new Simulation(seed, FlushPolicy.NONE);

        // When, Then: nothing is acknowledged before a crash, yet every recovered log is valid and contiguous
        simulation.run();
    }

    /** One try: rounds of random work, each ended by a power loss and checked after recovery. */
    private static final class Simulation {
        private final long seed;
        private final FlushPolicy policy;
        private final Random random;
        private final SimulatedDisk disk = new SimulatedDisk();
        private final ManualTime time = new ManualTime(1_700_000_000_000L);
        private final LogConfig config;
        private final List<PartitionModel> partitions = new ArrayList<>();
        private LogManager manager;
        private boolean cleanShutdownCompleted;

        Simulation(long seed, FlushPolicy policy) {
            this.seed = seed;
            this.policy = policy;
            this.random = new Random(seed);
            int[] indexIntervals = {0, 200, 4096};
            int[] indexSizes = {64, 240, 4096};
            this.config = new LogConfig(
                    4096,
                    7L * 24 * 60 * 60 * 1000,
                    -1,
                    -1,
                    1024 * 1024,
                    indexIntervals[random.nextInt(indexIntervals.length)],
                    indexSizes[random.nextInt(indexSizes.length)],
                    random.nextInt(4) == 0,
                    policy);
            int partitionCount = 1 + random.nextInt(3);
            for (int partition = 0; partition < partitionCount; partition++) {
                partitions.add(new PartitionModel(partition, 1000L + partition));
            }
        }

        void run() throws IOException {
            // The operator made the directory above the data directory; Brook creates the data directory itself.
            Storage operator = disk.storage();
            operator.createDirectories(DATA_DIR.getParent());
            operator.fsyncDirectory(DATA_DIR.getParent().getParent());
            operator.fsyncDirectory(Path.of("/"));
            openAndVerify();
            for (int round = 0; round < ROUNDS; round++) {
                runUntilPowerLoss();
                recover();
            }
            closeDeadManager();
        }

        private void runUntilPowerLoss() throws IOException {
            int steps = 10 + random.nextInt(70);
            boolean crashMidOperation = random.nextBoolean();
            int crashStep = random.nextInt(steps);
            int crashesBefore = disk.crashes();
            for (int step = 0; step < steps && disk.crashes() == crashesBefore; step++) {
                if (crashMidOperation && step == crashStep) {
                    disk.crashAfter(1 + random.nextInt(12), new Random(random.nextLong()));
                }
                try {
                    randomStep();
                } catch (IOException | RuntimeException e) {
                    if (disk.crashes() == crashesBefore) {
                        throw new AssertionError("seed " + seed + ": step failed without a power loss", e);
                    }
                }
            }
            disk.disarm();
            if (disk.crashes() == crashesBefore) {
                disk.crash(new Random(random.nextLong()));
            }
            closeDeadManager();
        }

        /** Opens the logs after a power loss; sometimes the power fails again while they recover. */
        private void recover() throws IOException {
            while (true) {
                int crashesBefore = disk.crashes();
                if (random.nextInt(3) == 0) {
                    disk.crashAfter(1 + random.nextInt(30), new Random(random.nextLong()));
                }
                try {
                    openAndVerify();
                    disk.disarm();
                    return;
                } catch (IOException | RuntimeException e) {
                    if (disk.crashes() == crashesBefore) {
                        throw e;
                    }
                    closeDeadManager();
                }
            }
        }

        private void randomStep() throws IOException {
            PartitionModel partition = partitions.get(random.nextInt(partitions.size()));
            PartitionLog log = manager.get(TOPIC, partition.partition);
            int choice = random.nextInt(100);
            if (choice < 45) {
                appendPlain(partition, log);
            } else if (choice < 65) {
                appendIdempotent(partition, log);
            } else if (choice < 70) {
                retryLastIdempotent(partition, log);
            } else if (choice < 85) {
                if (policy == FlushPolicy.PER_ACK) {
                    // As the produce path does for acks=all: wait for the flusher's group commit.
                    manager.awaitDurable(log, log.logEndOffset() - 1).join();
                    partition.acknowledge(log.flushedOffset());
                }
            } else if (choice < 89) {
                if (policy == FlushPolicy.PER_ACK) {
                    partition.acknowledge(log.flush());
                }
            } else if (choice < 93) {
                manager.checkpoint();
            } else if (choice < 95) {
                deleteRecords(partition, log);
            } else if (choice < 97) {
                time.advance(1 + random.nextInt(1000));
            } else {
                restartCleanly();
            }
        }

        private void appendPlain(PartitionModel partition, PartitionLog log) {
            ByteBuffer[] batches = new ByteBuffer[1 + random.nextInt(3)];
            for (int i = 0; i < batches.length; i++) {
                batches[i] = randomBatch().build();
            }
            ByteBuffer request = TestBatches.concat(batches);
            long end = log.logEndOffset();
            try {
                AppendResult result = log.append(request);
                assertThat(result.duplicate()).isFalse();
                partition.end = result.lastOffset() + 1;
            } finally {
                partition.recordWritten(request, end);
            }
        }

        private void appendIdempotent(PartitionModel partition, PartitionLog log) {
            ByteBuffer original = randomBatch()
                    .producer(partition.producerId, (short) 0, partition.nextSequence)
                    .build();
            ByteBuffer request = TestBatches.copy(original);
            long end = log.logEndOffset();
            try {
                AppendResult result = log.append(request);
                assertThat(result.duplicate())
                        .as("seed %d: a new sequence is no duplicate", seed)
                        .isFalse();
                partition.nextSequence += RecordBatches.recordCount(original, 0);
                partition.end = result.lastOffset() + 1;
            } finally {
                Written written = partition.recordWritten(request, end);
                if (written != null) {
                    written.original = TestBatches.bytes(original);
                }
            }
        }

        private void retryLastIdempotent(PartitionModel partition, PartitionLog log) {
            Written last = partition.lastIdempotent();
            if (last == null) {
                return;
            }
            AppendResult result = log.append(ByteBuffer.wrap(last.original.clone()));
            assertThat(result.duplicate())
                    .as("seed %d: a retried batch is a duplicate", seed)
                    .isTrue();
            assertThat(result.firstOffset()).isEqualTo(last.baseOffset);
            assertThat(result.lastOffset()).isEqualTo(last.lastOffset);
        }

        private void deleteRecords(PartitionModel partition, PartitionLog log) throws IOException {
            long start = log.logStartOffset();
            long offset = start + random.nextInt((int) (log.logEndOffset() - start) + 1);
            partition.requestedStart = Math.max(partition.requestedStart, offset);
            // Durable on return: the log manager checkpoints the new start before it answers.
            long newStart = manager.deleteRecordsBefore(log, offset);
            partition.durableStart = Math.max(partition.durableStart, newStart);
        }

        private TestBatches.Builder randomBatch() {
            return TestBatches.batch()
                    .records(1 + random.nextInt(5))
                    .timestamp(time.milliseconds() + random.nextInt(100))
                    .valueBytes(random.nextInt(400))
                    .fill(random.nextInt(256));
        }

        private void restartCleanly() throws IOException {
            manager.close();
            manager = null;
            cleanShutdownCompleted = true;
            openAndVerify();
        }

        private void openAndVerify() throws IOException {
            manager = LogManager.open(DATA_DIR, disk.storage(), time, policy);
            boolean afterCleanShutdown = cleanShutdownCompleted;
            cleanShutdownCompleted = false;
            assertThat(manager.startedAfterCleanShutdown())
                    .as("seed %d: clean-shutdown marker", seed)
                    .isEqualTo(afterCleanShutdown);
            for (PartitionModel partition : partitions) {
                PartitionLog log = manager.getOrCreate(TOPIC, partition.partition, config);
                verify(partition, log, afterCleanShutdown);
                verifyProducerState(partition, log);
            }
        }

        private void verify(PartitionModel partition, PartitionLog log, boolean afterCleanShutdown) throws IOException {
            String context = "seed " + seed + ", partition " + partition.partition;
            long start = log.logStartOffset();
            long end = log.logEndOffset();
            assertThat(end)
                    .as(context + ": log end vs acknowledged end")
                    .isGreaterThanOrEqualTo(partition.acknowledged);
            assertThat(start)
                    .as(context + ": log start")
                    .isBetween(Math.min(partition.durableStart, end), partition.requestedStart);
            if (afterCleanShutdown) {
                assertThat(end).as(context + ": log end after a clean shutdown").isEqualTo(partition.end);
            }
            long expected = -1;
            long offset = start;
            while (offset < end) {
                List<ByteBuffer> batches =
                        TestBatches.split(log.read(offset, 8192, true).records());
                assertThat(batches).as(context + ": read at " + offset).isNotEmpty();
                for (ByteBuffer batch : batches) {
                    RecordBatches.validate(batch, 0, batch.limit());
                    long base = RecordBatches.baseOffset(batch, 0);
                    if (expected < 0) {
                        // The log may start inside its first batch.
                        assertThat(base).as(context + ": first batch").isLessThanOrEqualTo(start);
                    } else {
                        assertThat(base)
                                .as(context + ": batch after offset " + (expected - 1))
                                .isEqualTo(expected);
                    }
                    checkWritten(context, partition, base, TestBatches.bytes(batch));
                    expected = RecordBatches.lastOffset(batch, 0) + 1;
                }
                offset = expected;
            }
            assertThat(offset).as(context + ": batches end at the log end").isEqualTo(end);
            for (long at = start; at < end; at++) {
                ByteBuffer first = log.read(at, 1, true).records();
                assertThat(RecordBatches.baseOffset(first, 0)).as(context).isLessThanOrEqualTo(at);
                assertThat(RecordBatches.lastOffset(first, 0)).as(context).isGreaterThanOrEqualTo(at);
            }
            // What survived is on the disk now; what did not is gone for good.
            partition.written.values().removeIf(batch -> batch.lastOffset >= end);
            partition.acknowledged = end;
            partition.end = end;
            partition.start = start;
            partition.requestedStart = Math.max(partition.requestedStart, start);
            partition.durableStart = start;
        }

        private static void checkWritten(String context, PartitionModel partition, long base, byte[] served) {
            Written written = partition.written.get(base);
            assertThat(written)
                    .as(context + ": a batch at " + base + " was written")
                    .isNotNull();
            if (written.lastOffset < partition.acknowledged) {
                assertSameBytes(context + ": acknowledged batch at " + base, served, written.stored);
            } else {
                // A torn write may garble the partition leader epoch, which no checksum covers; what survived is
                // what the log holds from now on.
                assertSameBytes(
                        context + ": unacknowledged batch at " + base,
                        withoutLeaderEpoch(served),
                        withoutLeaderEpoch(written.stored));
                written.stored = served;
            }
        }

        private void verifyProducerState(PartitionModel partition, PartitionLog log) {
            Written last = partition.lastIdempotent();
            if (last == null) {
                partition.nextSequence = 0;
                return;
            }
            if (last.baseOffset < partition.start) {
                // Its batches went with the log start; a real producer would start over as well.
                partition.producerId += 100;
                partition.nextSequence = 0;
                return;
            }
            AppendResult retry = log.append(ByteBuffer.wrap(last.original.clone()));
            assertThat(retry.duplicate())
                    .as(
                            "seed %d, partition %d: retry of the last batch at %d after recovery",
                            seed, partition.partition, last.baseOffset)
                    .isTrue();
            assertThat(retry.firstOffset()).isEqualTo(last.baseOffset);
            partition.nextSequence = last.baseSequence + (int) (last.lastOffset - last.baseOffset + 1);
        }

        private static void assertSameBytes(String description, byte[] actual, byte[] expected) {
            int differsAt = Arrays.mismatch(actual, expected);
            assertThat(differsAt)
                    .as(
                            "%s: %d bytes, expected %d; first difference at byte %d",
                            description, actual.length, expected.length, differsAt)
                    .isEqualTo(-1);
        }

        private static byte[] withoutLeaderEpoch(byte[] batch) {
            byte[] copy = batch.clone();
            Arrays.fill(copy, RecordBatches.PARTITION_LEADER_EPOCH, RecordBatches.MAGIC, (byte) 0);
            return copy;
        }

        private void closeDeadManager() {
            if (manager == null) {
                return;
            }
            try {
                // After a power loss this only stops the dead process's threads: each of its file handles fails.
                manager.close();
            } catch (IOException | RuntimeException expected) {
                // Nothing of a dead process reaches the disk.
            }
            manager = null;
        }
    }

    /** What the test wrote to one partition and what it was told is durable. */
    private static final class PartitionModel {
        final int partition;
        final TreeMap<Long, Written> written = new TreeMap<>();
        long producerId;
        int nextSequence;
        long acknowledged;
        /** The log end offset as of the last successful append or recovery. */
        long end;

        long start;
        /** The largest log start offset asked for, and the largest one known to be durable. */
        long requestedStart;

        long durableStart;

        PartitionModel(int partition, long producerId) {
            this.partition = partition;
            this.producerId = producerId;
        }

        /**
         * Records the batches of a request as written at the offsets the log put in their headers (also when the
         * append failed with the power: they may have reached the disk); returns the last one.
         */
        Written recordWritten(ByteBuffer request, long logEndOffset) {
            if (RecordBatches.baseOffset(request, 0) != logEndOffset) {
                return null; // the append failed before it assigned offsets
            }
            Written last = null;
            for (ByteBuffer batch : TestBatches.split(request)) {
                last = new Written(
                        RecordBatches.baseOffset(batch, 0),
                        RecordBatches.lastOffset(batch, 0),
                        TestBatches.bytes(batch),
                        RecordBatches.producerId(batch, 0),
                        RecordBatches.baseSequence(batch, 0));
                written.put(last.baseOffset, last);
            }
            return last;
        }

        void acknowledge(long flushedOffset) {
            acknowledged = Math.max(acknowledged, flushedOffset);
        }

        /** The last batch the current producer wrote, or null. */
        Written lastIdempotent() {
            for (Written batch : written.descendingMap().values()) {
                if (batch.producerId == producerId && batch.baseSequence >= 0) {
                    return batch;
                }
            }
            return null;
        }
    }

    private static final class Written {
        final long baseOffset;
        final long lastOffset;
        final long producerId;
        final int baseSequence;
        byte[] stored;
        byte[] original;

        Written(long baseOffset, long lastOffset, byte[] stored, long producerId, int baseSequence) {
            this.baseOffset = baseOffset;
            this.lastOffset = lastOffset;
            this.stored = stored;
            this.producerId = producerId;
            this.baseSequence = baseSequence;
        }
    }
}
