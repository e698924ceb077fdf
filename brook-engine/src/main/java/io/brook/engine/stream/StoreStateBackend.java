package io.brook.engine.stream;

import io.brook.engine.exec.KeyValueState;
import io.brook.engine.state.StateStore;
import io.brook.engine.state.StateStoreConfig;
import io.brook.engine.state.StateStoreMetrics;
import io.brook.engine.state.StateStoreProvider;
import io.brook.engine.state.StateStores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Operator state in the checkpoint's versioned state stores ({@code state/<operatorId>/0}), in memory or in RocksDB
 * by config. A provider per operator stays open for the query's life; each micro-batch loads its version and commits.
 */
final class StoreStateBackend implements StateBackend {
    private final Path checkpoint;
    private final StateStoreConfig config;
    /** Keys are (operator, partition) pairs; partitions of one batch open and write their stores concurrently. */
    private final Map<List<Integer>, StateStoreProvider> providers = new ConcurrentHashMap<>();

    private final Map<List<Integer>, StateStore> open = new ConcurrentHashMap<>();
    private final Map<List<Integer>, StateStoreMetrics> lastMetrics = new ConcurrentHashMap<>();
    private final Map<List<Integer>, Long> updated = new ConcurrentHashMap<>();

    StoreStateBackend(Path checkpoint, StateStoreConfig config) {
        this.checkpoint = checkpoint;
        this.config = config;
    }

    @Override
    public KeyValueState open(int operatorId, int partition, long version) {
        List<Integer> id = List.of(operatorId, partition);
        StateStore current = open.computeIfAbsent(id, key -> {
            StateStoreProvider provider = providers.computeIfAbsent(
                    key,
                    k -> StateStores.open(StateStores.partitionDirectory(checkpoint, operatorId, partition), config));
            updated.put(key, 0L);
            return provider.load(version);
        });
        return new KeyValueState() {
            @Override
            public byte[] get(byte[] key) {
                return current.get(key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                current.put(key, value);
                updated.merge(id, 1L, Long::sum);
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
        for (Map.Entry<List<Integer>, StateStore> entry : open.entrySet()) {
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
        long[] total = new long[3];
        lastMetrics.forEach((id, metrics) -> {
            if (id.get(0) == operatorId) {
                total[0] += metrics.numKeys();
                total[1] += updated.getOrDefault(id, 0L);
                total[2] += metrics.memoryBytes();
            }
        });
        return total;
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
