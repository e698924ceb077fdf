package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.List;
import java.util.Map;

/**
 * A physical plan ready to run: the operators each scanned table's batches enter, the collector at the end, and the
 * ids of its stateful operators. Run a micro-batch by {@link #push}ing every table's new batches, then {@link #finish}.
 * Not thread-safe.
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

    Pipeline(
            Map<String, List<Operator>> entries,
            Operators.Collector collector,
            int statefulOperators,
            CurrentBatch currentBatch) {
        this.entries = Map.copyOf(entries);
        this.collector = collector;
        this.statefulOperators = statefulOperators;
        this.currentBatch = currentBatch;
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
        List<Operator> targets = entries.get(table);
        if (targets == null) {
            throw new IllegalArgumentException("the plan does not scan '" + table + "'; it scans " + entries.keySet());
        }
        for (Operator target : targets) {
            target.accept(batch);
        }
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
