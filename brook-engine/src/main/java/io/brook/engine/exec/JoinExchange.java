package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * Spreads a join of two streams over N partitions by the hash of its key, as {@link ExchangeOperator} spreads an
 * aggregation: partition {@code p} is a {@link StreamJoinOperator} with its own state, fed the rows of both sides whose
 * keys hash to {@code p} (equal keys of the two sides have equal types, so they hash alike). The stateless operators
 * before it run on every core, and at the end of the micro-batch the partitions join on threads of their own; their
 * outputs go downstream one partition after the other.
 */
final class JoinExchange {
    private final int[] leftKeys;
    private final int[] rightKeys;
    private final List<PushOrder.Ordered> leftGates = new ArrayList<>();
    private final List<PushOrder.Ordered> rightGates = new ArrayList<>();
    private final List<ExchangeOperator.Buffer> outputs = new ArrayList<>();
    private final Operator downstream;
    private int finishedSides;

    /** @param joins makes partition {@code p}'s join, sending its output to the given operator */
    JoinExchange(
            int[] leftKeys,
            int[] rightKeys,
            int partitionCount,
            BiFunction<Integer, Operator, StreamJoinOperator> joins,
            PushOrder.Progress progress,
            Operator downstream) {
        this.leftKeys = leftKeys.clone();
        this.rightKeys = rightKeys.clone();
        this.downstream = downstream;
        for (int p = 0; p < partitionCount; p++) {
            ExchangeOperator.Buffer output = new ExchangeOperator.Buffer();
            outputs.add(output);
            StreamJoinOperator join = joins.apply(p, output);
            leftGates.add(new PushOrder.Ordered(progress, join.side(true)));
            rightGates.add(new PushOrder.Ordered(progress, join.side(false)));
        }
    }

    /** The entry of one side; the partitions join once both sides have finished the micro-batch. */
    Operator side(boolean left) {
        return new Operator() {
            @Override
            public void accept(Batch batch) {
                ExchangeOperator.split(batch, left ? leftKeys : rightKeys, left ? leftGates : rightGates);
            }

            @Override
            public boolean acceptsConcurrently() {
                return true;
            }

            @Override
            public void finish(BatchContext context) {
                if (++finishedSides == 2) {
                    finishedSides = 0;
                    joinAll(context);
                }
            }
        };
    }

    private void joinAll(BatchContext context) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int p = 0; p < outputs.size(); p++) {
            int partition = p;
            tasks.add(() -> {
                // What waits at each gate, then each side's finish: the second runs the partition's join.
                leftGates.get(partition).finish(context);
                rightGates.get(partition).finish(context);
                return null;
            });
        }
        Parallel.runAll(tasks);
        for (ExchangeOperator.Buffer output : outputs) {
            output.drainTo(downstream);
        }
        downstream.finish(context);
    }
}
