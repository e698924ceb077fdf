package io.brook.engine.state;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The state store for state larger than memory: one RocksDB instance per partition, working in
 * {@code <directory>/rocksdb-work/}, with every committed version saved as a RocksDB checkpoint in
 * {@code <version>.rocksdb/}, in the manner of Spark's RocksDB provider. A checkpoint hard-links the immutable SST files
 * (so versions share unchanged data and a commit writes only what the batch flushed) and copies the small rest; a
 * {@code brook-checkpoint} file in it lists each file with its size, and carries the key count, under a CRC32C.
 *
 * <p>The write-ahead log is off: a commit writes the batch's changes, flushes the memtable, checkpoints, fsyncs and
 * renames the checkpoint into place. Loading the version the instance holds reuses it (a store's changes stay in its
 * own overlay until commit, so abort costs nothing); any other version replaces the working directory with links to
 * that version's checkpoint. Checkpoints of versions above the one committed (left by a run the query never committed)
 * and checkpoints older than the last {@link StateStoreConfig#minVersionsToRetain} are deleted after a commit.
 *
 * <p>The provider locks {@code rocksdb.lock} in the directory for its lifetime, so a second provider over the same
 * directory fails at once. Not thread-safe; {@link #close} closes the RocksDB objects in reverse order of creation and
 * is idempotent.
 */
final class RocksDbStateStoreProvider implements StateStoreProvider, OverlayStateStore.Backend {
    static final String CHECKPOINT_SUFFIX = ".rocksdb";
    static final String METADATA_FILE = "brook-checkpoint";
    static final String WORKING_DIRECTORY = "rocksdb-work";
    static final String LOCK_FILE = "rocksdb.lock";
    private static final int METADATA_MAGIC = 0x42524b43; // "BRKC"
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("(\\d+)\\.rocksdb");

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final Path workingDirectory;
    private final StateStoreConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final LRUCache blockCache;
    private final Options options;
    private final WriteOptions writeOptions;
    private final FlushOptions flushOptions;
    private RocksDB db;
    private Checkpoint checkpoint;
    /** The version {@link #db} holds, or -1 when none is open. */
    private long dbVersion = -1;

    private long numKeys;
    /** The files of the checkpoint {@link #db} was loaded from or last wrote, by name, with their sizes. */
    private Map<String, Long> checkpointFiles = Map.of();

    private OverlayStateStore openStore;
    private boolean closed;

    RocksDbStateStoreProvider(Path directory, StateStoreConfig config) throws IOException {
        this.directory = requireNonNull(directory, "directory is null");
        this.config = requireNonNull(config, "config is null");
        this.workingDirectory = directory.resolve(WORKING_DIRECTORY);
        Files.createDirectories(directory);
        this.lockChannel =
                FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired = null;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        } finally {
            if (acquired == null) {
                lockChannel.close();
            }
        }
        if (acquired == null) {
            throw new IllegalStateException(
                    "state store " + directory + " is in use by another provider (" + LOCK_FILE + " is locked)");
        }
        this.lock = acquired;
        try {
            for (Path path : StateFiles.list(directory)) {
                if (path.getFileName().toString().endsWith(StateFiles.TEMPORARY_SUFFIX)) {
                    StateFiles.deleteRecursively(path); // a checkpoint whose commit crashed before its rename
                }
            }
            this.blockCache = new LRUCache(config.rocksDbBlockCacheBytes());
            this.options = new Options()
                    .setCreateIfMissing(true)
                    .setWriteBufferSize(config.rocksDbWriteBufferBytes())
                    .setMaxWriteBufferNumber(2)
                    .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                    .setKeepLogFileNum(2)
                    .setTableFormatConfig(new BlockBasedTableConfig()
                            .setBlockCache(blockCache)
                            .setCacheIndexAndFilterBlocks(true));
            this.writeOptions = new WriteOptions().setDisableWAL(true);
            this.flushOptions = new FlushOptions().setWaitForFlush(true);
        } catch (IOException | RuntimeException | Error e) {
            StateFiles.closeAll(Arrays.asList(lock, lockChannel));
            throw e;
        }
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
        if (db == null || dbVersion != version) {
            closeDb();
            restore(version);
        }
        openStore = new OverlayStateStore(this, version);
        return openStore;
    }

    private void restore(long version) {
        Map<String, Long> files = Map.of();
        long keys = 0;
        try {
            StateFiles.deleteRecursively(workingDirectory);
            Files.createDirectories(workingDirectory);
            if (version > 0) {
                Path source = directory.resolve(version + CHECKPOINT_SUFFIX);
                if (!Files.isDirectory(source)) {
                    throw cannotLoad(version, source.getFileName() + " is missing", null);
                }
                Metadata metadata = readMetadata(version, source);
                files = metadata.files();
                keys = metadata.numKeys();
                for (Map.Entry<String, Long> file : files.entrySet()) {
                    copyOrLink(source.resolve(file.getKey()), workingDirectory.resolve(file.getKey()));
                }
            }
        } catch (IOException e) {
            throw cannotLoad(version, "cannot restore it: " + e, e);
        }
        try {
            db = RocksDB.open(options, workingDirectory.toString());
            checkpoint = Checkpoint.create(db);
        } catch (RocksDBException e) {
            closeDb();
            throw cannotLoad(version, "RocksDB cannot open it: " + e.getMessage(), e);
        }
        dbVersion = version;
        numKeys = keys;
        checkpointFiles = files;
    }

    private Metadata readMetadata(long version, Path source) throws IOException {
        String name = source.getFileName() + "/" + METADATA_FILE;
        Metadata metadata;
        try {
            metadata = StateFiles.read(source.resolve(METADATA_FILE), METADATA_MAGIC, in -> {
                long recordedVersion = in.readLong();
                if (recordedVersion != version) {
                    throw new StateFiles.CorruptFileException("it holds version " + recordedVersion);
                }
                long keys = in.readLong();
                int count = in.readInt();
                Map<String, Long> files = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    files.put(new String(in.readBytes(), StandardCharsets.UTF_8), in.readLong());
                }
                return new Metadata(keys, files);
            });
        } catch (NoSuchFileException e) {
            throw cannotLoad(version, name + " is missing", e);
        } catch (StateFiles.CorruptFileException e) {
            throw cannotLoad(version, name + " is corrupt: " + e.getMessage(), e);
        }
        for (Map.Entry<String, Long> file : metadata.files().entrySet()) {
            Path path = source.resolve(file.getKey());
            String fileName = source.getFileName() + "/" + file.getKey();
            if (!Files.isRegularFile(path)) {
                throw cannotLoad(version, fileName + " is missing", null);
            }
            long size = Files.size(path);
            if (size != file.getValue()) {
                throw cannotLoad(
                        version,
                        fileName + " is corrupt: it has " + size + " bytes, the checkpoint recorded " + file.getValue(),
                        null);
            }
        }
        return metadata;
    }

    /** SST and blob files never change once written, so the working copy can share them; the rest is copied. */
    private static void copyOrLink(Path source, Path target) throws IOException {
        String name = source.getFileName().toString();
        if (name.endsWith(".sst") || name.endsWith(".blob")) {
            try {
                Files.createLink(target, source);
                return;
            } catch (IOException | UnsupportedOperationException e) {
                // another file system or no hard links: copy instead
            }
        }
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
    }

    @Override
    public byte[] get(ByteArrayKey key) {
        throwIfClosed();
        try {
            return db.get(key.bytes());
        } catch (RocksDBException e) {
            throw new IllegalStateException(
                    "state store " + directory + " cannot read version " + dbVersion + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void forEach(BiConsumer<ByteArrayKey, byte[]> action) {
        throwIfClosed();
        try (RocksIterator iterator = db.newIterator()) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                action.accept(new ByteArrayKey(iterator.key()), iterator.value());
            }
            iterator.status();
        } catch (RocksDBException e) {
            throw new IllegalStateException(
                    "state store " + directory + " cannot read version " + dbVersion + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long numKeys() {
        return numKeys;
    }

    @Override
    public long memoryBytes() {
        if (closed || db == null) {
            return 0;
        }
        try {
            return blockCache.getUsage()
                    + db.getLongProperty("rocksdb.cur-size-all-mem-tables")
                    + db.getLongProperty("rocksdb.estimate-table-readers-mem");
        } catch (RocksDBException e) {
            return blockCache.getUsage();
        }
    }

    @Override
    public long commit(long version, Map<ByteArrayKey, OverlayStateStore.Change> changes, long numKeysAfter) {
        throwIfClosed();
        if (db == null || dbVersion != version) {
            throw new IllegalStateException("state store " + directory + " holds version " + dbVersion
                    + ", not the store's version " + version);
        }
        long newVersion = version + 1;
        dbVersion = -1; // until the commit has fully succeeded
        try {
            try (WriteBatch batch = new WriteBatch()) {
                for (Map.Entry<ByteArrayKey, OverlayStateStore.Change> change : changes.entrySet()) {
                    byte[] value = change.getValue().value;
                    if (value == null) {
                        batch.delete(change.getKey().bytes());
                    } else {
                        batch.put(change.getKey().bytes(), value);
                    }
                }
                db.write(writeOptions, batch);
            }
            db.flush(flushOptions);
            Path temporary = directory.resolve(newVersion + CHECKPOINT_SUFFIX + StateFiles.TEMPORARY_SUFFIX);
            StateFiles.deleteRecursively(temporary);
            checkpoint.createCheckpoint(temporary.toString());
            Map<String, Long> files = new LinkedHashMap<>();
            List<Path> paths = new ArrayList<>(StateFiles.list(temporary));
            paths.sort(Comparator.naturalOrder());
            for (Path path : paths) {
                StateFiles.syncFile(path);
                files.put(path.getFileName().toString(), Files.size(path));
            }
            long written = StateFiles.writeAtomically(temporary.resolve(METADATA_FILE), METADATA_MAGIC, out -> {
                out.writeLong(newVersion);
                out.writeLong(numKeysAfter);
                out.writeInt(files.size());
                for (Map.Entry<String, Long> file : files.entrySet()) {
                    byte[] name = file.getKey().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(name.length);
                    out.write(name);
                    out.writeLong(file.getValue());
                }
            });
            StateFiles.syncDirectory(temporary);
            for (Map.Entry<String, Long> file : files.entrySet()) {
                if (!file.getValue().equals(checkpointFiles.get(file.getKey()))) {
                    written += file.getValue();
                }
            }
            Path target = directory.resolve(newVersion + CHECKPOINT_SUFFIX);
            StateFiles.deleteRecursively(target); // from a run the query never committed
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            deleteObsoleteCheckpoints(newVersion);
            StateFiles.syncDirectory(directory);
            dbVersion = newVersion;
            numKeys = numKeysAfter;
            checkpointFiles = files;
            return written;
        } catch (IOException e) {
            closeDb();
            throw new UncheckedIOException(
                    "state store " + directory + " cannot commit version " + newVersion + ": " + e, e);
        } catch (RocksDBException | RuntimeException e) {
            closeDb();
            throw new IllegalStateException(
                    "state store " + directory + " cannot commit version " + newVersion + ": " + e, e);
        }
    }

    /** Deletes checkpoints above {@code latest} and those older than the last {@code minVersionsToRetain}. */
    private void deleteObsoleteCheckpoints(long latest) throws IOException {
        long oldestToKeep = latest - config.minVersionsToRetain() + 1;
        for (Path path : StateFiles.list(directory)) {
            Matcher matcher = CHECKPOINT_NAME.matcher(path.getFileName().toString());
            if (matcher.matches()) {
                long version = Long.parseLong(matcher.group(1));
                if (version > latest || version < oldestToKeep) {
                    StateFiles.deleteRecursively(path);
                }
            }
        }
    }

    private NavigableSet<Long> checkpointVersions() {
        NavigableSet<Long> versions = new TreeSet<>();
        try {
            for (Path path : StateFiles.list(directory)) {
                Matcher matcher = CHECKPOINT_NAME.matcher(path.getFileName().toString());
                if (matcher.matches()) {
                    versions.add(Long.parseLong(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("state store " + directory + " cannot list its files: " + e, e);
        }
        return versions;
    }

    private IllegalStateException cannotLoad(long version, String problem, Exception cause) {
        return new IllegalStateException(
                "state store " + directory + " cannot load version " + version + ": " + problem
                        + "; present: checkpoints " + StateFiles.describeVersions(checkpointVersions()),
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

    private void closeDb() {
        RocksDB closing = db;
        Checkpoint closingCheckpoint = checkpoint;
        db = null;
        checkpoint = null;
        dbVersion = -1;
        checkpointFiles = Map.of();
        StateFiles.closeAll(Arrays.asList(closingCheckpoint, closing == null ? null : (AutoCloseable) closing::closeE));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        openStore = null;
        StateFiles.closeAll(Arrays.asList(
                this::closeDb,
                () -> StateFiles.deleteRecursively(workingDirectory), // the checkpoints hold all it had
                flushOptions,
                writeOptions,
                options,
                blockCache,
                lock,
                lockChannel));
    }

    @Override
    public String toString() {
        return "RocksDbStateStoreProvider[" + directory + ", version " + dbVersion + "]";
    }

    private record Metadata(long numKeys, Map<String, Long> files) {}
}
