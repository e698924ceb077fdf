package io.brook.engine.state;

import static java.util.Objects.requireNonNull;

/**
 * How a query's state is kept: the kind of store and how much history stays on disk.
 *
 * @param kind {@link Kind#MEMORY} (the default) or {@link Kind#ROCKSDB} for state larger than memory
 * @param snapshotInterval the in-memory store writes a full snapshot every this many versions (a changelog file
 *     otherwise); the RocksDB store checkpoints every version, sharing unchanged files through hard links
 * @param minVersionsToRetain the number of latest versions that stay loadable after old files are deleted
 * @param rocksDbBlockCacheBytes the RocksDB block cache of one partition
 * @param rocksDbWriteBufferBytes the RocksDB memtable size of one partition (flushed at every commit anyway)
 */
public record StateStoreConfig(
        Kind kind,
        int snapshotInterval,
        int minVersionsToRetain,
        long rocksDbBlockCacheBytes,
        long rocksDbWriteBufferBytes) {
    public static final int DEFAULT_SNAPSHOT_INTERVAL = 10;
    public static final int DEFAULT_MIN_VERSIONS_TO_RETAIN = 100;
    public static final long DEFAULT_ROCKSDB_BLOCK_CACHE_BYTES = 8L << 20;
    public static final long DEFAULT_ROCKSDB_WRITE_BUFFER_BYTES = 8L << 20;

    /** The store kinds. */
    public enum Kind {
        MEMORY,
        ROCKSDB
    }

    public StateStoreConfig {
        requireNonNull(kind, "kind is null");
        if (snapshotInterval < 1) {
            throw new IllegalArgumentException("snapshotInterval must be >= 1, was " + snapshotInterval);
        }
        if (minVersionsToRetain < 1) {
            throw new IllegalArgumentException("minVersionsToRetain must be >= 1, was " + minVersionsToRetain);
        }
        if (rocksDbBlockCacheBytes < 0) {
            throw new IllegalArgumentException("rocksDbBlockCacheBytes must be >= 0, was " + rocksDbBlockCacheBytes);
        }
        if (rocksDbWriteBufferBytes < 64 * 1024) {
            throw new IllegalArgumentException(
                    "rocksDbWriteBufferBytes must be >= 65536, was " + rocksDbWriteBufferBytes);
        }
    }

    /** The defaults for {@code kind}. */
    public static StateStoreConfig of(Kind kind) {
        return new StateStoreConfig(
                kind,
                DEFAULT_SNAPSHOT_INTERVAL,
                DEFAULT_MIN_VERSIONS_TO_RETAIN,
                DEFAULT_ROCKSDB_BLOCK_CACHE_BYTES,
                DEFAULT_ROCKSDB_WRITE_BUFFER_BYTES);
    }

    /** The default configuration: the in-memory store. */
    public static StateStoreConfig defaults() {
        return of(Kind.MEMORY);
    }

    public StateStoreConfig withSnapshotInterval(int snapshotInterval) {
        return new StateStoreConfig(
                kind, snapshotInterval, minVersionsToRetain, rocksDbBlockCacheBytes, rocksDbWriteBufferBytes);
    }

    public StateStoreConfig withMinVersionsToRetain(int minVersionsToRetain) {
        return new StateStoreConfig(
                kind, snapshotInterval, minVersionsToRetain, rocksDbBlockCacheBytes, rocksDbWriteBufferBytes);
    }
}
