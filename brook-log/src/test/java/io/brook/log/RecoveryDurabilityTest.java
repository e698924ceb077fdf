package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What recovery changes must itself survive a power loss: rebuilt indexes of closed segments, and the removal of
 * segments that no longer belong to the log. Checked on a {@link SimulatedDisk}, which tells durable from volatile.
 */
class RecoveryDurabilityTest {
    private static final Path DIRECTORY = Path.of("/data/clicks-0");
    private static final LogConfig CONFIG = new LogConfigBuilder()
            .segmentBytes(1024)
            .indexIntervalBytes(0)
            .segmentIndexBytes(4096)
            .build();

    private final SimulatedDisk disk = new SimulatedDisk();
    private final ManualTime time = new ManualTime(1_700_000_000_000L);

    /** Writes 12 batches of 250 bytes (segments 0, 4 and 8), all durable, and stops without closing. */
    private PartitionLog writeDurably() throws IOException {
        Storage storage = disk.storage();
        storage.createDirectories(DIRECTORY);
        storage.fsyncDirectory(DIRECTORY.getParent());
        storage.fsyncDirectory(Path.of("/"));
        PartitionLog log = PartitionLog.open(storage, DIRECTORY, CONFIG, time, false, 0, 0);
        for (int i = 0; i < 12; i++) {
            log.append(TestBatches.plain(1, 1_000 + i, 180));
        }
        log.flush();
        log.abandon();
        return log;
    }

    private static Path file(long baseOffset, String suffix) {
        return DIRECTORY.resolve(Segment.fileName(baseOffset, suffix));
    }

    @Test
    void makesTheRebuiltIndexOfAClosedSegmentDurable() throws IOException {
        // Given: the first segment's index is lost
        writeDurably();
        Storage storage = disk.storage();
        storage.deleteIfExists(file(0, Segment.INDEX_SUFFIX));
        storage.fsyncDirectory(DIRECTORY);

        // When
        PartitionLog recovered = PartitionLog.open(storage, DIRECTORY, CONFIG, time, false, 0, 0);

        // Then
        byte[] durable = disk.durableContent(file(0, Segment.INDEX_SUFFIX));
        assertThat(durable).hasSize(4 * OffsetIndex.ENTRY_SIZE);
        assertThat(durable).isEqualTo(disk.content(file(0, Segment.INDEX_SUFFIX)));
        assertThat(recovered.logEndOffset()).isEqualTo(12);
    }

    @Test
    void removesTheSegmentsAfterATornOneDurably() throws IOException {
        // Given: a byte of the second segment's last batch flipped
        writeDurably();
        byte[] second = disk.content(file(4, Segment.LOG_SUFFIX));
        disk.corrupt(file(4, Segment.LOG_SUFFIX), second.length - 3, new byte[] {(byte) ~second[second.length - 3]});

        // When
        PartitionLog recovered = PartitionLog.open(disk.storage(), DIRECTORY, CONFIG, time, false, 0, 0);

        // Then
        assertThat(recovered.logEndOffset()).isEqualTo(7);
        assertThat(disk.durableContent(file(8, Segment.LOG_SUFFIX))).isNull();
        assertThat(disk.durableContent(file(8, Segment.INDEX_SUFFIX))).isNull();
        disk.crash(new Random(1));
        PartitionLog again = PartitionLog.open(disk.storage(), DIRECTORY, CONFIG, time, false, 0, 0);
        assertThat(again.logEndOffset()).isEqualTo(7);
        assertThat(disk.storage().list(DIRECTORY))
                .noneMatch(path -> path.getFileName().toString().startsWith(Segment.fileName(8, "")));
    }

    @Test
    void removesSnapshotsOfLostOffsetsDurably() throws IOException {
        // Given: rolls wrote snapshots at 4 and 8; the third segment's batches are lost
        writeDurably();
        assertThat(disk.durableContent(file(8, ".snapshot"))).isNotNull();
        byte[] second = disk.content(file(4, Segment.LOG_SUFFIX));
        disk.corrupt(file(4, Segment.LOG_SUFFIX), second.length - 3, new byte[] {(byte) ~second[second.length - 3]});

        // When
        PartitionLog.open(disk.storage(), DIRECTORY, CONFIG, time, false, 0, 0);

        // Then
        assertThat(disk.durableContent(file(8, ".snapshot"))).isNull();
        assertThat(disk.durableContent(file(4, ".snapshot"))).isNotNull();
        List<Path> left = disk.storage().list(DIRECTORY);
        assertThat(left).contains(file(4, ".snapshot"));
    }
}
