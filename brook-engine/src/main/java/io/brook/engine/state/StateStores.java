package io.brook.engine.state;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Opens the {@link StateStoreProvider} of one operator partition in a query's checkpoint. */
public final class StateStores {
    private StateStores() {}

    /** The directory of one operator partition's state: {@code <checkpoint>/state/<operatorId>/<partitionId>}. */
    public static Path partitionDirectory(Path checkpoint, int operatorId, int partitionId) {
        requireNonNull(checkpoint, "checkpoint is null");
        if (operatorId < 0) {
            throw new IllegalArgumentException("operatorId must be >= 0, was " + operatorId);
        }
        if (partitionId < 0) {
            throw new IllegalArgumentException("partitionId must be >= 0, was " + partitionId);
        }
        return checkpoint.resolve("state").resolve(Integer.toString(operatorId)).resolve(Integer.toString(partitionId));
    }

    /** A provider over {@code directory}, created if absent, of the kind {@code config} names. */
    public static StateStoreProvider open(Path directory, StateStoreConfig config) {
        requireNonNull(directory, "directory is null");
        requireNonNull(config, "config is null");
        try {
            return switch (config.kind()) {
                case MEMORY -> new InMemoryStateStoreProvider(directory, config);
                case ROCKSDB -> new RocksDbStateStoreProvider(directory, config);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open state store " + directory + ": " + e, e);
        }
    }
}
