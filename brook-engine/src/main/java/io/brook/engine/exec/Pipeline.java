package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A physical plan ready to run: the operators each scanned table's batches enter, the collector at the end, and the
 * ids of its stateful operators. Run a micro-batch by {@link #pushAll pushing} every table's new batches, then
 * {@link #finish}. When the operators a table's batches enter all {@link Operator#acceptsConcurrently accept them
 * concurrently} (the stateless operators up to an exchange or the collector), a micro-batch's input batches are pushed
 * on several threads at once; {@link PushOrder} keeps the result in input order. Used by one thread at a time.
 */
public final class Pipeline {
    /** The context of the micro-batch being pushed, for operators that need it before {@code finish}. */
    static final class CurrentBatch {
        private BatchContext context = BatchContext.bounded();

        BatchContext context() {
            return context;
        }
    }

    private final Map<String, List<Operator>> entries;
    private final Operators.Collector collector;
    private final int statefulOperators;
    private final CurrentBatch currentBatch;
    private final int threads;
    /** The number the next input batch gets (see PushOrder), counting on through the micro-batches. */
    private long nextOrder;

    Pipeline(
            Map<String, List<Operator>> entries,
            Operators.Collector collector,
            int statefulOperators,
            CurrentBatch currentBatch) {
        this.entries = Map.copyOf(entries);
        this.collector = collector;
        this.statefulOperators = statefulOperators;
        this.currentBatch = currentBatch;
        this.threads = Runtime.getRuntime().availableProcessors();
    }

    /** Starts a micro-batch: its batches come next, then {@link #finish} with the same context. */
    public void begin(BatchContext context) {
        currentBatch.context = context;
    }

    /** The names of the tables the plan scans. */
    public java.util.Set<String> tables() {
        return entries.keySet();
    }

    /** The number of stateful operators; their ids are 0 to this minus one. */
    public int statefulOperators() {
        return statefulOperators;
    }

    public void push(String table, Batch batch) {
        pushAll(table, List.of(batch));
    }

    /**
     * Pushes input batches of a table: in parallel on up to one thread per core when its operators accept that and
     * there are at least {@link #PARALLEL_MIN_ROWS} rows, else one after the other on this thread.
     */
    public void pushAll(String table, List<Batch> batches) {
        List<Operator> targets = entries.get(table);
        if (targets == null) {
            throw new IllegalArgumentException("the plan does not scan '" + table + "'; it scans " + entries.keySet());
        }
        long first = nextOrder;
        nextOrder += batches.size();
        int workers = Math.min(threads, batches.size());
        if (workers > 1
                && rows(batches) >= PARALLEL_MIN_ROWS
                && targets.stream().allMatch(Operator::acceptsConcurrently)) {
            AtomicInteger next = new AtomicInteger();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int worker = 0; worker < workers; worker++) {
                tasks.add(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                            PushOrder.set(first + i);
                            for (Operator target : targets) {
                                target.accept(batches.get(i));
                            }
                        }
                    } finally {
                        PushOrder.set(PushOrder.FINISHING);
                    }
                    return null;
                });
            }
            Parallel.runAll(tasks);
            return;
        }
        try {
            for (int i = 0; i < batches.size(); i++) {
                PushOrder.set(first + i);
                for (Operator target : targets) {
                    target.accept(batches.get(i));
                }
            }
        } finally {
            PushOrder.set(PushOrder.FINISHING);
        }
    }

    /** Below this many rows a push stays on one thread: handing small input to other threads costs more than it saves. */
    static final int PARALLEL_MIN_ROWS = 32_768;

    private static long rows(List<Batch> batches) {
        long rows = 0;
        for (Batch batch : batches) {
            rows += batch.rowCount();
        }
        return rows;
    }

    /** Ends the micro-batch: every scan's input is complete. Returns the output for the sink. */
    public List<Batch> finish(BatchContext context) {
        for (List<Operator> targets : entries.values()) {
            for (Operator target : targets) {
                target.finish(context);
            }
        }
        return collector.drain();
    }
}
