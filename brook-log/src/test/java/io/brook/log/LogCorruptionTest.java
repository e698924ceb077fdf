package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damage on disk, as in Kafka's {@code LogSegmentTest}: a log file cut short inside a batch, bytes flipped inside a
 * batch, or an index that lies. After an unclean start the log must keep exactly the valid batches before the damage,
 * drop everything after it, and serve reads at every surviving offset through rebuilt indexes.
 */
class LogCorruptionTest {
    private static final LogConfig CONFIG = new LogConfigBuilder()
            .segmentBytes(2048)
            .indexIntervalBytes(256)
            .segmentIndexBytes(4096)
            .build();

    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime(1_700_000_000_000L);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() throws IOException {
        for (PartitionLog log : opened) {
            log.close();
        }
    }

    static LongStream seeds() {
        return LongStream.range(0, 25);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void recoversToTheLastValidBatchBeforeFlippedBytes(long seed) throws IOException {
        // Given
        Random random = new Random(seed);
        List<Written> batches = writeAndStop(random, 5 + random.nextInt(40));
        Written damaged = batches.get(random.nextInt(batches.size()));
        // Any byte but the partition leader epoch's, which no checksum covers in Kafka's format either.
        List<Integer> positions = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            int at;
            do {
                at = random.nextInt(damaged.size);
            } while (at >= RecordBatches.PARTITION_LEADER_EPOCH && at < RecordBatches.MAGIC);
            positions.add(at);
        }
        try (FileChannel channel = FileChannel.open(damaged.file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int at : positions) {
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, damaged.position + at);
                one.put(0, (byte) (one.get(0) ^ (1 + random.nextInt(255)))).rewind();
                channel.write(one, damaged.position + at);
            }
        }

        // When
        PartitionLog recovered = openUnclean();

        // Then
        assertRecoveredTo(recovered, batches, damaged);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void recoversToTheLastWholeBatchWhenTheFileIsCutInsideABatch(long seed) throws IOException {
        // Given
        Random random = new Random(seed);
        List<Written> batches = writeAndStop(random, 5 + random.nextInt(40));
        Written damaged = batches.get(random.nextInt(batches.size()));
        try (FileChannel channel = FileChannel.open(damaged.file, StandardOpenOption.WRITE)) {
            channel.truncate(damaged.position + 1 + random.nextInt(damaged.size - 1));
        }

        // When
        PartitionLog recovered = openUnclean();

        // Then
        assertRecoveredTo(recovered, batches, damaged);
    }

    @Test
    void keepsEverythingWhenTheFileIsCutExactlyAfterABatch() throws IOException {
        // Given
        List<Written> batches = writeAndStop(new Random(7), 12);
        Written last = batches.get(batches.size() - 1);
        try (FileChannel channel = FileChannel.open(last.file, StandardOpenOption.WRITE)) {
            channel.truncate(last.position + last.size);
        }

        // When
        PartitionLog recovered = openUnclean();

        // Then
        assertThat(recovered.logEndOffset()).isEqualTo(last.lastOffset + 1);
    }

    @Test
    void dropsTheSegmentsAfterOneThatLostItsTailCleanly() throws IOException {
        // Given: the first segment loses its last batch at a batch boundary, so nothing in it looks damaged
        List<Written> batches = writeAndStop(new Random(5), 30);
        Written lastOfFirst = batches.stream()
                .filter(batch -> batch.file.equals(batches.get(0).file))
                .reduce((first, second) -> second)
                .orElseThrow();
        try (FileChannel channel = FileChannel.open(lastOfFirst.file, StandardOpenOption.WRITE)) {
            channel.truncate(lastOfFirst.position);
        }

        // When
        PartitionLog recovered = openUnclean();

        // Then: the offsets would jump from the cut to the next segment's base
        assertRecoveredTo(recovered, batches, lastOfFirst);
    }

    @Test
    void ignoresDamageInSegmentsWhollyBeforeTheLogStart() throws IOException {
        // Given: the log start is in the third segment; the first one, deleted but still on disk, is torn
        List<Written> batches = writeAndStop(new Random(6), 40);
        List<Path> files = batches.stream().map(Written::file).distinct().toList();
        Written startBatch = batches.stream()
                .filter(batch -> batch.file.equals(files.get(2)))
                .findFirst()
                .orElseThrow();
        try (FileChannel channel = FileChannel.open(files.get(0), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }
        long end = batches.get(batches.size() - 1).lastOffset + 1;

        // When
        PartitionLog recovered = PartitionLog.open(
                FileSystemStorage.INSTANCE, dataDir.resolve("clicks-0"), CONFIG, time, false, 0, startBatch.baseOffset);
        opened.add(recovered);

        // Then
        assertThat(recovered.logStartOffset()).isEqualTo(startBatch.baseOffset);
        assertThat(recovered.logEndOffset()).isEqualTo(end);
        assertThat(files.get(0)).doesNotExist();
        assertThat(files.get(1)).doesNotExist();
    }

    @Test
    void rebuildsACorruptIndexOfATrustedSegment() throws IOException {
        // Given: a clean shutdown, then garbage in the offset index of the first segment
        List<Written> batches = writeAndClose(new Random(3), 30);
        Path index = dataDir.resolve("clicks-0").resolve(Segment.fileName(0, Segment.INDEX_SUFFIX));
        byte[] garbage = new byte[(int) Files.size(index)];
        new Random(3).nextBytes(garbage);
        Files.write(index, garbage);

        // When
        PartitionLog reopened = open(true);

        // Then
        assertReadsEveryOffset(reopened, batches, batches.get(batches.size() - 1).lastOffset + 1);
    }

    @Test
    void rebuildsATrustedIndexWhoseLastEntryPointsPastTheLog() throws IOException {
        // Given: the first segment's index gains a well-ordered entry beyond the end of its log
        List<Written> batches = writeAndClose(new Random(4), 30);
        Path directory = dataDir.resolve("clicks-0");
        Path index = directory.resolve(Segment.fileName(0, Segment.INDEX_SUFFIX));
        long logSize = Files.size(directory.resolve(Segment.fileName(0, Segment.LOG_SUFFIX)));
        long nextBase = batches.stream()
                .filter(batch -> batch.position == 0 && batch.baseOffset > 0)
                .findFirst()
                .orElseThrow()
                .baseOffset;
        ByteBuffer entry = ByteBuffer.allocate(OffsetIndex.ENTRY_SIZE)
                .putInt(0, (int) nextBase + 5)
                .putInt(4, (int) logSize + 100);
        Files.write(index, entry.array(), StandardOpenOption.APPEND);

        // When
        PartitionLog reopened = open(true);

        // Then
        assertReadsEveryOffset(reopened, batches, batches.get(batches.size() - 1).lastOffset + 1);
    }

    @Test
    void rebuildsATrustedIndexWhoseLastEntryPointsIntoABatch() throws IOException {
        // Given: 270-byte batches, seven to a segment. The value of the seventh starts with what reads as a batch
        // header whose length ends exactly at the end of the segment, and a stray index entry points at it.
        PartitionLog log = open(false);
        byte[] value = new byte[200];
        Arrays.fill(value, (byte) 'v');
        ByteBuffer.wrap(value).putInt(RecordBatches.LENGTH, 270 - 69 - RecordBatches.LOG_OVERHEAD);
        List<ByteBuffer> sent = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            TestBatches.Builder batch = TestBatches.batch().timestamp(1_000 + i).valueBytes(200);
            sent.add(TestBatches.copy(i == 6 ? batch.value(value).build() : batch.build()));
        }
        for (ByteBuffer batch : sent) {
            log.append(TestBatches.copy(batch));
        }
        log.close();
        Path directory = dataDir.resolve("clicks-0");
        assertThat(Files.size(directory.resolve(Segment.fileName(0, Segment.LOG_SUFFIX))))
                .isEqualTo(7 * 270);
        ByteBuffer entry =
                ByteBuffer.allocate(OffsetIndex.ENTRY_SIZE).putInt(0, 7).putInt(4, 6 * 270 + 69);
        Files.write(
                directory.resolve(Segment.fileName(0, Segment.INDEX_SUFFIX)), entry.array(), StandardOpenOption.APPEND);

        // When
        PartitionLog reopened = open(true);

        // Then
        assertThat(reopened.logEndOffset()).isEqualTo(14);
        assertThat(reopened.segmentCount()).isEqualTo(2);
        for (int offset = 0; offset < 14; offset++) {
            assertThat(TestBatches.split(reopened.read(offset, 1, true).records())
                            .get(0))
                    .isEqualTo(sent.get(offset).duplicate().putLong(0, offset));
        }
    }

    private void assertRecoveredTo(PartitionLog recovered, List<Written> batches, Written damaged) throws IOException {
        assertThat(recovered.logEndOffset()).isEqualTo(damaged.baseOffset);
        assertReadsEveryOffset(recovered, batches, damaged.baseOffset);
        // Segments after the damaged one are gone, so the next append continues right after the damage.
        try (Stream<Path> files = Files.list(dataDir.resolve("clicks-0"))) {
            assertThat(files.map(path -> path.getFileName().toString())
                            .filter(name -> name.endsWith(Segment.LOG_SUFFIX))
                            .map(name -> Long.parseLong(name.substring(0, name.indexOf('.')))))
                    .allMatch(base -> base <= damaged.baseOffset);
        }
        AppendResult next = recovered.append(TestBatches.plain(1, 5, 10));
        assertThat(next.firstOffset()).isEqualTo(damaged.baseOffset);
        assertThat(RecordBatches.baseOffset(
                        recovered.read(damaged.baseOffset, 1, true).records(), 0))
                .isEqualTo(damaged.baseOffset);
    }

    private static void assertReadsEveryOffset(PartitionLog log, List<Written> batches, long end) throws IOException {
        assertThat(log.logEndOffset()).isEqualTo(end);
        for (Written batch : batches) {
            if (batch.baseOffset >= end) {
                break;
            }
            for (long offset = batch.baseOffset; offset <= batch.lastOffset; offset++) {
                ByteBuffer read = log.read(offset, 1, true).records();
                assertThat(TestBatches.bytes(TestBatches.split(read).get(0)))
                        .as("read at %d", offset)
                        .isEqualTo(batch.bytes);
            }
        }
    }

    private PartitionLog open(boolean cleanShutdown) throws IOException {
        PartitionLog log = PartitionLog.open(
                FileSystemStorage.INSTANCE, dataDir.resolve("clicks-0"), CONFIG, time, cleanShutdown, 0, 0);
        opened.add(log);
        return log;
    }

    private PartitionLog openUnclean() throws IOException {
        return open(false);
    }

    private List<Written> writeAndStop(Random random, int count) throws IOException {
        PartitionLog log = open(false);
        List<Written> written = write(log, random, count);
        log.abandon();
        opened.remove(log);
        return written;
    }

    private List<Written> writeAndClose(Random random, int count) throws IOException {
        PartitionLog log = open(false);
        List<Written> written = write(log, random, count);
        log.close();
        return written;
    }

    /** Appends random batches and notes where each landed, from the segment files' sizes. */
    private List<Written> write(PartitionLog log, Random random, int count) throws IOException {
        List<Written> written = new ArrayList<>();
        Path directory = dataDir.resolve("clicks-0");
        for (int i = 0; i < count; i++) {
            ByteBuffer batch = TestBatches.batch()
                    .records(1 + random.nextInt(4))
                    .timestamp(time.milliseconds() + i)
                    .valueBytes(random.nextInt(300))
                    .fill(random.nextInt(256))
                    .build();
            AppendResult result = log.append(batch);
            Path file = directory.resolve(Segment.fileName(lastSegment(directory), Segment.LOG_SUFFIX));
            long end = Files.size(file);
            written.add(new Written(
                    result.firstOffset(),
                    result.lastOffset(),
                    file,
                    end - batch.limit(),
                    batch.limit(),
                    TestBatches.bytes(batch)));
        }
        return written;
    }

    private static long lastSegment(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(Segment.LOG_SUFFIX))
                    .mapToLong(name -> Long.parseLong(name.substring(0, name.indexOf('.'))))
                    .max()
                    .orElseThrow();
        }
    }

    /** Where a batch landed: its offsets, its segment file and byte position, its size and its bytes. */
    private static final class Written {
        final long baseOffset;
        final long lastOffset;
        final Path file;
        final long position;
        final int size;
        final byte[] bytes;

        Written(long baseOffset, long lastOffset, Path file, long position, int size, byte[] bytes) {
            this.baseOffset = baseOffset;
            this.lastOffset = lastOffset;
            this.file = file;
            this.position = position;
            this.size = size;
            this.bytes = bytes;
        }

        Path file() {
            return file;
        }
    }
}
