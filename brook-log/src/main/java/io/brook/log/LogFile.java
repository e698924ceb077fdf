package io.brook.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One open file of the log, seen through the narrow I/O seam ({@link Storage}). Positional reads and writes are safe
 * from several threads at once; {@link #force} makes everything written (and every change to a buffer from
 * {@link #map}) durable. Closing is idempotent.
 */
public interface LogFile extends AutoCloseable {
    long size() throws IOException;

    /** Writes all of {@code source} at {@code position}. */
    void write(ByteBuffer source, long position) throws IOException;

    /** Reads into {@code target} from {@code position} until it is full or the file ends; returns bytes read. */
    int read(ByteBuffer target, long position) throws IOException;

    void truncate(long size) throws IOException;

    /** fsync: data and mapped changes reach stable storage before this returns. */
    void force() throws IOException;

    /**
     * Maps the first {@code size} bytes (growing the file if needed) for reading and writing. Changes are durable
     * after {@link #force}. The mapping stays valid until the file is closed.
     */
    ByteBuffer map(int size) throws IOException;

    /**
     * The underlying channel when this file is a real one, so a reader can send a region of it to a socket without
     * copying (sendfile); null when the storage is simulated.
     */
    default java.nio.channels.FileChannel fileChannel() {
        return null;
    }

    @Override
    void close() throws IOException;
}
