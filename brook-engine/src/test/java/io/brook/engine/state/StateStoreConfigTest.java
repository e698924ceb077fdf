package io.brook.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StateStoreConfigTest {
    @Test
    void theDefaultsAreTheInMemoryStoreWithASnapshotEveryTenVersionsAndAHundredRetained() {
        // Given / When
        StateStoreConfig config = StateStoreConfig.defaults();

        // Then
        assertThat(config).isEqualTo(new StateStoreConfig(StateStoreConfig.Kind.MEMORY, 10, 100, 8L << 20, 8L << 20));
        assertThat(StateStoreConfig.of(StateStoreConfig.Kind.ROCKSDB).kind()).isEqualTo(StateStoreConfig.Kind.ROCKSDB);
        assertThat(config.withSnapshotInterval(3).withMinVersionsToRetain(4))
                .isEqualTo(new StateStoreConfig(StateStoreConfig.Kind.MEMORY, 3, 4, 8L << 20, 8L << 20));
    }

    @Test
    void eachSettingIsChecked() {
        StateStoreConfig.Kind memory = StateStoreConfig.Kind.MEMORY;
        assertThatThrownBy(() -> new StateStoreConfig(null, 10, 100, 0, 1 << 20))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("kind is null");
        assertThatThrownBy(() -> new StateStoreConfig(memory, 0, 100, 0, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("snapshotInterval must be >= 1, was 0");
        assertThatThrownBy(() -> new StateStoreConfig(memory, 10, 0, 0, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minVersionsToRetain must be >= 1, was 0");
        assertThatThrownBy(() -> new StateStoreConfig(memory, 10, 100, -1, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rocksDbBlockCacheBytes must be >= 0, was -1");
        assertThatThrownBy(() -> new StateStoreConfig(memory, 10, 100, 0, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rocksDbWriteBufferBytes must be >= 65536, was 1000");
    }

    @Test
    void aPartitionsStateLivesUnderTheCheckpointsStateDirectory() {
        // Given
        Path checkpoint = Path.of("/checkpoints/q1");

        // When
        Path directory = StateStores.partitionDirectory(checkpoint, 4, 7);

        // Then
        assertThat(directory).isEqualTo(Path.of("/checkpoints/q1/state/4/7"));
        assertThatThrownBy(() -> StateStores.partitionDirectory(checkpoint, -1, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("operatorId must be >= 0, was -1");
        assertThatThrownBy(() -> StateStores.partitionDirectory(checkpoint, 4, -7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitionId must be >= 0, was -7");
    }
}
