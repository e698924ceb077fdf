package io.brook.log;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes appends durable: group commit. Writers that need durability (acks=all under the per-ack policy) call
 * {@link #awaitDurable} and get a future. A log with waiters is fsynced by one of a few flusher threads, and every
 * waiter up to the flushed offset completes, so all the appends that arrived during one fsync share the next one.
 * Different logs are fsynced in parallel (the disk serves concurrent flushes far faster than one after another); one
 * log is never flushed by two threads at once. The waiters of a log wait in a map keyed by offset, as in Kafka's
 * {@code DeferredEventQueue}.
 *
 * <p>Thread-safe. {@link #close} flushes what is still awaited, stops the threads and fails what remains.
 */
public final class Flusher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Flusher.class);

    private final Object lock = new Object();
    private final Map<PartitionLog, TreeMap<Long, List<CompletableFuture<Void>>>> waiting = new LinkedHashMap<>();
    private final Set<PartitionLog> scheduled = new HashSet<>();
    private final ExecutorService threads;
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong flushNanos = new AtomicLong();
    /** The slowest fsync and how many took over 50 ms: the tail that acks=all latency percentiles see. */
    private final AtomicLong slowestFlushNanos = new AtomicLong();

    private final AtomicLong slowFlushes = new AtomicLong();
    private final AtomicLong completedWaiters = new AtomicLong();
    private boolean closed;

    public Flusher() {
        this(8);
    }

    public Flusher(int threadCount) {
        AtomicInteger counter = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threadCount, runnable -> {
            Thread thread = new Thread(runnable, "brook-flusher-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Completes when every offset up to {@code lastOffset} of {@code log} is on stable storage. */
    public CompletableFuture<Void> awaitDurable(PartitionLog log, long lastOffset) {
        if (log.flushedOffset() > lastOffset) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> future = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                future.completeExceptionally(new LogStorageException("the broker is shutting down"));
                return future;
            }
            waiting.computeIfAbsent(log, ignored -> new TreeMap<>())
                    .computeIfAbsent(lastOffset, ignored -> new ArrayList<>(2))
                    .add(future);
            if (scheduled.add(log)) {
                threads.execute(() -> flushTurn(log));
            }
        }
        return future;
    }

    /** Flushes {@code log} soon on a flusher thread, nobody waiting; nothing if a flush is already due. */
    public void flushInBackground(PartitionLog log) {
        synchronized (lock) {
            if (!closed && scheduled.add(log)) {
                threads.execute(() -> flushTurn(log));
            }
        }
    }

    /** One flush of {@code log}; schedules the next turn if appends are still waiting. */
    private void flushTurn(PartitionLog log) {
        flushAndComplete(log);
        synchronized (lock) {
            if (waiting.containsKey(log) && !closed) {
                try {
                    threads.execute(() -> flushTurn(log));
                    return;
                } catch (RejectedExecutionException e) {
                    // Closing: close() flushes what is left.
                }
            }
            scheduled.remove(log);
        }
    }

    private void flushAndComplete(PartitionLog log) {
        long flushed;
        RuntimeException failure = null;
        long started = System.nanoTime();
        try {
            flushed = log.flush();
            flushes.incrementAndGet();
            long took = System.nanoTime() - started;
            flushNanos.addAndGet(took);
            slowestFlushNanos.accumulateAndGet(took, Math::max);
            if (took > 50_000_000L) {
                slowFlushes.incrementAndGet();
            }
        } catch (RuntimeException e) {
            LOGGER.error("[log {}] fsync failed; failing the appends waiting for it", log.name(), e);
            flushed = -1;
            failure = e;
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (lock) {
            TreeMap<Long, List<CompletableFuture<Void>>> queue = waiting.get(log);
            if (queue == null) {
                return;
            }
            Map<Long, List<CompletableFuture<Void>>> ready = failure == null ? queue.headMap(flushed) : queue;
            ready.values().forEach(done::addAll);
            ready.clear();
            if (queue.isEmpty()) {
                waiting.remove(log);
            }
        }
        completedWaiters.addAndGet(done.size());
        for (CompletableFuture<Void> future : done) {
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        }
    }

    /** Flushes the logs that still have waiters, stops the threads and fails anything left. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        threads.shutdown();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<PartitionLog> logs;
        synchronized (lock) {
            logs = new ArrayList<>(waiting.keySet());
        }
        for (PartitionLog log : logs) {
            flushAndComplete(log);
        }
        List<CompletableFuture<Void>> remaining = new ArrayList<>();
        synchronized (lock) {
            waiting.values().forEach(queue -> queue.values().forEach(remaining::addAll));
            waiting.clear();
        }
        LOGGER.info(
                "flusher: {} fsyncs for {} waiting appends, {} us per fsync, slowest {} ms, {} over 50 ms",
                flushes.get(),
                completedWaiters.get(),
                flushes.get() == 0 ? 0 : flushNanos.get() / flushes.get() / 1000,
                slowestFlushNanos.get() / 1_000_000,
                slowFlushes.get());
        LogStorageException shutdown = new LogStorageException("the broker is shutting down");
        remaining.forEach(future -> future.completeExceptionally(shutdown));
    }
}
