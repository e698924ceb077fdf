package io.brook.engine.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link StateStoreProvider} promises, run against each kind by a subclass, on real files (and a real
 * RocksDB).
 */
abstract class StateStoreContractTest {
    @TempDir
    Path checkpoint;

    private final List<StateStoreProvider> providers = new ArrayList<>();

    abstract StateStoreConfig.Kind kind();

    /** Deletes a file that loading {@code version} needs; returns the problem the load error must name. */
    abstract String deleteAFileNeededFor(Path directory, long version) throws IOException;

    /** Damages a file that loading {@code version} needs; returns how the load error must begin after the colon. */
    abstract String corruptAFileNeededFor(Path directory, long version) throws IOException;

    Path directory() {
        return StateStores.partitionDirectory(checkpoint, 2, 3);
    }

    StateStoreProvider open(StateStoreConfig config) {
        StateStoreProvider provider = StateStores.open(directory(), config);
        providers.add(provider);
        return provider;
    }

    StateStoreProvider open() {
        return open(StateStoreConfig.of(kind()));
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(StateStoreProvider::close);
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static Map<String, String> contents(StateStore store) {
        Map<String, String> contents = new TreeMap<>();
        store.forEach((key, value) -> contents.put(new String(key, UTF_8), new String(value, UTF_8)));
        return contents;
    }

    static Map<String, String> contentsOf(StateStoreProvider provider, long version) {
        try (StateStore store = provider.load(version)) {
            return contents(store);
        }
    }

    /** Commits {@code count} versions from 0, each putting key {@code k<version>} and changing {@code shared}. */
    static void commitVersions(StateStoreProvider provider, int count) {
        for (long version = 0; version < count; version++) {
            StateStore store = provider.load(version);
            store.put(bytes("k" + version), bytes("value-" + version));
            store.put(bytes("shared"), bytes("from-" + version));
            store.commit();
        }
    }

    static Map<String, String> expectedAfter(int count) {
        Map<String, String> expected = new TreeMap<>();
        for (int version = 0; version < count; version++) {
            expected.put("k" + version, "value-" + version);
            expected.put("shared", "from-" + version);
        }
        return expected;
    }

    @Test
    void aStoreSeesItsOwnPutsAndRemovesOverTheCommittedVersion() {
        // Given
        StateStoreProvider provider = open();
        StateStore first = provider.load(0);
        first.put(bytes("a"), bytes("1"));
        first.put(bytes("b"), bytes("2"));
        first.commit();

        // When
        StateStore store = provider.load(1);
        store.put(bytes("c"), bytes("3"));
        store.put(bytes("a"), bytes("10"));
        store.remove(bytes("b"));
        store.remove(bytes("absent"));
        store.put(bytes("d"), bytes("4"));
        store.remove(bytes("d"));

        // Then
        assertThat(store.get(bytes("a"))).isEqualTo(bytes("10"));
        assertThat(store.get(bytes("b"))).isNull();
        assertThat(store.get(bytes("c"))).isEqualTo(bytes("3"));
        assertThat(store.get(bytes("d"))).isNull();
        assertThat(contents(store)).isEqualTo(Map.of("a", "10", "c", "3"));
        assertThat(store.metrics().numKeys()).isEqualTo(2);
        store.abort();
    }

    @Test
    void commitWritesTheNextVersionAndEndsTheStore() {
        // Given
        StateStoreProvider provider = open();
        StateStore store = provider.load(0);
        store.put(bytes("a"), bytes("1"));

        // When
        long committed = store.commit();

        // Then
        assertThat(committed).isEqualTo(1);
        assertThat(store.version()).isZero();
        assertThatThrownBy(() -> store.put(bytes("b"), bytes("2")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store " + directory() + " at version 0 was already committed");
        assertThatThrownBy(store::commit).isInstanceOf(IllegalStateException.class);
        assertThat(contentsOf(provider, 1)).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void eachOlderVersionLoadsExactlyThatVersionsState() {
        // Given 25 versions of random puts and removes, with a snapshot every 4
        StateStoreProvider provider = open(StateStoreConfig.of(kind()).withSnapshotInterval(4));
        Random random = new Random(42);
        List<Map<String, String>> expected = new ArrayList<>();
        Map<String, String> current = new TreeMap<>();
        expected.add(Map.copyOf(current));
        for (long version = 0; version < 25; version++) {
            StateStore store = provider.load(version);
            for (int i = 0; i < 12; i++) {
                String key = "key" + random.nextInt(20);
                if (random.nextInt(3) == 0) {
                    store.remove(bytes(key));
                    current.remove(key);
                } else {
                    String value = "v" + version + "-" + i;
                    store.put(bytes(key), bytes(value));
                    current.put(key, value);
                }
            }
            assertThat(store.commit()).isEqualTo(version + 1);
            expected.add(Map.copyOf(current));
        }
        List<Integer> order = new ArrayList<>();
        for (int version = 0; version <= 25; version++) {
            order.add(version);
        }
        Collections.shuffle(order, new Random(7));

        // When / Then: the same provider, in a random order
        for (int version : order) {
            assertThat(contentsOf(provider, version)).as("version %s", version).isEqualTo(expected.get(version));
        }
        // When / Then: a restarted provider
        provider.close();
        StateStoreProvider restarted = open();
        for (int version : order) {
            assertThat(contentsOf(restarted, version)).as("version %s", version).isEqualTo(expected.get(version));
        }
    }

    @Test
    void abortDiscardsTheUncommittedChanges() {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 1);
        StateStore store = provider.load(1);
        store.put(bytes("b"), bytes("2"));
        store.remove(bytes("k0"));
        store.put(bytes("shared"), bytes("changed"));

        // When
        store.abort();

        // Then
        assertThat(store.metrics().numKeys()).isEqualTo(2);
        assertThatThrownBy(() -> store.get(bytes("b")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store " + directory() + " at version 1 was already aborted");
        assertThat(contentsOf(provider, 1)).isEqualTo(expectedAfter(1));
    }

    @Test
    void closingAStoreThatHasNotEndedAbortsIt() {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 1);

        // When
        try (StateStore store = provider.load(1)) {
            store.put(bytes("b"), bytes("2"));
        }

        // Then
        assertThat(contentsOf(provider, 1)).isEqualTo(expectedAfter(1));
    }

    @Test
    void aNewProviderOnTheSameDirectoryLoadsTheLatestCommittedVersion() {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 3);
        provider.close();

        // When
        StateStoreProvider restarted = open();

        // Then
        assertThat(contentsOf(restarted, 3)).isEqualTo(expectedAfter(3));
        assertThat(contentsOf(restarted, 2)).isEqualTo(expectedAfter(2));
    }

    @Test
    void aBatchRerunAfterACrashSeesItsVersionAndItsCommitReplacesTheOldNextVersion() {
        // Given versions 5 and 6 committed to the store, but batch 5 never committed by the query (snapshot at 6)
        StateStoreProvider provider = open(StateStoreConfig.of(kind()).withSnapshotInterval(3));
        commitVersions(provider, 5);
        StateStore lost = provider.load(5);
        lost.put(bytes("late"), bytes("old"));
        lost.remove(bytes("k1"));
        lost.commit();

        // When the engine re-runs batch 5
        StateStore rerun = provider.load(5);
        Map<String, String> seen = contents(rerun);
        rerun.put(bytes("late"), bytes("new"));
        rerun.commit();

        // Then
        assertThat(seen).isEqualTo(expectedAfter(5));
        Map<String, String> expected = new TreeMap<>(expectedAfter(5));
        expected.put("late", "new");
        assertThat(contentsOf(provider, 6)).isEqualTo(expected);
        provider.close();
        assertThat(contentsOf(open(), 6)).isEqualTo(expected);
    }

    @Test
    void aRestartedQueryIgnoresVersionsItsCrashedRunNeverCommitted() {
        // Given versions 6 and 7 written by a run that crashed before the query committed batch 5
        StateStoreProvider crashed = open(StateStoreConfig.of(kind()).withSnapshotInterval(3));
        commitVersions(crashed, 5);
        for (long version = 5; version <= 6; version++) {
            StateStore store = crashed.load(version);
            store.put(bytes("late"), bytes("old-" + version));
            store.remove(bytes("k1"));
            store.commit();
        }
        crashed.close();

        // When
        StateStoreProvider restarted = open(StateStoreConfig.of(kind()).withSnapshotInterval(3));
        StateStore rerun = restarted.load(5);
        Map<String, String> seen = contents(rerun);
        rerun.put(bytes("late"), bytes("new"));
        rerun.commit();

        // Then
        assertThat(seen).isEqualTo(expectedAfter(5));
        Map<String, String> expected = new TreeMap<>(expectedAfter(5));
        expected.put("late", "new");
        assertThat(contentsOf(restarted, 6)).isEqualTo(expected);
        assertThatThrownBy(() -> restarted.load(7))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("state store " + directory() + " cannot load version 7: ");
    }

    @Test
    void loadingAVersionWhoseFileIsMissingNamesTheFileAndTheVersionsPresent() throws IOException {
        // Given
        StateStoreProvider provider = open(StateStoreConfig.of(kind()).withSnapshotInterval(100));
        commitVersions(provider, 6);
        provider.close();
        String problem = deleteAFileNeededFor(directory(), 6);

        // When / Then
        StateStoreProvider restarted = open();
        assertThatThrownBy(() -> restarted.load(6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store " + directory() + " cannot load version 6: " + problem);
    }

    @Test
    void loadingAVersionWhoseFileIsCorruptNamesTheFile() throws IOException {
        // Given
        StateStoreProvider provider = open(StateStoreConfig.of(kind()).withSnapshotInterval(100));
        commitVersions(provider, 6);
        provider.close();
        String problem = corruptAFileNeededFor(directory(), 6);

        // When / Then
        StateStoreProvider restarted = open();
        assertThatThrownBy(() -> restarted.load(6))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("state store " + directory() + " cannot load version 6: " + problem);
    }

    @Test
    void loadingAVersionNeverWrittenIsAClearError() {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 2);

        // When / Then
        assertThatThrownBy(() -> provider.load(3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("state store " + directory() + " cannot load version 3: ");
        assertThat(contentsOf(provider, 2)).isEqualTo(expectedAfter(2));
    }

    @Test
    void cleanUpKeepsTheRetainedVersionsLoadable() {
        // Given
        StateStoreConfig config =
                StateStoreConfig.of(kind()).withSnapshotInterval(5).withMinVersionsToRetain(3);
        StateStoreProvider provider = open(config);

        // When
        commitVersions(provider, 23);

        // Then
        provider.close();
        StateStoreProvider restarted = open(config);
        for (int version = 21; version <= 23; version++) {
            assertThat(contentsOf(restarted, version)).isEqualTo(expectedAfter(version));
        }
        assertThatThrownBy(() -> restarted.load(10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("state store " + directory() + " cannot load version 10: ");
        assertThat(contentsOf(restarted, 23)).isEqualTo(expectedAfter(23));
    }

    @Test
    void metricsCountKeysAndTheBytesACommitWrote() {
        // Given
        StateStoreProvider provider = open();
        StateStore store = provider.load(0);
        store.put(bytes("a"), bytes("1"));
        store.put(bytes("b"), bytes("2"));
        store.put(bytes("a"), bytes("3"));
        StateStoreMetrics beforeCommit = store.metrics();

        // When
        store.commit();

        // Then
        assertThat(beforeCommit.numKeys()).isEqualTo(2);
        assertThat(beforeCommit.memoryBytes()).isPositive();
        assertThat(beforeCommit.commitBytesWritten()).isZero();
        assertThat(store.metrics().numKeys()).isEqualTo(2);
        assertThat(store.metrics().commitBytesWritten()).isPositive();
        StateStore next = provider.load(1);
        assertThat(next.metrics().numKeys()).isEqualTo(2);
        next.remove(bytes("a"));
        next.remove(bytes("a"));
        next.put(bytes("c"), bytes("4"));
        assertThat(next.metrics().numKeys()).isEqualTo(2);
        next.remove(bytes("c"));
        assertThat(next.metrics().numKeys()).isEqualTo(1);
        next.abort();
        provider.close();
        try (StateStore restored = open().load(1)) {
            assertThat(restored.metrics().numKeys()).isEqualTo(2);
        }
    }

    @Test
    void onlyOneStoreOfAProviderIsOpenAtATime() {
        // Given
        StateStoreProvider provider = open();
        StateStore store = provider.load(0);

        // When / Then
        assertThatThrownBy(() -> provider.load(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store " + directory()
                        + " is still open at version 0; commit or abort it before loading version 0");
        store.abort();
        assertThat(contentsOf(provider, 0)).isEmpty();
    }

    @Test
    void aStoreCopiesTheArraysItIsGiven() {
        // Given
        StateStoreProvider provider = open();
        StateStore store = provider.load(0);
        byte[] key = bytes("key");
        byte[] value = bytes("value");

        // When
        store.put(key, value);
        key[0] = 'X';
        value[0] = 'X';

        // Then
        assertThat(store.get(bytes("key"))).isEqualTo(bytes("value"));
        store.commit();
        assertThat(contentsOf(provider, 1)).isEqualTo(Map.of("key", "value"));
    }

    @Test
    void versionZeroIsEmptyAndANegativeVersionIsRejected() {
        // Given
        StateStoreProvider provider = open();

        // When / Then
        assertThat(contentsOf(provider, 0)).isEmpty();
        assertThatThrownBy(() -> provider.load(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("version must be >= 0, was -1");
    }

    @Test
    void aClosedProviderRefusesLoadsAndClosesOnlyOnce() {
        // Given
        StateStoreProvider provider = open();
        commitVersions(provider, 1);
        StateStore open = provider.load(1);

        // When
        provider.close();
        provider.close();

        // Then
        assertThatThrownBy(() -> provider.load(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store provider " + directory() + " is closed");
        assertThatThrownBy(() -> open.get(bytes("k0")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state store provider " + directory() + " is closed");
        open.abort();
    }
}
