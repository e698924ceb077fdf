package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A physical plan ready to run: the operators each scanned table's batches enter, the collector at the end, and the
 * ids of its stateful operators. Run a micro-batch by {@link #begin}, then {@link #pusher pushing} every table's new
 * batches, then {@link #finish}. When the operators a table's batches enter all {@link Operator#acceptsConcurrently
 * accept them concurrently} (the stateless operators up to an exchange or the collector), the input batches go
 * through them on every core while the source is still reading, and {@link PushOrder} gates keep the stateful
 * operators' input in input order. Used by one thread at a time.
 */
public final class Pipeline {
    /** At most this many input batches wait for a worker per core; past that the reading thread pushes one itself. */
    private static final int QUEUED_PER_CORE = 4;

    /** The context of the micro-batch being pushed, for operators that need it before {@code finish}. */
    static final class CurrentBatch {
        private BatchContext context = BatchContext.bounded();
        private final PushOrder.Progress progress = new PushOrder.Progress();

        BatchContext context() {
            return context;
        }

        PushOrder.Progress progress() {
            return progress;
        }
    }

    private final Map<String, List<Operator>> entries;
    private final Operators.Collector collector;
    private final int statefulOperators;
    private final CurrentBatch currentBatch;
    private final int threads;
    private final long processingTimeStepMicros;
    private final boolean readsProcessingTime;
    /** The number the next input batch of this micro-batch gets (see PushOrder). */
    private long nextOrder;

    Pipeline(
            Map<String, List<Operator>> entries,
            Operators.Collector collector,
            int statefulOperators,
            CurrentBatch currentBatch,
            long processingTimeStepMicros,
            boolean readsProcessingTime) {
        // In plan order, so a bounded query reads its tables in the same order in every run.
        this.entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
        this.collector = collector;
        this.statefulOperators = statefulOperators;
        this.currentBatch = currentBatch;
        this.threads = Runtime.getRuntime().availableProcessors();
        this.processingTimeStepMicros = processingTimeStepMicros;
        this.readsProcessingTime = readsProcessingTime;
    }

    /**
     * How often processing-time windows end, in microseconds (the greatest common divisor of their slides; windows are
     * aligned to the epoch), or 0 when the plan has none: a stream runs a batch without data when the processing time
     * passes a multiple of it, so that the windows ended by then are emitted without waiting for more data.
     */
    public long processingTimeStepMicros() {
        return processingTimeStepMicros;
    }

    /** Whether the plan reads the processing time ({@code PROCTIME()}), so the last batch of a stream must close it. */
    public boolean readsProcessingTime() {
        return readsProcessingTime;
    }

    /** Starts a micro-batch: its batches come next, then {@link #finish} with the same context. */
    public void begin(BatchContext context) {
        currentBatch.context = context;
        currentBatch.progress.reset();
        nextOrder = 0;
    }

    /** The names of the tables the plan scans. */
    public java.util.Set<String> tables() {
        return entries.keySet();
    }

    /** The number of stateful operators; their ids are 0 to this minus one. */
    public int statefulOperators() {
        return statefulOperators;
    }

    /** Pushes a table's input batches in order, then waits for them to be through. */
    public void pushAll(String table, List<Batch> batches) {
        try (Pusher pusher = pusher(table)) {
            batches.forEach(pusher);
        }
    }

    /** Takes a table's input batches one by one as a source reads them; close it to wait until all are through. */
    public Pusher pusher(String table) {
        List<Operator> targets = entries.get(table);
        if (targets == null) {
            throw new IllegalArgumentException("the plan does not scan '" + table + "'; it scans " + entries.keySet());
        }
        boolean parallel = threads > 1 && targets.stream().allMatch(Operator::acceptsConcurrently);
        return new Pusher(targets, parallel);
    }

    /**
     * Pushes input batches through the operators of one table. Sequential, each batch goes through at once on the
     * calling thread. Parallel, batches queue for worker threads (one per core but the caller's, started once
     * {@link #PARALLEL_MIN_ROWS} rows have come, so small micro-batches stay on one thread); when the queue is full
     * the caller pushes one itself, and {@link #close} pushes what is left and waits for the workers.
     */
    public final class Pusher implements java.util.function.Consumer<Batch>, AutoCloseable {
        private final List<Operator> targets;
        private final boolean parallel;
        private final java.util.concurrent.BlockingQueue<Object[]> queue;
        private final List<java.util.concurrent.Future<?>> workers = new ArrayList<>();
        /** The first failure of any thread; it stops the others. */
        private final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        /** Whether {@link #accept} has thrown the failure already, so that {@link #close} does not again. */
        private boolean thrown;

        private volatile boolean closed;
        private long queuedRows;

        private Pusher(List<Operator> targets, boolean parallel) {
            this.targets = targets;
            this.parallel = parallel;
            this.queue = new java.util.concurrent.ArrayBlockingQueue<>(Math.max(2, threads * QUEUED_PER_CORE));
        }

        @Override
        public void accept(Batch batch) {
            throwIfFailed();
            long order = nextOrder++;
            if (!parallel) {
                push(order, batch);
                return;
            }
            queuedRows += batch.rowCount();
            if (workers.isEmpty() && queuedRows >= PARALLEL_MIN_ROWS) {
                for (int i = 1; i < threads; i++) {
                    workers.add(Parallel.submit(this::work));
                }
            }
            Object[] item = {order, batch};
            while (!queue.offer(item)) {
                Object[] own = queue.poll();
                if (own != null) {
                    pushSafely((Long) own[0], (Batch) own[1]);
                    throwIfFailed();
                }
            }
        }

        private Void work() throws InterruptedException {
            while (failure.get() == null) {
                Object[] item = queue.poll(1, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (item != null) {
                    pushSafely((Long) item[0], (Batch) item[1]);
                } else if (closed) {
                    return null;
                }
            }
            return null;
        }

        /** Pushes a batch, keeping any failure (an Error too) for the other threads to see. */
        // Throwable: an OutOfMemoryError in a worker must stop the reading thread as well
        private void pushSafely(long order, Batch batch) {
            try {
                push(order, batch);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        private void push(long order, Batch batch) {
            // A join may run a whole bounded pipeline inside accept on this thread: keep this input's number.
            long outer = PushOrder.current();
            PushOrder.set(order);
            try {
                for (Operator target : targets) {
                    target.accept(batch);
                }
            } finally {
                PushOrder.set(outer);
            }
            currentBatch.progress.complete(order);
        }

        private void throwIfFailed() {
            Throwable failed = failure.get();
            if (failed != null && !thrown) {
                thrown = true;
                if (failed instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (failed instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(failed);
            }
        }

        /**
         * Pushes what is queued, waits for every worker (also when interrupted: state must not close under one),
         * and rethrows the first failure unless {@link #accept} threw it.
         */
        @Override
        public void close() {
            closed = true;
            for (Object[] item = queue.poll(); item != null && failure.get() == null; item = queue.poll()) {
                pushSafely((Long) item[0], (Batch) item[1]);
            }
            queue.clear();
            Parallel.awaitAll(workers, failure);
            throwIfFailed();
        }
    }

    /** Below this many rows a micro-batch stays on one thread: handing small input over costs more than it saves. */
    static final int PARALLEL_MIN_ROWS = 32_768;

    /** Ends the micro-batch: every scan's input is complete. Returns the output for the sink. */
    public List<Batch> finish(BatchContext context) {
        currentBatch.progress.completeAll();
        for (List<Operator> targets : entries.values()) {
            for (Operator target : targets) {
                target.finish(context);
            }
        }
        return collector.drain();
    }
}
