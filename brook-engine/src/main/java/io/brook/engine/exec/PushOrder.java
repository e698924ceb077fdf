package io.brook.engine.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The place in the input of the batch an operator is handling on this thread. A pipeline numbers the input batches it
 * pushes ({@link Pipeline#pushAll}) and may push them on several threads at once; operators that collect batches from
 * concurrent pushes (an exchange, the collector) keep each with its number and put them back in input order, so a
 * micro-batch's result does not depend on thread timing (which matters for first/last and for sums of doubles, and
 * for a re-run batch to give the same output). Output made while the pipeline finishes comes after all input.
 */
final class PushOrder {
    /** The number of output made while finishing: after every input batch. */
    static final long FINISHING = Long.MAX_VALUE;

    private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[] {FINISHING});

    private PushOrder() {}

    static long current() {
        return CURRENT.get()[0];
    }

    static void set(long order) {
        CURRENT.get()[0] = order;
    }

    /** Batches collected from concurrent pushes, each with the input number it came from. */
    static final class Collected {
        private record Entry(long order, io.brook.engine.batch.Batch batch) {}

        private final List<Entry> entries = new ArrayList<>();

        synchronized void add(io.brook.engine.batch.Batch batch) {
            entries.add(new Entry(current(), batch));
        }

        /** The batches in input order (those of one input batch in the order they came), and empties this. */
        synchronized List<io.brook.engine.batch.Batch> drain() {
            entries.sort(Comparator.comparingLong(Entry::order)); // stable: one input's outputs keep their order
            List<io.brook.engine.batch.Batch> batches = new ArrayList<>(entries.size());
            for (Entry entry : entries) {
                batches.add(entry.batch());
            }
            entries.clear();
            return batches;
        }

        synchronized boolean isEmpty() {
            return entries.isEmpty();
        }
    }
}
