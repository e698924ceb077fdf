package io.brook.engine.state;

/**
 * What a {@link StateStore} holds and, once committed, what its commit wrote.
 *
 * @param numKeys the number of entries, uncommitted changes included
 * @param memoryBytes an estimate of the memory the state takes (for RocksDB: block cache, memtables, table readers)
 * @param commitBytesWritten the bytes the commit wrote to the checkpoint; 0 before a commit
 */
public record StateStoreMetrics(long numKeys, long memoryBytes, long commitBytesWritten) {
    public StateStoreMetrics {
        if (numKeys < 0) {
            throw new IllegalArgumentException("numKeys must be >= 0, was " + numKeys);
        }
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes must be >= 0, was " + memoryBytes);
        }
        if (commitBytesWritten < 0) {
            throw new IllegalArgumentException("commitBytesWritten must be >= 0, was " + commitBytesWritten);
        }
    }
}
