package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {
    private static final long BASE = 100;

    @TempDir
    Path directory;

    private Path path() {
        return directory.resolve(Segment.fileName(BASE, Segment.INDEX_SUFFIX));
    }

    private OffsetIndex open(int maxIndexBytes) throws IOException {
        return new OffsetIndex(FileSystemStorage.INSTANCE, path(), BASE, maxIndexBytes);
    }

    @Test
    void looksUpThePositionOfTheLastEntryAtOrBeforeAnOffset() throws IOException {
        // Given
        try (OffsetIndex index = open(80)) {
            index.append(100, 0);
            index.append(105, 500);
            index.append(110, 900);

            // When, Then
            assertThat(index.entries()).isEqualTo(3);
            assertThat(index.lookupPosition(99)).isZero();
            assertThat(index.lookupPosition(100)).isZero();
            assertThat(index.lookupPosition(104)).isZero();
            assertThat(index.lookupPosition(105)).isEqualTo(500);
            assertThat(index.lookupPosition(109)).isEqualTo(500);
            assertThat(index.lookupPosition(110)).isEqualTo(900);
            assertThat(index.lookupPosition(10_000)).isEqualTo(900);
        }
    }

    @Test
    void answersZeroWhenEmpty() throws IOException {
        // Given
        try (OffsetIndex index = open(80)) {
            // When
            int position = index.lookupPosition(150);

            // Then
            assertThat(position).isZero();
        }
    }

    @Test
    void rejectsAnOffsetThatDoesNotIncrease() throws IOException {
        // Given
        try (OffsetIndex index = open(80)) {
            index.append(100, 0);
            index.append(110, 900);

            // When, Then
            assertThatThrownBy(() -> index.append(110, 1000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Attempt to append an offset 110 to position 2 no larger than the last offset appended"
                            + " (110) to " + path());
            assertThatThrownBy(() -> index.append(105, 1000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Attempt to append an offset 105 to position 2 no larger than the last offset appended"
                            + " (110) to " + path());
            assertThat(index.entries()).isEqualTo(2);
        }
    }

    @Test
    void isFullAtItsPreallocatedSize() throws IOException {
        // Given
        try (OffsetIndex index = open(24)) {
            index.append(100, 0);
            index.append(101, 10);
            assertThat(index.isFull()).isFalse();
            assertThat(index.hasRoomFor(1)).isTrue();
            assertThat(index.hasRoomFor(2)).isFalse();
            index.append(102, 20);

            // When, Then
            assertThat(index.isFull()).isTrue();
            assertThatThrownBy(() -> index.append(103, 30))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("index " + path() + " is full with 3 entries");
        }
    }

    @Test
    void keepsItsEntriesWhenClosedAndReopened() throws IOException {
        // Given
        try (OffsetIndex index = open(800)) {
            index.append(100, 0);
            index.append(105, 500);
            index.append(110, 900);
            assertThat(Files.size(path())).isEqualTo(800);
        }

        // When
        try (OffsetIndex reopened = open(0)) {
            // Then
            assertThat(Files.size(path())).isEqualTo(24);
            assertThat(reopened.entries()).isEqualTo(3);
            reopened.sanityCheck();
            assertThat(reopened.lookupPosition(107)).isEqualTo(500);
            assertThat(reopened.lookupPosition(111)).isEqualTo(900);
        }
    }

    @Test
    void trimmedWhileOpenItKeepsServingAndReopensWithItsEntries() throws IOException {
        // Given
        try (OffsetIndex index = open(800)) {
            index.append(100, 0);
            index.append(105, 500);

            // When
            index.trimToEntries();

            // Then
            assertThat(Files.size(path())).isEqualTo(16);
            assertThat(index.isFull()).isTrue();
            assertThat(index.lookupPosition(106)).isEqualTo(500);
        }
        try (OffsetIndex reopened = open(800)) {
            assertThat(reopened.entries()).isEqualTo(2);
            assertThat(reopened.lookupPosition(106)).isEqualTo(500);
            reopened.append(120, 1200);
            assertThat(reopened.lookupPosition(130)).isEqualTo(1200);
        }
    }

    @Test
    void truncateToDropsEntriesAtAndAfterAnOffset() throws IOException {
        // Given
        try (OffsetIndex index = open(80)) {
            index.append(100, 0);
            index.append(105, 500);
            index.append(110, 900);

            // When
            index.truncateTo(105);

            // Then
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.lookupPosition(200)).isZero();
            index.append(103, 300);
            assertThat(index.lookupPosition(200)).isEqualTo(300);
        }
    }

    @Test
    void sanityCheckRejectsOffsetsThatGoBackwards() throws IOException {
        // Given
        writeEntries(5, 100, 3, 200);

        // When
        try (OffsetIndex index = open(0)) {
            // Then
            assertThatThrownBy(index::sanityCheck)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Corrupt index found, index file (" + path()
                            + ") has entry 1 with offset 103 and position 200 after offset 105 and position 100");
        }
    }

    @Test
    void sanityCheckRejectsPositionsThatGoBackwards() throws IOException {
        // Given
        writeEntries(0, 0, 5, 400, 9, 300);

        // When
        try (OffsetIndex index = open(0)) {
            // Then
            assertThatThrownBy(index::sanityCheck)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Corrupt index found, index file (" + path()
                            + ") has entry 2 with offset 109 and position 300 after offset 105 and position 400");
        }
    }

    @Test
    void sanityCheckRejectsThePreallocatedZerosOfAnUntrimmedFile() throws IOException {
        // Given: a file left at its preallocated size, as a crash leaves it
        writeEntries(0, 0, 5, 400, 0, 0, 0, 0);

        // When
        try (OffsetIndex index = open(0)) {
            // Then
            assertThatThrownBy(index::sanityCheck)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Corrupt index found, index file (" + path()
                            + ") has entry 2 with offset 100 and position 0 after offset 105 and position 400");
        }
    }

    @Test
    void sanityCheckAcceptsAWellFormedFile() throws IOException {
        // Given
        writeEntries(0, 0, 5, 400, 9, 700);

        // When
        try (OffsetIndex index = open(0)) {
            // Then
            index.sanityCheck();
            assertThat(index.entries()).isEqualTo(3);
            assertThat(index.lookupPosition(8)).isEqualTo(0);
        }
    }

    /** Writes raw entries (relative offset, position, ...) as a file on disk would hold them. */
    private void writeEntries(int... relativeOffsetsAndPositions) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(relativeOffsetsAndPositions.length * 4);
        for (int value : relativeOffsetsAndPositions) {
            buffer.putInt(value);
        }
        Files.write(path(), buffer.array());
    }
}
