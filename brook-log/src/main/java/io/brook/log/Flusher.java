package io.brook.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes appends durable: group commit. Writers that need durability (acks=all under the per-ack policy) call
 * {@link #awaitDurable} and get a future; one thread fsyncs every log that has waiters and completes, per log, every
 * waiter up to the flushed offset, so all the appends that arrived during one fsync share the next one. The waiters
 * of a log wait in a map keyed by offset, as in Kafka's {@code DeferredEventQueue}.
 *
 * <p>Thread-safe. {@link #close} stops the thread and fails the waiters that remain.
 */
public final class Flusher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Flusher.class);

    private final Object lock = new Object();
    private final Map<PartitionLog, TreeMap<Long, List<CompletableFuture<Void>>>> waiting = new LinkedHashMap<>();
    private final Thread thread;
    private boolean closed;
    private final java.util.concurrent.atomic.AtomicLong flushes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong flushNanos = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong completedWaiters =
            new java.util.concurrent.atomic.AtomicLong();

    public Flusher() {
        this.thread = new Thread(this::run, "brook-flusher");
        this.thread.setDaemon(true);
        this.thread.start();
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
            lock.notifyAll();
        }
        return future;
    }

    private void run() {
        while (true) {
            List<PartitionLog> logs;
            synchronized (lock) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                logs = new ArrayList<>(waiting.keySet());
            }
            for (PartitionLog log : logs) {
                flushAndComplete(log);
            }
        }
    }

    private void flushAndComplete(PartitionLog log) {
        long flushed;
        RuntimeException failure = null;
        long started = System.nanoTime();
        try {
            flushed = log.flush();
            flushes.incrementAndGet();
            flushNanos.addAndGet(System.nanoTime() - started);
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

    /** Stops the thread after one last flush of the logs that still have waiters. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(10_000);
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
                "flusher: {} fsyncs for {} waiting appends, {} us per fsync",
                flushes.get(),
                completedWaiters.get(),
                flushes.get() == 0 ? 0 : flushNanos.get() / flushes.get() / 1000);
        LogStorageException shutdown = new LogStorageException("the broker is shutting down");
        remaining.forEach(future -> future.completeExceptionally(shutdown));
    }
}
