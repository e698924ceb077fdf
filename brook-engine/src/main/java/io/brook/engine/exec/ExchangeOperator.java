package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Spreads a stateful operator over N partitions by the hash of its key, Spark's shuffle within one process: each
 * partition is its own operator instance with its own state (a state store per partition). Rows are split as they
 * come, on whichever threads push them, and reach their partition through a {@link PushOrder.Ordered} gate in input
 * order; at the end of the micro-batch the partitions finish on threads of their own, and their outputs go downstream
 * one partition after the other. Rows with equal keys always meet in the same partition.
 */
final class ExchangeOperator implements Operator {
    private final int[] keyColumns;
    private final List<Operator> partitions;
    private final List<Buffer> outputs;
    /** Each partition's gate: its rows pass to the partition in input order (see PushOrder). */
    private final List<PushOrder.Ordered> inputs;

    private final Operator downstream;

    /** Collects one partition's output until all partitions are done. */
    static final class Buffer implements Operator {
        private final List<Batch> batches = new ArrayList<>();

        /** Passes the collected batches on and forgets them. */
        void drainTo(Operator downstream) {
            for (Batch batch : batches) {
                downstream.accept(batch);
            }
            batches.clear();
        }

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
            PushOrder.Progress progress,
            Operator downstream) {
        this.keyColumns = keyColumns.clone();
        this.downstream = downstream;
        this.partitions = new ArrayList<>();
        this.outputs = new ArrayList<>();
        this.inputs = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            Buffer buffer = new Buffer();
            outputs.add(buffer);
            Operator partition = partitionFactory.apply(p, buffer);
            partitions.add(partition);
            inputs.add(new PushOrder.Ordered(progress, partition));
        }
    }

    static int partitionOf(int hash, int partitions) {
        return Math.floorMod(hash, partitions);
    }

    /** Splitting is per batch and the partitions' inputs keep their order: pushes may come from several threads. */
    @Override
    public boolean acceptsConcurrently() {
        return true;
    }

    @Override
    public void accept(Batch batch) {
        split(batch, keyColumns, inputs);
    }

    /** Sends each row of the batch to the partition (the gate) its key hashes to. */
    static void split(Batch batch, int[] keyColumns, List<? extends Operator> gates) {
        int count = gates.size();
        if (count == 1) {
            gates.get(0).accept(batch);
            return;
        }
        Batch dense = batch.compact();
        int[][] positions = new int[count][];
        int[] sizes = new int[count];
        for (int p = 0; p < count; p++) {
            positions[p] = new int[Math.max(16, dense.rowCount() / count + 16)];
        }
        long[] hashes = KeyHashes.of(dense, keyColumns, null);
        for (int position = 0; position < dense.rowCount(); position++) {
            int p = partitionOf(KeyHashes.finish(hashes[position]), count);
            if (sizes[p] == positions[p].length) {
                positions[p] = Arrays.copyOf(positions[p], sizes[p] * 2);
            }
            positions[p][sizes[p]++] = position;
        }
        for (int p = 0; p < count; p++) {
            if (sizes[p] > 0) {
                gates.get(p).accept(dense.select(Arrays.copyOf(positions[p], sizes[p])));
            }
        }
    }

    @Override
    public void finish(BatchContext context) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int p = 0; p < partitions.size(); p++) {
            int partition = p;
            tasks.add(() -> {
                inputs.get(partition).finish(context); // what waits at the gate, then the partition's finish
                return null;
            });
        }
        Parallel.runAll(tasks);
        for (Buffer output : outputs) {
            output.drainTo(downstream);
        }
        downstream.finish(context);
    }
}
