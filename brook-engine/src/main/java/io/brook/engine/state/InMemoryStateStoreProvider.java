package io.brook.engine.state;

import static java.util.Objects.requireNonNull;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default state store: the latest version's entries in a hash map, and on disk a changelog file per version
 * ({@code <version>.delta}: that batch's puts and removes) plus a full {@code <version>.snapshot} every
 * {@link StateStoreConfig#snapshotInterval} versions, in the manner of Spark's HDFS-backed provider.
 *
 * <p>Loading the version the map holds (the usual case: the next batch starts where the last committed) reuses the map;
 * a store's changes stay in its own overlay until commit, so abort costs nothing. Any other version is rebuilt from the
 * newest snapshot at or below it and the deltas after that snapshot, ignoring files of later versions (written by a
 * batch the query never committed); committing a version deletes such later files, so a re-run replaces them.
 *
 * <p>Not thread-safe; see {@link StateStoreProvider} for the lifecycle.
 */
final class InMemoryStateStoreProvider implements StateStoreProvider, OverlayStateStore.Backend {
    static final String DELTA_SUFFIX = ".delta";
    static final String SNAPSHOT_SUFFIX = ".snapshot";
    private static final int DELTA_MAGIC = 0x42524b44; // "BRKD"
    private static final int SNAPSHOT_MAGIC = 0x42524b53; // "BRKS"
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final byte END = 0;
    private static final Pattern FILE_NAME = Pattern.compile("(\\d+)(\\.delta|\\.snapshot)");

    private final Path directory;
    private final StateStoreConfig config;
    private Map<ByteArrayKey, byte[]> entries = new HashMap<>();
    private long entryBytes;
    /** The version {@link #entries} holds, or -1 when it holds none (after a failed commit or load). */
    private long cachedVersion;

    private OverlayStateStore openStore;
    private boolean closed;

    InMemoryStateStoreProvider(Path directory, StateStoreConfig config) throws IOException {
        this.directory = requireNonNull(directory, "directory is null");
        this.config = requireNonNull(config, "config is null");
        Files.createDirectories(directory);
        for (Path path : StateFiles.list(directory)) {
            if (path.getFileName().toString().endsWith(StateFiles.TEMPORARY_SUFFIX)) {
                Files.delete(path); // left by a commit that crashed before its rename
            }
        }
        this.cachedVersion = 0;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public StateStore load(long version) {
        throwIfClosed();
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        if (openStore != null) {
            throw new IllegalStateException("state store " + directory + " is still open at version "
                    + openStore.version() + "; commit or abort it before loading version " + version);
        }
        if (cachedVersion != version) {
            cachedVersion = -1;
            entries = new HashMap<>();
            entryBytes = 0;
            rebuild(version);
            cachedVersion = version;
        }
        openStore = new OverlayStateStore(this, version);
        return openStore;
    }

    private void rebuild(long version) {
        if (version == 0) {
            return;
        }
        VersionFiles files = listFiles();
        Long snapshot = files.snapshots.floor(version);
        long start = snapshot == null ? 0 : snapshot;
        for (long delta = start + 1; delta <= version; delta++) {
            if (!files.deltas.contains(delta)) {
                throw cannotLoad(version, delta + DELTA_SUFFIX + " is missing", files, null);
            }
        }
        String current = null;
        try {
            if (snapshot != null) {
                current = snapshot + SNAPSHOT_SUFFIX;
                readSnapshot(snapshot);
            }
            for (long delta = start + 1; delta <= version; delta++) {
                current = delta + DELTA_SUFFIX;
                readDelta(delta);
            }
        } catch (StateFiles.CorruptFileException e) {
            throw cannotLoad(version, current + " is corrupt: " + e.getMessage(), files, e);
        } catch (IOException e) {
            throw cannotLoad(version, "cannot read " + current + ": " + e, files, e);
        }
    }

    private void readSnapshot(long version) throws IOException {
        StateFiles.read(directory.resolve(version + SNAPSHOT_SUFFIX), SNAPSHOT_MAGIC, in -> {
            readHeaderVersion(in, version);
            long count = in.readLong();
            for (long i = 0; i < count; i++) {
                putEntry(new ByteArrayKey(in.readBytes()), in.readBytes());
            }
            return null;
        });
    }

    private void readDelta(long version) throws IOException {
        StateFiles.read(directory.resolve(version + DELTA_SUFFIX), DELTA_MAGIC, in -> {
            readHeaderVersion(in, version);
            while (true) {
                byte type = in.readByte();
                if (type == END) {
                    return null;
                }
                if (type == PUT) {
                    putEntry(new ByteArrayKey(in.readBytes()), in.readBytes());
                } else if (type == REMOVE) {
                    removeEntry(new ByteArrayKey(in.readBytes()));
                } else {
                    throw new StateFiles.CorruptFileException("unknown record type " + type);
                }
            }
        });
    }

    private static void readHeaderVersion(StateFiles.Reader in, long expected) throws IOException {
        long version = in.readLong();
        if (version != expected) {
            throw new StateFiles.CorruptFileException("it holds version " + version);
        }
    }

    private void putEntry(ByteArrayKey key, byte[] value) {
        byte[] previous = entries.put(key, value);
        entryBytes += previous == null
                ? key.bytes().length + value.length + OverlayStateStore.ENTRY_OVERHEAD_BYTES
                : value.length - previous.length;
    }

    private void removeEntry(ByteArrayKey key) {
        byte[] previous = entries.remove(key);
        if (previous != null) {
            entryBytes -= key.bytes().length + previous.length + OverlayStateStore.ENTRY_OVERHEAD_BYTES;
        }
    }

    @Override
    public byte[] get(ByteArrayKey key) {
        throwIfClosed();
        return entries.get(key);
    }

    @Override
    public void forEach(BiConsumer<ByteArrayKey, byte[]> action) {
        throwIfClosed();
        entries.forEach(action);
    }

    @Override
    public long numKeys() {
        return entries.size();
    }

    @Override
    public long memoryBytes() {
        return entryBytes;
    }

    @Override
    public long commit(long version, Map<ByteArrayKey, OverlayStateStore.Change> changes, long numKeysAfter) {
        throwIfClosed();
        if (cachedVersion != version) {
            throw new IllegalStateException("state store " + directory + " holds version " + cachedVersion
                    + ", not the store's version " + version);
        }
        long newVersion = version + 1;
        cachedVersion = -1; // until the commit has fully succeeded
        try {
            long written = StateFiles.writeAtomically(
                    directory.resolve(newVersion + DELTA_SUFFIX),
                    DELTA_MAGIC,
                    out -> writeDelta(out, newVersion, changes));
            changes.forEach((key, change) -> {
                if (change.value == null) {
                    removeEntry(key);
                } else {
                    putEntry(key, change.value);
                }
            });
            if (entries.size() != numKeysAfter) {
                throw new IllegalStateException("state store " + directory + " counted " + numKeysAfter
                        + " keys for version " + newVersion + " but holds " + entries.size());
            }
            Path snapshot = directory.resolve(newVersion + SNAPSHOT_SUFFIX);
            if (newVersion % config.snapshotInterval() == 0) {
                written += StateFiles.writeAtomically(snapshot, SNAPSHOT_MAGIC, out -> writeSnapshot(out, newVersion));
            } else {
                Files.deleteIfExists(snapshot); // from an earlier run with another interval
            }
            deleteObsoleteFiles(newVersion);
            StateFiles.syncDirectory(directory);
            cachedVersion = newVersion;
            return written;
        } catch (IOException e) {
            entries = new HashMap<>();
            entryBytes = 0;
            throw new UncheckedIOException(
                    "state store " + directory + " cannot commit version " + newVersion + ": " + e, e);
        }
    }

    private static void writeDelta(
            DataOutputStream out, long version, Map<ByteArrayKey, OverlayStateStore.Change> changes)
            throws IOException {
        out.writeLong(version);
        for (Map.Entry<ByteArrayKey, OverlayStateStore.Change> entry : changes.entrySet()) {
            byte[] value = entry.getValue().value;
            out.writeByte(value == null ? REMOVE : PUT);
            writeBytes(out, entry.getKey().bytes());
            if (value != null) {
                writeBytes(out, value);
            }
        }
        out.writeByte(END);
    }

    private void writeSnapshot(DataOutputStream out, long version) throws IOException {
        out.writeLong(version);
        out.writeLong(entries.size());
        for (Map.Entry<ByteArrayKey, byte[]> entry : entries.entrySet()) {
            writeBytes(out, entry.getKey().bytes());
            writeBytes(out, entry.getValue());
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Deletes files of versions above {@code latest} (left by batches the query never committed, now replaced) and
     * files no longer needed to load the last {@code minVersionsToRetain} versions: everything below the newest
     * snapshot at or below the oldest version to keep.
     */
    private void deleteObsoleteFiles(long latest) throws IOException {
        VersionFiles files = listFiles();
        long oldestToKeep = latest - config.minVersionsToRetain() + 1;
        Long base = files.snapshots.floor(oldestToKeep);
        for (Path path : StateFiles.list(directory)) {
            Matcher matcher = FILE_NAME.matcher(path.getFileName().toString());
            if (matcher.matches()) {
                long version = Long.parseLong(matcher.group(1));
                if (version > latest || (base != null && version < base)) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private VersionFiles listFiles() {
        NavigableSet<Long> deltas = new TreeSet<>();
        NavigableSet<Long> snapshots = new TreeSet<>();
        try {
            for (Path path : StateFiles.list(directory)) {
                Matcher matcher = FILE_NAME.matcher(path.getFileName().toString());
                if (matcher.matches()) {
                    long version = Long.parseLong(matcher.group(1));
                    (matcher.group(2).equals(DELTA_SUFFIX) ? deltas : snapshots).add(version);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("state store " + directory + " cannot list its files: " + e, e);
        }
        return new VersionFiles(deltas, snapshots);
    }

    private IllegalStateException cannotLoad(long version, String problem, VersionFiles files, Exception cause) {
        return new IllegalStateException(
                "state store " + directory + " cannot load version " + version + ": " + problem + "; present: deltas "
                        + StateFiles.describeVersions(files.deltas) + ", snapshots "
                        + StateFiles.describeVersions(files.snapshots),
                cause);
    }

    @Override
    public void release(OverlayStateStore store) {
        if (openStore == store) {
            openStore = null;
        }
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    private void throwIfClosed() {
        if (closed) {
            throw new IllegalStateException("state store provider " + directory + " is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
        openStore = null;
        entries = new HashMap<>();
        entryBytes = 0;
        cachedVersion = -1;
    }

    @Override
    public String toString() {
        return "InMemoryStateStoreProvider[" + directory + ", version " + cachedVersion + "]";
    }

    private record VersionFiles(NavigableSet<Long> deltas, NavigableSet<Long> snapshots) {}
}
