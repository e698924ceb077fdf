package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Spreads a stateful operator over N partitions by the hash of its key, Spark's shuffle within one process: each
 * partition is its own operator instance with its own state (a state store per partition). Rows are split as they
 * come; at the end of the micro-batch every partition takes its rows and finishes on a thread of its own, and their
 * outputs go downstream one partition after the other. Rows with equal keys always meet in the same partition.
 */
final class ExchangeOperator implements Operator {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "brook-partition");
        thread.setDaemon(true);
        return thread;
    });

    private final int[] keyColumns;
    private final List<Operator> partitions;
    private final List<Buffer> outputs;
    private final List<List<Batch>> inputs;
    private final Operator downstream;
    private long[] hashScratch;

    /** Collects one partition's output until all partitions are done. */
    private static final class Buffer implements Operator {
        private final List<Batch> batches = new ArrayList<>();

        @Override
        public void accept(Batch batch) {
            batches.add(batch);
        }

        @Override
        public void finish(BatchContext context) {}
    }

    /**
     * @param partitionFactory makes partition {@code p}'s operator, sending its output to the given operator
     */
    ExchangeOperator(
            int[] keyColumns,
            int partitionCount,
            java.util.function.BiFunction<Integer, Operator, Operator> partitionFactory,
            Operator downstream) {
        this.keyColumns = keyColumns.clone();
        this.downstream = downstream;
        this.partitions = new ArrayList<>();
        this.outputs = new ArrayList<>();
        this.inputs = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            Buffer buffer = new Buffer();
            outputs.add(buffer);
            partitions.add(partitionFactory.apply(p, buffer));
            inputs.add(new ArrayList<>());
        }
    }

    static int partitionOf(int hash, int partitions) {
        return Math.floorMod(hash, partitions);
    }

    @Override
    public void accept(Batch batch) {
        int count = partitions.size();
        if (count == 1) {
            inputs.get(0).add(batch);
            return;
        }
        Batch dense = batch.compact();
        int[][] positions = new int[count][];
        int[] sizes = new int[count];
        for (int p = 0; p < count; p++) {
            positions[p] = new int[Math.max(16, dense.rowCount() / count + 16)];
        }
        hashScratch = KeyHashes.of(dense, keyColumns, hashScratch);
        for (int position = 0; position < dense.rowCount(); position++) {
            int p = partitionOf(KeyHashes.finish(hashScratch[position]), count);
            if (sizes[p] == positions[p].length) {
                positions[p] = Arrays.copyOf(positions[p], sizes[p] * 2);
            }
            positions[p][sizes[p]++] = position;
        }
        for (int p = 0; p < count; p++) {
            if (sizes[p] > 0) {
                inputs.get(p).add(dense.select(Arrays.copyOf(positions[p], sizes[p])));
            }
        }
    }

    @Override
    public void finish(BatchContext context) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int p = 0; p < partitions.size(); p++) {
            int partition = p;
            tasks.add(() -> {
                Operator operator = partitions.get(partition);
                for (Batch batch : inputs.get(partition)) {
                    operator.accept(batch);
                }
                inputs.get(partition).clear();
                operator.finish(context);
                return null;
            });
        }
        runAll(tasks);
        for (Buffer output : outputs) {
            for (Batch batch : output.batches) {
                downstream.accept(batch);
            }
            output.batches.clear();
        }
        downstream.finish(context);
    }

    /** Runs the tasks, the last on this thread, and rethrows the first failure. */
    static void runAll(List<Callable<Void>> tasks) {
        List<Future<Void>> running = new ArrayList<>();
        for (int i = 0; i < tasks.size() - 1; i++) {
            running.add(THREADS.submit(tasks.get(i)));
        }
        RuntimeException failure = null;
        try {
            tasks.get(tasks.size() - 1).call();
        } catch (RuntimeException e) {
            failure = e;
        } catch (Exception e) {
            failure = new IllegalStateException(e);
        }
        for (Future<Void> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while partitions ran", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
