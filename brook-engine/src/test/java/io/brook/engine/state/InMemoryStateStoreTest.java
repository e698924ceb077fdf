package io.brook.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends StateStoreContractTest {
    @Override
    StateStoreConfig.Kind kind() {
        return StateStoreConfig.Kind.MEMORY;
    }

    @Override
    String deleteAFileNeededFor(Path directory, long version) throws IOException {
        Files.delete(directory.resolve((version - 2) + ".delta"));
        return (version - 2) + ".delta is missing; present: deltas [1-" + (version - 3) + ", " + (version - 1) + "-"
                + version + "], snapshots []";
    }

    @Override
    String corruptAFileNeededFor(Path directory, long version) throws IOException {
        Path delta = directory.resolve((version - 2) + ".delta");
        byte[] bytes = Files.readAllBytes(delta);
        int at = indexOf(bytes, ("value-" + (version - 3)).getBytes(StandardCharsets.UTF_8));
        bytes[at] ^= 0x20;
        Files.write(delta, bytes);
        return (version - 2) + ".delta is corrupt: checksum mismatch";
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> paths = Files.list(directory())) {
            return paths.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesADeltaEveryVersionAndASnapshotEveryInterval() throws IOException {
        // Given
        StateStoreProvider provider = open(StateStoreConfig.defaults().withSnapshotInterval(3));

        // When
        commitVersions(provider, 7);

        // Then
        assertThat(files())
                .containsExactly(
                        "1.delta",
                        "2.delta",
                        "3.delta",
                        "3.snapshot",
                        "4.delta",
                        "5.delta",
                        "6.delta",
                        "6.snapshot",
                        "7.delta");
    }

    @Test
    void cleanUpDeletesFilesBelowTheSnapshotTheOldestRetainedVersionNeeds() throws IOException {
        // Given
        StateStoreProvider provider =
                open(StateStoreConfig.defaults().withSnapshotInterval(5).withMinVersionsToRetain(3));

        // When
        commitVersions(provider, 23);

        // Then
        assertThat(files()).containsExactly("20.delta", "20.snapshot", "21.delta", "22.delta", "23.delta");
    }

    @Test
    void loadingTheVersionInMemoryNeedsNoFiles() throws IOException {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 3);

        // When
        for (String file : files()) {
            Files.delete(directory().resolve(file));
        }

        // Then
        assertThat(contentsOf(provider, 3)).isEqualTo(expectedAfter(3));
        assertThatThrownBy(() -> provider.load(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store " + directory()
                        + " cannot load version 2: 1.delta is missing; present: deltas [], snapshots []");
    }

    @Test
    void aTruncatedDeltaIsCorrupt() throws IOException {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 2);
        provider.close();
        Path delta = directory().resolve("2.delta");
        byte[] bytes = Files.readAllBytes(delta);
        Files.write(delta, Arrays.copyOf(bytes, bytes.length - 6));

        // When / Then
        StateStoreProvider restarted = open();
        assertThatThrownBy(() -> restarted.load(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "state store " + directory() + " cannot load version 2: 2.delta is corrupt: it ends early, at "
                                + (bytes.length - 6) + " bytes; present: deltas [1-2], snapshots []");
    }

    @Test
    void aFileLeftByACrashedWriteIsDeletedOnOpen() throws IOException {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 1);
        provider.close();
        Files.write(directory().resolve("2.delta.tmp"), new byte[] {1, 2, 3});

        // When
        open();

        // Then
        assertThat(files()).containsExactly("1.delta");
    }
}
