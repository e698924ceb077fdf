package io.brook.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RocksDbStateStoreTest extends StateStoreContractTest {
    @Override
    StateStoreConfig.Kind kind() {
        return StateStoreConfig.Kind.ROCKSDB;
    }

    @Override
    String deleteAFileNeededFor(Path directory, long version) throws IOException {
        StateFiles.deleteRecursively(directory.resolve(version + ".rocksdb"));
        return version + ".rocksdb is missing; present: checkpoints [1-" + (version - 1) + "]";
    }

    @Override
    String corruptAFileNeededFor(Path directory, long version) throws IOException {
        Path checkpoint = directory.resolve(version + ".rocksdb");
        Path sst = list(checkpoint).stream()
                .filter(path -> path.getFileName().toString().endsWith(".sst"))
                .max(Comparator.comparingLong(RocksDbStateStoreTest::size))
                .orElseThrow();
        try (FileChannel channel = FileChannel.open(sst, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 10);
        }
        return version + ".rocksdb/" + sst.getFileName() + " is corrupt: it has ";
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.sorted().toList();
        }
    }

    private List<String> checkpoints() throws IOException {
        return list(directory()).stream()
                .map(path -> path.getFileName().toString())
                .filter(name -> name.endsWith(".rocksdb"))
                .toList();
    }

    @Test
    void eachVersionIsACheckpointThatSharesUnchangedFilesWithTheNext() throws IOException {
        // Given
        StateStoreProvider provider = open();

        // When
        commitVersions(provider, 3);

        // Then
        assertThat(checkpoints()).containsExactly("1.rocksdb", "2.rocksdb", "3.rocksdb");
        Path sst = list(directory().resolve("2.rocksdb")).stream()
                .filter(path -> path.getFileName().toString().endsWith(".sst"))
                .findFirst()
                .orElseThrow();
        Path next = directory().resolve("3.rocksdb").resolve(sst.getFileName());
        assertThat(Files.isSameFile(sst, next)).isTrue();
        assertThat(directory().resolve("3.rocksdb").resolve("brook-checkpoint")).isRegularFile();
    }

    @Test
    void cleanUpDeletesCheckpointsOlderThanTheRetainedVersions() throws IOException {
        // Given
        StateStoreProvider provider =
                open(StateStoreConfig.of(kind()).withSnapshotInterval(5).withMinVersionsToRetain(3));

        // When
        commitVersions(provider, 23);

        // Then
        assertThat(checkpoints()).containsExactly("21.rocksdb", "22.rocksdb", "23.rocksdb");
    }

    @Test
    void aCorruptCheckpointListIsNamed() throws IOException {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 2);
        provider.close();
        Path metadata = directory().resolve("2.rocksdb").resolve("brook-checkpoint");
        byte[] bytes = Files.readAllBytes(metadata);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(metadata, bytes);

        // When / Then
        StateStoreProvider restarted = open();
        assertThatThrownBy(() -> restarted.load(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("state store " + directory()
                        + " cannot load version 2: 2.rocksdb/brook-checkpoint is corrupt: ")
                .hasMessageEndingWith("; present: checkpoints [1-2]");
    }

    @Test
    void aSecondProviderOnTheSameDirectoryIsRefused() {
        // Given
        open();

        // When / Then
        assertThatThrownBy(this::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store " + directory() + " is in use by another provider (rocksdb.lock is locked)");
    }

    @Test
    void loadingTheOpenVersionReusesTheInstance() throws IOException {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 3);

        // When
        StateFiles.deleteRecursively(directory().resolve("3.rocksdb"));

        // Then
        assertThat(contentsOf(provider, 3)).isEqualTo(expectedAfter(3));
    }

    @Test
    void closingTheProviderDeletesItsWorkingDirectory() {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 2);
        assertThat(directory().resolve("rocksdb-work")).isDirectory();

        // When
        provider.close();

        // Then
        assertThat(directory().resolve("rocksdb-work")).doesNotExist();
        assertThat(contentsOf(open(), 2)).isEqualTo(expectedAfter(2));
    }
}
