package io.brook.log;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All partition logs of one data directory. Partition {@code p} of topic {@code t} lives in {@code <dataDir>/t-p}.
 * At start-up the {@value #CLEAN_SHUTDOWN_FILE} marker says whether logs may be trusted without a scan (it is removed
 * at once, so a later crash is detected); the recovery points in {@value #RECOVERY_POINT_FILE} say where scanning
 * starts otherwise. It runs the flusher (group commit), the interval flush, checkpoints and retention in background
 * threads, and the {@link LogCleaner} for compacted logs in its own thread, keeping each log's first dirty offset in
 * {@value #CLEANER_OFFSET_FILE}. {@link #close} stops the cleaner, flushes everything and writes the marker; it is
 * idempotent.
 */
public final class LogManager implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LogManager.class);
    public static final String CLEAN_SHUTDOWN_FILE = ".brook-clean-shutdown";
    public static final String RECOVERY_POINT_FILE = "recovery-point-offset-checkpoint";
    public static final String LOG_START_OFFSET_FILE = "log-start-offset-checkpoint";
    public static final String CLEANER_OFFSET_FILE = "cleaner-offset-checkpoint";
    /** How long the cleaner waits between passes over the compacted logs (Kafka's log.cleaner.backoff.ms). */
    public static final long DEFAULT_CLEANER_BACKOFF_MS = 15_000;

    private static final long CHECKPOINT_INTERVAL_MS = 10_000;
    private static final long CLEANER_STOP_TIMEOUT_MS = 30_000;

    private final Path dataDir;
    private final Storage storage;
    private final Time time;
    private final FlushPolicy flushPolicy;
    private final boolean cleanShutdown;
    private final Map<String, Long> recoveryPoints;
    private final Map<String, Long> logStartOffsets;
    /** Each compacted log's first dirty offset; guarded by {@link #checkpointLock}. */
    private final Map<String, Long> cleanerOffsets;

    private final ConcurrentHashMap<String, PartitionLog> logs = new ConcurrentHashMap<>();
    private final Flusher flusher = new Flusher();
    /** Set by {@link #startBackgroundTasks}; until then no background flushes. */
    private volatile long backgroundFlushBytes = Long.MAX_VALUE;

    private final ScheduledExecutorService scheduler;
    private final Object checkpointLock = new Object();
    private final LogCleaner cleaner;
    /** One cleaning pass at a time, whether from the cleaner thread or {@link #cleanNow}. */
    private final Object cleanerLock = new Object();
    /** Logs whose cleaning failed unexpectedly: not tried again until restart, as Kafka does. */
    private final Set<String> uncleanable = ConcurrentHashMap.newKeySet();

    private ScheduledExecutorService cleanerThread;
    private boolean closed;

    private LogManager(
            Path dataDir,
            Storage storage,
            Time time,
            FlushPolicy flushPolicy,
            boolean cleanShutdown,
            Map<String, Long> recoveryPoints,
            Map<String, Long> logStartOffsets,
            Map<String, Long> cleanerOffsets) {
        this.dataDir = dataDir;
        this.storage = storage;
        this.time = time;
        this.flushPolicy = flushPolicy;
        this.cleanShutdown = cleanShutdown;
        this.recoveryPoints = recoveryPoints;
        this.logStartOffsets = logStartOffsets;
        this.cleanerOffsets = cleanerOffsets;
        this.cleaner = new LogCleaner(time, LogCleaner.DEFAULT_MAX_KEYS);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "brook-log-maintenance");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the data directory. Background work starts with {@link #startBackgroundTasks}.
     *
     * @param flushPolicy the broker-wide policy ({@link FlushPolicy#INTERVAL} flushes every {@code flushIntervalMs})
     */
    public static LogManager open(Path dataDir, Storage storage, Time time, FlushPolicy flushPolicy)
            throws IOException {
        requireNonNull(dataDir, "dataDir is null");
        Path absolute = dataDir.toAbsolutePath();
        Path firstMissing = null;
        for (Path directory = absolute; directory != null && !storage.exists(directory); ) {
            firstMissing = directory;
            directory = directory.getParent();
        }
        storage.createDirectories(dataDir);
        if (firstMissing != null) {
            // A new directory's name is durable only once its parent is fsynced (Kafka does the same for a new log
            // dir); without it a power loss takes the whole data directory, acknowledged appends included.
            for (Path directory = absolute.getParent(); directory != null; directory = directory.getParent()) {
                storage.fsyncDirectory(directory);
                if (directory.equals(firstMissing.getParent())) {
                    break;
                }
            }
        }
        Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean clean = storage.exists(marker);
        Map<String, Long> recoveryPoints = readCheckpoint(storage, dataDir.resolve(RECOVERY_POINT_FILE));
        Map<String, Long> logStartOffsets = readCheckpoint(storage, dataDir.resolve(LOG_START_OFFSET_FILE));
        Map<String, Long> cleanerOffsets = readCheckpoint(storage, dataDir.resolve(CLEANER_OFFSET_FILE));
        if (clean) {
            storage.deleteIfExists(marker);
            storage.fsyncDirectory(dataDir);
        }
        LOGGER.info("[data dir {}] opening after {} shutdown", dataDir, clean ? "a clean" : "an unclean (or first)");
        return new LogManager(
                dataDir, storage, time, flushPolicy, clean, recoveryPoints, logStartOffsets, cleanerOffsets);
    }

    /**
     * Starts checkpoints, retention every {@code retentionCheckIntervalMs}, the interval flush if configured,
     * (per-ack policy) background flushes of logs with more than {@code backgroundFlushBytes} unflushed, and the
     * cleaner every {@value #DEFAULT_CLEANER_BACKOFF_MS} ms.
     */
    public void startBackgroundTasks(long retentionCheckIntervalMs, long flushIntervalMs, long backgroundFlushBytes) {
        startBackgroundTasks(
                retentionCheckIntervalMs, flushIntervalMs, backgroundFlushBytes, DEFAULT_CLEANER_BACKOFF_MS);
    }

    /**
     * Starts the background work as {@link #startBackgroundTasks(long, long, long)} does, with a pass of the cleaner
     * over the compacted logs every {@code cleanerBackoffMs} (in the daemon thread {@code brook-log-cleaner}).
     */
    public void startBackgroundTasks(
            long retentionCheckIntervalMs, long flushIntervalMs, long backgroundFlushBytes, long cleanerBackoffMs) {
        if (cleanerBackoffMs < 1) {
            throw new IllegalArgumentException("cleanerBackoffMs must be >= 1, was " + cleanerBackoffMs);
        }
        synchronized (this) {
            if (closed || cleanerThread != null) {
                throw new IllegalStateException("background tasks of " + dataDir + " were already started or closed");
            }
            cleanerThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "brook-log-cleaner");
                thread.setDaemon(true);
                return thread;
            });
        }
        cleanerThread.scheduleWithFixedDelay(
                this::runCleanerOnce, cleanerBackoffMs, cleanerBackoffMs, TimeUnit.MILLISECONDS);
        this.backgroundFlushBytes = backgroundFlushBytes;
        scheduler.scheduleWithFixedDelay(
                this::checkpointQuietly, CHECKPOINT_INTERVAL_MS, CHECKPOINT_INTERVAL_MS, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::applyRetention, retentionCheckIntervalMs, retentionCheckIntervalMs, TimeUnit.MILLISECONDS);
        if (flushPolicy == FlushPolicy.INTERVAL) {
            scheduler.scheduleWithFixedDelay(this::flushAll, flushIntervalMs, flushIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    public boolean startedAfterCleanShutdown() {
        return cleanShutdown;
    }

    public Path dataDir() {
        return dataDir;
    }

    public FlushPolicy flushPolicy() {
        return flushPolicy;
    }

    public static String directoryName(String topic, int partition) {
        return topic + "-" + partition;
    }

    /** The log of a partition, opening (and recovering) or creating it on first use. */
    public PartitionLog getOrCreate(String topic, int partition, LogConfig config) throws IOException {
        String name = directoryName(topic, partition);
        PartitionLog existing = logs.get(name);
        if (existing != null) {
            return existing;
        }
        synchronized (logs) {
            existing = logs.get(name);
            if (existing != null) {
                return existing;
            }
            Path directory = dataDir.resolve(name);
            boolean isNew = !storage.exists(directory);
            PartitionLog log = PartitionLog.open(
                    storage,
                    directory,
                    config,
                    time,
                    cleanShutdown && !isNew,
                    recoveryPoints.getOrDefault(name, 0L),
                    logStartOffsets.getOrDefault(name, 0L));
            if (isNew) {
                storage.fsyncDirectory(dataDir);
            }
            synchronized (checkpointLock) {
                Long firstDirty = cleanerOffsets.get(name);
                if (firstDirty != null && firstDirty > log.logEndOffset()) {
                    // Recovery cut the log below it: the offsets after the new end will hold new, uncleaned records.
                    LOGGER.info(
                            "[log {}] first dirty offset {} is past the log end {}; the whole log counts as dirty",
                            name,
                            firstDirty,
                            log.logEndOffset());
                    cleanerOffsets.remove(name);
                }
            }
            logs.put(name, log);
            return log;
        }
    }

    public PartitionLog get(String topic, int partition) {
        return logs.get(directoryName(topic, partition));
    }

    /** Closes and deletes a partition's log and directory. */
    public void delete(String topic, int partition) throws IOException {
        String name = directoryName(topic, partition);
        PartitionLog log;
        synchronized (logs) {
            log = logs.remove(name);
        }
        Path directory = dataDir.resolve(name);
        if (log != null) {
            log.close();
        }
        // A pass under way over the closed log gives up at its next batch and deletes its copy; later passes skip it.
        synchronized (cleanerLock) {
            uncleanable.remove(name);
        }
        if (storage.exists(directory)) {
            for (Path file : storage.list(directory)) {
                storage.deleteIfExists(file);
            }
            storage.deleteIfExists(directory);
            storage.fsyncDirectory(dataDir);
        }
        synchronized (checkpointLock) {
            recoveryPoints.remove(name);
            logStartOffsets.remove(name);
            if (cleanerOffsets.remove(name) != null) {
                writeCheckpoint(dataDir.resolve(CLEANER_OFFSET_FILE), cleanerOffsets);
            }
        }
    }

    /**
     * Runs one cleaner pass over {@code log} now, if its configuration has compact and its dirty ratio calls for it,
     * and checkpoints where it ended. Waits for a pass under way.
     *
     * @throws java.util.concurrent.CancellationException if the log is closed, or this manager closes, during the pass
     *     (the log is left as it was)
     */
    public CleanResult cleanNow(PartitionLog log) throws IOException {
        requireNonNull(log, "log is null");
        synchronized (cleanerLock) {
            long firstDirty;
            synchronized (checkpointLock) {
                firstDirty = cleanerOffsets.getOrDefault(log.name(), 0L);
            }
            CleanResult result = cleaner.clean(log, firstDirty);
            if (result.cleaned()) {
                synchronized (checkpointLock) {
                    cleanerOffsets.put(log.name(), result.firstDirtyOffset());
                    writeCheckpoint(dataDir.resolve(CLEANER_OFFSET_FILE), cleanerOffsets);
                }
            }
            return result;
        }
    }

    /** The checkpointed first dirty offset of a log, or -1 if it has none (then the whole log is dirty). */
    public long firstDirtyOffset(PartitionLog log) {
        synchronized (checkpointLock) {
            return cleanerOffsets.getOrDefault(log.name(), -1L);
        }
    }

    /**
     * One pass of the cleaner over every compacted log (what the cleaner thread runs every backoff). A log whose pass
     * fails unexpectedly is logged and left alone until restart.
     */
    public void runCleanerOnce() {
        for (PartitionLog log : logs.values()) {
            if (!log.config().cleanupPolicyCompact() || uncleanable.contains(log.name())) {
                continue;
            }
            try {
                cleanNow(log);
            } catch (CancellationException e) {
                LOGGER.debug("[log {}] cleaning stopped: {}", log.name(), e.getMessage());
            } catch (IOException | RuntimeException e) {
                if (log.isClosed()) {
                    LOGGER.debug("[log {}] cleaning stopped: the log was closed", log.name());
                } else {
                    uncleanable.add(log.name());
                    LOGGER.error(
                            "[log {}] cleaning failed; the log will not be cleaned again until restart", log.name(), e);
                }
            }
        }
    }

    /**
     * Called after an append nobody waits to be durable (acks 0 and 1). Under the per-ack policy, a log with more
     * than {@code backgroundFlushBytes} unflushed is flushed in the background: left to the kernel, gigabytes of dirty
     * pages pile up and their writeback later stalls every acks=all fsync behind it (measured: fixed-rate acks=all
     * p99 19 ms with no backlog, 221 ms while 1.2 GB of acks=1 data was written back).
     */
    public void appendedWithoutWaiting(PartitionLog log) {
        if (flushPolicy == FlushPolicy.PER_ACK && log.unflushedBytes() >= backgroundFlushBytes) {
            flusher.flushInBackground(log);
        }
    }

    /** Completes when {@code lastOffset} of {@code log} is durable (immediately unless the policy is per-ack). */
    public CompletableFuture<Void> awaitDurable(PartitionLog log, long lastOffset) {
        if (flushPolicy != FlushPolicy.PER_ACK) {
            return CompletableFuture.completedFuture(null);
        }
        return flusher.awaitDurable(log, lastOffset);
    }

    /** Moves a log's start offset forward and records it durably before returning. */
    public long deleteRecordsBefore(PartitionLog log, long offset) throws IOException {
        long newStart = log.deleteRecordsBefore(offset);
        checkpoint();
        return newStart;
    }

    private void flushAll() {
        for (PartitionLog log : logs.values()) {
            try {
                if (log.hasUnflushed()) {
                    log.flush();
                }
            } catch (RuntimeException e) {
                LOGGER.error("[log {}] interval flush failed", log.name(), e);
            }
        }
    }

    private void applyRetention() {
        for (PartitionLog log : logs.values()) {
            try {
                log.applyRetention();
            } catch (RuntimeException e) {
                LOGGER.error("[log {}] retention failed", log.name(), e);
            }
        }
        checkpointQuietly();
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            LOGGER.warn("[data dir {}] could not write checkpoints: {}", dataDir, e.getMessage());
        }
    }

    /** Writes each log's recovery point and log start offset. */
    public void checkpoint() throws IOException {
        synchronized (checkpointLock) {
            for (PartitionLog log : logs.values()) {
                recoveryPoints.put(log.name(), log.recoveryPoint());
                logStartOffsets.put(log.name(), log.logStartOffset());
            }
            writeCheckpoint(dataDir.resolve(RECOVERY_POINT_FILE), recoveryPoints);
            writeCheckpoint(dataDir.resolve(LOG_START_OFFSET_FILE), logStartOffsets);
        }
    }

    private void writeCheckpoint(Path path, Map<String, Long> values) throws IOException {
        StringBuilder text = new StringBuilder("0\n").append(values.size()).append('\n');
        new TreeMap<>(values)
                .forEach((name, offset) ->
                        text.append(name).append(' ').append(offset).append('\n'));
        storage.writeAtomically(path, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Long> readCheckpoint(Storage storage, Path path) throws IOException {
        Map<String, Long> values = new TreeMap<>();
        if (!storage.exists(path)) {
            return values;
        }
        String text = new String(storage.readAll(path), StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        try {
            int count = Integer.parseInt(lines[1].trim());
            for (int i = 0; i < count; i++) {
                String[] parts = lines[2 + i].trim().split(" ");
                values.put(parts[0], Long.parseLong(parts[1]));
            }
        } catch (RuntimeException e) {
            LOGGER.warn("[data dir] checkpoint {} is malformed ({}); recovering every segment", path, e.toString());
            values.clear();
        }
        return values;
    }

    /**
     * Makes a pass under way give up at its next batch and waits for the thread, without interrupting it (an
     * interrupt would close the segment files it reads).
     */
    private void stopCleaner() {
        cleaner.stop();
        ScheduledExecutorService thread;
        synchronized (this) {
            thread = cleanerThread;
        }
        if (thread == null) {
            return;
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLEANER_STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOGGER.warn("[data dir {}] the cleaner did not stop within {} ms", dataDir, CLEANER_STOP_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<PartitionLog> logs() {
        return new ArrayList<>(logs.values());
    }

    /**
     * Stops background work, flushes and closes every log, writes the checkpoints and then the clean-shutdown
     * marker. Idempotent; carries on after a failure and rethrows the first one.
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopCleaner();
        scheduler.shutdownNow();
        flusher.close();
        IOException failure = null;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try {
            checkpoint();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        storage.writeAtomically(dataDir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
        LOGGER.info("[data dir {}] closed cleanly", dataDir);
    }
}
