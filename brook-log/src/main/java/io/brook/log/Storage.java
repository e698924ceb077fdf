package io.brook.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one seam through which the log touches the file system. {@link FileSystemStorage} is the real one; tests use a
 * simulated disk that, on a simulated power loss, keeps only what was fsynced. A new file's name is durable only
 * after {@link #fsyncDirectory} of its directory, as on a real file system.
 */
public interface Storage {
    /** Opens a file for reading and writing, creating it if it does not exist. */
    LogFile open(Path path) throws IOException;

    boolean exists(Path path);

    void createDirectories(Path directory) throws IOException;

    /** The entries of a directory, sorted by name. */
    List<Path> list(Path directory) throws IOException;

    void deleteIfExists(Path path) throws IOException;

    /** Renames atomically, replacing the target. */
    void rename(Path source, Path target) throws IOException;

    void fsyncDirectory(Path directory) throws IOException;

    /** Writes a small file atomically and durably: temporary file, fsync, rename, fsync of the directory. */
    default void writeAtomically(Path path, byte[] content) throws IOException {
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        try (LogFile file = open(temporary)) {
            file.truncate(0);
            file.write(java.nio.ByteBuffer.wrap(content), 0);
            file.force();
        }
        rename(temporary, path);
        fsyncDirectory(path.getParent());
    }

    /** Reads a whole small file. */
    default byte[] readAll(Path path) throws IOException {
        try (LogFile file = open(path)) {
            long size = file.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException("file " + path + " is too large to read whole: " + size + " bytes");
            }
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) size);
            file.read(buffer, 0);
            return buffer.array();
        }
    }
}
