package io.brook.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The crash model the power-loss tests rely on: what a crash keeps, what it may keep, and what it always drops. */
class SimulatedDiskTest {
    private static final Path DIRECTORY = Path.of("/disk/dir");
    private static final Path FILE = DIRECTORY.resolve("a.log");

    private final SimulatedDisk disk = new SimulatedDisk();

    @Test
    void keepsForcedContentOfAFileWhoseNameIsDurable() throws IOException {
        // Given
        Storage storage = disk.storage();
        storage.createDirectories(DIRECTORY);
        storage.fsyncDirectory(DIRECTORY.getParent());
        storage.fsyncDirectory(Path.of("/"));
        try (LogFile file = storage.open(FILE)) {
            file.write(ByteBuffer.wrap("durable".getBytes(UTF_8)), 0);
            file.force();
            storage.fsyncDirectory(DIRECTORY);
            file.write(ByteBuffer.wrap("-lost".getBytes(UTF_8)), 7);
        }

        // When
        disk.crash(new Random(1));

        // Then
        byte[] content = disk.content(FILE);
        assertThat(content).startsWith("durable".getBytes(UTF_8));
        assertThat(content.length).isBetween(7, 12);
    }

    @Test
    void dropsAFileWhoseDirectoryWasNeverFsynced() throws IOException {
        // Given
        Storage storage = disk.storage();
        storage.createDirectories(DIRECTORY);
        storage.fsyncDirectory(DIRECTORY.getParent());
        storage.fsyncDirectory(Path.of("/"));
        try (LogFile file = storage.open(FILE)) {
            file.write(ByteBuffer.wrap("forced".getBytes(UTF_8)), 0);
            file.force();
        }

        // When
        disk.crash(new Random(1));

        // Then
        assertThat(disk.storage().exists(FILE)).isFalse();
        assertThat(disk.storage().exists(DIRECTORY)).isTrue();
    }

    @Test
    void dropsADirectoryWhoseParentWasNeverFsynced() throws IOException {
        // Given
        Storage storage = disk.storage();
        storage.createDirectories(DIRECTORY);
        storage.fsyncDirectory(DIRECTORY);

        // When
        disk.crash(new Random(1));

        // Then
        assertThat(disk.storage().exists(DIRECTORY.getParent())).isFalse();
    }

    @Test
    void undoesADeleteAndARenameThatWereNotFsynced() throws IOException {
        // Given
        Storage storage = disk.storage();
        storage.createDirectories(DIRECTORY);
        storage.fsyncDirectory(DIRECTORY.getParent());
        storage.fsyncDirectory(Path.of("/"));
        Path other = DIRECTORY.resolve("b.log");
        storage.writeAtomically(FILE, "one".getBytes(UTF_8));
        storage.writeAtomically(other, "two".getBytes(UTF_8));
        storage.deleteIfExists(FILE);
        storage.rename(other, DIRECTORY.resolve("c.log"));

        // When
        disk.crash(new Random(1));

        // Then
        assertThat(disk.content(FILE)).isEqualTo("one".getBytes(UTF_8));
        assertThat(disk.content(other)).isEqualTo("two".getBytes(UTF_8));
        assertThat(disk.storage().exists(DIRECTORY.resolve("c.log"))).isFalse();
    }

    @Test
    void mappedBufferGrowsTheFileAndItsWritesBecomeDurableOnForce() throws IOException {
        // Given
        Storage storage = disk.storage();
        storage.createDirectories(DIRECTORY);
        storage.fsyncDirectory(DIRECTORY.getParent());
        storage.fsyncDirectory(Path.of("/"));
        try (LogFile file = storage.open(FILE)) {
            storage.fsyncDirectory(DIRECTORY);

            // When
            ByteBuffer mapped = file.map(16);
            mapped.putLong(0, 42);
            file.force();
            mapped.putLong(8, 43);

            // Then
            assertThat(file.size()).isEqualTo(16);
            assertThat(ByteBuffer.wrap(disk.content(FILE)).getLong(8)).isEqualTo(43);
            assertThat(ByteBuffer.wrap(disk.durableContent(FILE)).getLong(0)).isEqualTo(42);
            assertThat(ByteBuffer.wrap(disk.durableContent(FILE)).getLong(8)).isZero();
        }
    }

    @Test
    void crashSometimesKeepsATornAndGarbledPieceOfUnforcedWrites() throws IOException {
        // Given
        byte[] written = new byte[100];
        Arrays.fill(written, (byte) 7);
        boolean sawNothing = false;
        boolean sawPart = false;
        boolean sawGarbled = false;

        // When
        for (int seed = 0; seed < 200; seed++) {
            SimulatedDisk fresh = new SimulatedDisk();
            Storage storage = fresh.storage();
            storage.createDirectories(DIRECTORY);
            storage.fsyncDirectory(DIRECTORY.getParent());
            storage.fsyncDirectory(Path.of("/"));
            try (LogFile file = storage.open(FILE)) {
                storage.fsyncDirectory(DIRECTORY);
                file.write(ByteBuffer.wrap(written), 0);
            }
            fresh.crash(new Random(seed));
            byte[] kept = fresh.content(FILE);
            sawNothing |= kept.length == 0;
            sawPart |= kept.length > 0 && kept.length < written.length;
            for (byte b : kept) {
                sawGarbled |= b != 7;
            }
        }

        // Then
        assertThat(sawNothing).isTrue();
        assertThat(sawPart).isTrue();
        assertThat(sawGarbled).isTrue();
    }

    @Test
    void handlesOfTheDeadProcessStopWorking() throws IOException {
        // Given
        Storage storage = disk.storage();
        storage.createDirectories(DIRECTORY);
        LogFile file = storage.open(FILE);

        // When
        disk.crash(new Random(1));

        // Then
        assertThatThrownBy(() -> file.write(ByteBuffer.allocate(1), 0))
                .isInstanceOf(IOException.class)
                .hasMessage("simulated disk lost power; /disk/dir/a.log belongs to a dead process");
        assertThatThrownBy(() -> storage.fsyncDirectory(Path.of("/")))
                .isInstanceOf(IOException.class)
                .hasMessage("simulated disk lost power; this process is dead");
    }
}
