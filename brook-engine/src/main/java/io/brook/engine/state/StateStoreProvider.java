package io.brook.engine.state;

import java.nio.file.Path;

/**
 * The versions of one stateful operator partition, kept in one directory of the query's checkpoint
 * ({@code state/<operatorId>/<partitionId>/}); {@link StateStores#open} makes one. The engine loads the store of
 * version N for micro-batch N, and committing that store writes version N + 1. Version 0 is the empty state.
 *
 * <p>A version that was written but never committed by the query (a crash after the state commit and before the
 * commit log) is simply ignored when an older version is loaded, and replaced when the re-run batch commits. Old
 * versions are deleted after commits, keeping at least the last {@link StateStoreConfig#minVersionsToRetain}.
 *
 * <p>Not thread-safe: one task at a time uses a provider, and at most one store of a provider is open at a time.
 * {@link #close} releases memory, files and native handles; it is idempotent, and a store still open becomes unusable.
 */
public interface StateStoreProvider extends AutoCloseable {
    /** The directory holding this partition's versions. */
    Path directory();

    /**
     * Exactly the state committed as {@code version} (0 is empty).
     *
     * @throws IllegalStateException naming the directory and the versions present, if the version's files are
     *     missing or corrupt, or if a store of this provider is still open
     * @throws IllegalArgumentException if the version is negative
     */
    StateStore load(long version);

    @Override
    void close();
}
