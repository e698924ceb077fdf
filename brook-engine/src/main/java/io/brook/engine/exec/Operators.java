package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The stateless operators: filter, projection, union, and a collector at the end of a pipeline. */
final class Operators {
    private Operators() {}

    /** Keeps the rows whose condition is true (not false, not null), by narrowing the batch's selection. */
    static final class FilterOperator implements Operator {
        private final Evaluator condition;
        private final Operator downstream;

        FilterOperator(Evaluator condition, Operator downstream) {
            this.condition = condition;
            this.downstream = downstream;
        }

        @Override
        public void accept(Batch batch) {
            BooleanColumn result = (BooleanColumn) condition.evaluate(batch);
            int[] kept = new int[batch.rowCount()];
            int count = 0;
            for (int row = 0; row < batch.rowCount(); row++) {
                if (!result.isNull(row) && result.getBoolean(row)) {
                    kept[count++] = batch.position(row);
                }
            }
            if (count > 0) {
                downstream.accept(count == batch.rowCount() ? batch : batch.select(Arrays.copyOf(kept, count)));
            }
        }

        @Override
        public boolean acceptsConcurrently() {
            return downstream.acceptsConcurrently();
        }

        @Override
        public void finish(BatchContext context) {
            downstream.finish(context);
        }
    }

    /** Hands each batch to several operators: the one operator of a subplan that a plan uses in several places. */
    static final class Tee implements Operator {
        private final List<Operator> downstreams = new ArrayList<>();

        Tee(Operator first) {
            downstreams.add(first);
        }

        void add(Operator downstream) {
            downstreams.add(downstream);
        }

        @Override
        public void accept(Batch batch) {
            for (Operator downstream : downstreams) {
                downstream.accept(batch); // batches are immutable, so all may hold the same one
            }
        }

        @Override
        public boolean acceptsConcurrently() {
            return downstreams.stream().allMatch(Operator::acceptsConcurrently);
        }

        @Override
        public void finish(BatchContext context) {
            for (Operator downstream : downstreams) {
                downstream.finish(context);
            }
        }
    }

    /**
     * Computes new columns with compiled evaluators; a projection that only picks columns (and fields of struct
     * columns) keeps a filtered batch's selection rather than gathering the rows it selects.
     */
    static final class ProjectOperator implements Operator {
        private final List<Evaluator> expressions;
        private final List<Evaluator> picks;
        private final Schema schema;
        private final Operator downstream;

        /** {@code picks}: the stored columns the expressions pick, selection not applied; null when they compute. */
        ProjectOperator(List<Evaluator> expressions, List<Evaluator> picks, Schema schema, Operator downstream) {
            this.expressions = List.copyOf(expressions);
            this.picks = picks == null ? null : List.copyOf(picks);
            this.schema = schema;
            this.downstream = downstream;
        }

        @Override
        public void accept(Batch batch) {
            if (picks != null && batch.hasSelection()) {
                Column[] columns = new Column[picks.size()];
                for (int i = 0; i < columns.length; i++) {
                    columns[i] = picks.get(i).evaluate(batch);
                }
                downstream.accept(batch.withColumns(schema, columns));
                return;
            }
            Column[] columns = new Column[expressions.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = expressions.get(i).evaluate(batch);
            }
            downstream.accept(Batch.of(schema, columns).withKindOf(batch));
        }

        @Override
        public boolean acceptsConcurrently() {
            return downstream.acceptsConcurrently();
        }

        @Override
        public void finish(BatchContext context) {
            downstream.finish(context);
        }
    }

    /** Passes on the batches of all its inputs (UNION ALL), and finishes once every input has. */
    static final class UnionOperator implements Operator {
        private final int inputs;
        private final Schema schema;
        private final Operator downstream;
        private int finished;

        UnionOperator(int inputs, Schema schema, Operator downstream) {
            this.inputs = inputs;
            this.schema = schema;
            this.downstream = downstream;
        }

        @Override
        public void accept(Batch batch) {
            downstream.accept(Batch.of(schema, columns(batch.compact())).withKindOf(batch));
        }

        @Override
        public boolean acceptsConcurrently() {
            return downstream.acceptsConcurrently();
        }

        private static Column[] columns(Batch batch) {
            Column[] columns = new Column[batch.schema().size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = batch.column(i);
            }
            return columns;
        }

        @Override
        public void finish(BatchContext context) {
            if (++finished == inputs) {
                finished = 0;
                downstream.finish(context);
            }
        }
    }

    /** The end of a pipeline: keeps the batches of the current micro-batch for the sink (behind a PushOrder gate). */
    static final class Collector implements Operator {
        private final List<Batch> batches = new ArrayList<>();
        private boolean finished;

        @Override
        public void accept(Batch batch) {
            if (batch.rowCount() > 0) {
                batches.add(batch);
            }
        }

        @Override
        public void finish(BatchContext context) {
            finished = true;
        }

        /** The batches collected since the last call; the pipeline must have finished. */
        List<Batch> drain() {
            if (!finished) {
                throw new IllegalStateException("the pipeline has not finished its batch");
            }
            List<Batch> result = List.copyOf(batches);
            batches.clear();
            finished = false;
            return result;
        }
    }
}
