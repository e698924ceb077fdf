package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.Schema;
import io.brook.engine.plan.RelTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;

/**
 * Runs a logical plan of scans, filters and projections over bounded inputs, batch by batch: a filter only narrows the
 * batch's selection, a projection computes its columns with compiled evaluators. The first, bounded step towards the
 * incremental physical plan; stateful operators come next.
 */
public final class LocalExecutor {
    private final Map<String, List<Batch>> tables;

    /** @param tables the batches of each table a plan may scan, by table name */
    public LocalExecutor(Map<String, List<Batch>> tables) {
        this.tables = Map.copyOf(tables);
    }

    public List<Batch> execute(RelNode plan) {
        if (plan instanceof TableScan scan) {
            List<String> name = scan.getTable().getQualifiedName();
            List<Batch> batches = tables.get(name.get(name.size() - 1));
            if (batches == null) {
                throw new IllegalArgumentException("no batches for table " + name + "; known: " + tables.keySet());
            }
            return batches;
        }
        if (plan instanceof Filter filter) {
            Evaluator condition = ExpressionCompiler.compile(filter.getCondition());
            List<Batch> out = new ArrayList<>();
            for (Batch batch : execute(filter.getInput())) {
                out.add(filter(batch, (BooleanColumn) condition.evaluate(batch)));
            }
            return out;
        }
        if (plan instanceof Project project) {
            List<Evaluator> expressions = new ArrayList<>();
            for (RexNode expression : project.getProjects()) {
                expressions.add(ExpressionCompiler.compile(expression));
            }
            Schema schema = RelTypes.toSchema(project.getRowType());
            List<Batch> out = new ArrayList<>();
            for (Batch batch : execute(project.getInput())) {
                Column[] columns = new Column[expressions.size()];
                for (int i = 0; i < columns.length; i++) {
                    columns[i] = expressions.get(i).evaluate(batch);
                }
                out.add(Batch.of(schema, columns));
            }
            return out;
        }
        throw new UnsupportedOperationException("Brook cannot run " + plan.getRelTypeName() + " yet");
    }

    /** Keeps the rows whose condition is true (not false, not null), by narrowing the selection. */
    private static Batch filter(Batch batch, BooleanColumn condition) {
        int[] kept = new int[batch.rowCount()];
        int count = 0;
        for (int row = 0; row < batch.rowCount(); row++) {
            if (!condition.isNull(row) && condition.getBoolean(row)) {
                kept[count++] = batch.position(row);
            }
        }
        return batch.select(java.util.Arrays.copyOf(kept, count));
    }
}
