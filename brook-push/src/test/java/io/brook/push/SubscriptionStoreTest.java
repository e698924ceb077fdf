package io.brook.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionStoreTest {
    @TempDir
    Path dataDir;

    @Test
    void keepsDefinitionsAndStatesAcrossInstancesInAnOwnerOnlyFile() throws Exception {
        // Given
        SubscriptionSpec full = new SubscriptionSpec(
                "a", "orders", "https://example.com/hook", 5, 0, 3, Optional.of("dead"), Optional.of("s3cret"));
        SubscriptionSpec plain = SubscriptionSpec.of("b", "clicks", "http://127.0.0.1:9000/hook");
        List<SubscriptionStore.Stored> stored = List.of(
                new SubscriptionStore.Stored(full, SubscriptionState.PAUSED),
                new SubscriptionStore.Stored(plain, SubscriptionState.ACTIVE));

        // When
        new SubscriptionStore(dataDir).save(stored);
        List<SubscriptionStore.Stored> loaded = new SubscriptionStore(dataDir).load();

        // Then
        assertThat(loaded).isEqualTo(stored);
        Path file = dataDir.resolve("push").resolve("subscriptions.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(file.resolveSibling("subscriptions.json.tmp")).doesNotExist();
    }

    @Test
    void startsEmptyWithoutAFileAndRefusesAnotherVersion() throws Exception {
        SubscriptionStore store = new SubscriptionStore(dataDir);
        assertThat(store.load()).isEmpty();

        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), "{\"version\": 2, \"subscriptions\": []}", StandardCharsets.UTF_8);
        assertThatThrownBy(store::load).hasMessage("push subscriptions file " + store.file() + " is not version 1");
    }
}
