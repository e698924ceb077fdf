package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeIndexTest {
    private static final long BASE = 1_000;

    @TempDir
    Path directory;

    private Path path() {
        return directory.resolve(Segment.fileName(BASE, Segment.TIME_INDEX_SUFFIX));
    }

    private TimeIndex open(int maxIndexBytes) throws IOException {
        return new TimeIndex(FileSystemStorage.INSTANCE, path(), BASE, maxIndexBytes);
    }

    @Test
    void findsTheOffsetToScanFromForATimestamp() throws IOException {
        // Given
        try (TimeIndex index = open(120)) {
            index.maybeAppend(10_000, 1_000);
            index.maybeAppend(20_000, 1_010);
            index.maybeAppend(30_000, 1_020);

            // When, Then
            assertThat(index.lookupStartOffset(5_000)).isEqualTo(1_000);
            assertThat(index.lookupStartOffset(10_000)).isEqualTo(1_000);
            assertThat(index.lookupStartOffset(10_001)).isEqualTo(1_000);
            assertThat(index.lookupStartOffset(20_000)).isEqualTo(1_000);
            assertThat(index.lookupStartOffset(20_001)).isEqualTo(1_010);
            assertThat(index.lookupStartOffset(99_999)).isEqualTo(1_020);
            assertThat(index.lastTimestamp()).isEqualTo(30_000);
        }
    }

    @Test
    void ignoresATimestampThatDoesNotIncrease() throws IOException {
        // Given
        try (TimeIndex index = open(120)) {
            index.maybeAppend(20_000, 1_000);

            // When
            index.maybeAppend(20_000, 1_005);
            index.maybeAppend(15_000, 1_006);

            // Then
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.lastTimestamp()).isEqualTo(20_000);
        }
    }

    @Test
    void hasNoLastTimestampWhenEmpty() throws IOException {
        // Given
        try (TimeIndex index = open(120)) {
            // When
            long last = index.lastTimestamp();
            long startOffset = index.lookupStartOffset(5);

            // Then
            assertThat(last).isEqualTo(-1);
            assertThat(startOffset).isEqualTo(BASE);
        }
    }

    @Test
    void keepsItsEntriesWhenClosedAndReopened() throws IOException {
        // Given
        try (TimeIndex index = open(1200)) {
            index.maybeAppend(10_000, 1_000);
            index.maybeAppend(20_000, 1_010);
            assertThat(Files.size(path())).isEqualTo(1200);
        }

        // When
        try (TimeIndex reopened = open(0)) {
            // Then
            assertThat(Files.size(path())).isEqualTo(24);
            reopened.sanityCheck();
            assertThat(reopened.entries()).isEqualTo(2);
            assertThat(reopened.lookupStartOffset(25_000)).isEqualTo(1_010);
            assertThat(reopened.isFull()).isTrue();
        }
    }

    @Test
    void trimmedWhileOpenItKeepsServing() throws IOException {
        // Given
        try (TimeIndex index = open(1200)) {
            index.maybeAppend(10_000, 1_000);
            index.maybeAppend(20_000, 1_010);

            // When
            index.trimToEntries();

            // Then
            assertThat(Files.size(path())).isEqualTo(24);
            assertThat(index.lookupStartOffset(25_000)).isEqualTo(1_010);
        }
    }

    @Test
    void truncateToDropsEntriesAtAndAfterAnOffset() throws IOException {
        // Given
        try (TimeIndex index = open(120)) {
            index.maybeAppend(10_000, 1_000);
            index.maybeAppend(20_000, 1_010);
            index.maybeAppend(30_000, 1_020);

            // When
            index.truncateTo(1_010);

            // Then
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.lastTimestamp()).isEqualTo(10_000);
        }
    }

    @Test
    void sanityCheckRejectsTimestampsThatGoBackwards() throws IOException {
        // Given
        writeEntries(20_000, 0, 10_000, 5);

        // When
        try (TimeIndex index = open(0)) {
            // Then
            assertThatThrownBy(index::sanityCheck)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Corrupt time index found, time index file (" + path()
                            + ") has entry 1 with timestamp 10000 and offset 1005");
        }
    }

    @Test
    void sanityCheckRejectsThePreallocatedZerosOfAnUntrimmedFile() throws IOException {
        // Given: one real entry, then zeros as a crash leaves a preallocated file
        writeEntries(20_000, 3, 0, 0, 0, 0);

        // When
        try (TimeIndex index = open(0)) {
            // Then
            assertThatThrownBy(index::sanityCheck)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Corrupt time index found, time index file (" + path()
                            + ") has entry 1 with timestamp 0 and offset 1000");
        }
    }

    @Test
    void sanityCheckAcceptsAWellFormedFile() throws IOException {
        // Given
        writeEntries(10_000, 0, 20_000, 4);

        // When
        try (TimeIndex index = open(0)) {
            // Then
            index.sanityCheck();
            assertThat(index.lookupStartOffset(25_000)).isEqualTo(1_004);
        }
    }

    /** Writes raw entries (timestamp, relative offset, ...) as a file on disk would hold them. */
    private void writeEntries(long... timestampsAndRelativeOffsets) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(timestampsAndRelativeOffsets.length / 2 * TimeIndex.ENTRY_SIZE);
        for (int i = 0; i < timestampsAndRelativeOffsets.length; i += 2) {
            buffer.putLong(timestampsAndRelativeOffsets[i]).putInt((int) timestampsAndRelativeOffsets[i + 1]);
        }
        Files.write(path(), buffer.array());
    }
}
