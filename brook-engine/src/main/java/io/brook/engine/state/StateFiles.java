package io.brook.engine.state;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * File helpers shared by the providers: checksummed files written whole to a temporary name, fsynced and renamed into
 * place, and read back with their checksum checked before anything trusts them.
 *
 * <p>A checksummed file is {@code magic (int), format (byte), body, CRC32C of all before (int)}. The body is written
 * and read by the caller; the reader bounds every length by the file's size so a corrupt length cannot allocate
 * wildly.
 */
final class StateFiles {
    static final byte FORMAT = 1;
    static final String TEMPORARY_SUFFIX = ".tmp";

    private StateFiles() {}

    /** Writes a file body. */
    interface BodyWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a file body; {@link Reader#readBytes} checks lengths. */
    interface BodyReader<T> {
        T read(Reader in) throws IOException;
    }

    /** Thrown while reading a file whose bytes are not what its writer wrote. */
    static final class CorruptFileException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptFileException(String message) {
            super(message);
        }
    }

    /** A checked view of a file being read. */
    static final class Reader {
        private final DataInputStream in;
        private final long fileSize;

        Reader(DataInputStream in, long fileSize) {
            this.in = in;
            this.fileSize = fileSize;
        }

        byte readByte() throws IOException {
            return in.readByte();
        }

        int readInt() throws IOException {
            return in.readInt();
        }

        long readLong() throws IOException {
            return in.readLong();
        }

        byte[] readBytes() throws IOException {
            int length = in.readInt();
            if (length < 0 || length > fileSize) {
                throw new CorruptFileException("a length of " + length + " in a file of " + fileSize + " bytes");
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
        }
    }

    /**
     * Writes {@code file} durably: to a temporary file, fsynced, renamed over {@code file}. The caller fsyncs the
     * directory (once for all files of a commit). Returns the bytes written.
     */
    static long writeAtomically(Path file, int magic, BodyWriter body) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
        long size;
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
            CRC32C crc = new CRC32C();
            DataOutputStream checked = new DataOutputStream(new CheckedOutputStream(buffered, crc));
            checked.writeInt(magic);
            checked.writeByte(FORMAT);
            body.write(checked);
            checked.flush();
            new DataOutputStream(buffered).writeInt((int) crc.getValue());
            buffered.flush();
            channel.force(true);
            size = channel.size();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return size;
    }

    /** Reads a file written by {@link #writeAtomically}, checking its magic, format, length and checksum. */
    static <T> T read(Path file, int magic, BodyReader<T> body) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            CRC32C crc = new CRC32C();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            T result;
            try {
                int actualMagic = in.readInt();
                if (actualMagic != magic) {
                    throw new CorruptFileException("magic is 0x" + Integer.toHexString(actualMagic) + "; expected 0x"
                            + Integer.toHexString(magic));
                }
                byte format = in.readByte();
                if (format != FORMAT) {
                    throw new CorruptFileException("format is " + format + "; expected " + FORMAT);
                }
                result = body.read(new Reader(in, fileSize));
                int computed = (int) crc.getValue();
                int stored = new DataInputStream(raw).readInt();
                if (stored != computed) {
                    throw new CorruptFileException("checksum mismatch: the file says 0x" + Integer.toHexString(stored)
                            + ", its bytes give 0x" + Integer.toHexString(computed));
                }
            } catch (EOFException e) {
                throw new CorruptFileException("it ends early, at " + fileSize + " bytes");
            }
            if (raw.read() != -1) {
                throw new CorruptFileException("it has bytes after its checksum");
            }
            return result;
        }
    }

    /** Fsyncs a directory so that renames and deletions in it survive a crash. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Fsyncs a file. */
    static void syncFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** The entries of a directory, or none if it does not exist. */
    static List<Path> list(Path directory) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                paths.add(path);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return paths;
    }

    /** Deletes a file or a directory tree, if present. */
    static void deleteRecursively(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            for (Path child : list(path)) {
                deleteRecursively(child);
            }
        }
        Files.deleteIfExists(path);
    }

    /** Versions as ranges, {@code [1-4, 6, 9-10]}. */
    static String describeVersions(NavigableSet<Long> versions) {
        StringBuilder text = new StringBuilder("[");
        Iterator<Long> iterator = versions.iterator();
        long start = -1;
        long end = -1;
        while (iterator.hasNext()) {
            long version = iterator.next();
            if (start >= 0 && version == end + 1) {
                end = version;
                continue;
            }
            appendRange(text, start, end);
            start = version;
            end = version;
        }
        appendRange(text, start, end);
        return text.append(']').toString();
    }

    private static void appendRange(StringBuilder text, long start, long end) {
        if (start < 0) {
            return;
        }
        if (text.length() > 1) {
            text.append(", ");
        }
        text.append(start);
        if (end > start) {
            text.append('-').append(end);
        }
    }

    /** Closes all, in order, carrying on after a failure; rethrows the first with the rest suppressed. */
    static void closeAll(Collection<? extends AutoCloseable> closeables) {
        Throwable first = null;
        for (AutoCloseable closeable : closeables) {
            if (closeable == null) {
                continue;
            }
            try {
                closeable.close();
            } catch (Exception | Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new IllegalStateException("closing failed", first);
        }
    }
}
