package io.brook.engine.stream;

import io.brook.engine.exec.KeyValueState;
import io.brook.engine.state.StateStore;
import io.brook.engine.state.StateStoreConfig;
import io.brook.engine.state.StateStoreMetrics;
import io.brook.engine.state.StateStoreProvider;
import io.brook.engine.state.StateStores;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Operator state in the checkpoint's versioned state stores ({@code state/<operatorId>/0}), in memory or in RocksDB
 * by config. A provider per operator stays open for the query's life; each micro-batch loads its version and commits.
 */
final class StoreStateBackend implements StateBackend {
    private final Path checkpoint;
    private final StateStoreConfig config;
    private final Map<Integer, StateStoreProvider> providers = new HashMap<>();
    private final Map<Integer, StateStore> open = new HashMap<>();
    private final Map<Integer, StateStoreMetrics> lastMetrics = new HashMap<>();
    private final Map<Integer, Long> updated = new HashMap<>();

    StoreStateBackend(Path checkpoint, StateStoreConfig config) {
        this.checkpoint = checkpoint;
        this.config = config;
    }

    @Override
    public KeyValueState open(int operatorId, long version) {
        StateStore store = open.get(operatorId);
        if (store == null) {
            StateStoreProvider provider = providers.computeIfAbsent(
                    operatorId, id -> StateStores.open(StateStores.partitionDirectory(checkpoint, id, 0), config));
            store = provider.load(version);
            open.put(operatorId, store);
            updated.put(operatorId, 0L);
        }
        StateStore current = store;
        return new KeyValueState() {
            @Override
            public byte[] get(byte[] key) {
                return current.get(key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                current.put(key, value);
                updated.merge(operatorId, 1L, Long::sum);
            }

            @Override
            public void remove(byte[] key) {
                current.remove(key);
            }

            @Override
            public void forEach(BiConsumer<byte[], byte[]> action) {
                current.forEach(action);
            }
        };
    }

    @Override
    public void commit() {
        for (Map.Entry<Integer, StateStore> entry : open.entrySet()) {
            entry.getValue().commit();
            lastMetrics.put(entry.getKey(), entry.getValue().metrics());
        }
        open.clear();
    }

    @Override
    public void abort() {
        for (StateStore store : open.values()) {
            store.abort();
        }
        open.clear();
    }

    @Override
    public long[] metrics(int operatorId) {
        StateStoreMetrics metrics = lastMetrics.get(operatorId);
        if (metrics == null) {
            return new long[3];
        }
        return new long[] {metrics.numKeys(), updated.getOrDefault(operatorId, 0L), metrics.memoryBytes()};
    }

    @Override
    public void close() {
        abort();
        RuntimeException first = null;
        for (StateStoreProvider provider : providers.values()) {
            try {
                provider.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        providers.clear();
        if (first != null) {
            throw first;
        }
    }
}
