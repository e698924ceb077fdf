package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;

/** Runs a logical plan once over bounded inputs given as batches per table name: a bounded query in one call. */
public final class LocalExecutor {
    private final Map<String, List<Batch>> tables;

    /** @param tables the batches of each table a plan may scan, by table name */
    public LocalExecutor(Map<String, List<Batch>> tables) {
        this.tables = Map.copyOf(tables);
    }

    public List<Batch> execute(RelNode plan) {
        Pipeline pipeline = PhysicalPlanner.bounded(plan);
        // One context, so that PROCTIME() is the same wherever the query reads it.
        BatchContext context = BatchContext.bounded();
        pipeline.begin(context);
        for (String table : pipeline.tables()) {
            List<Batch> batches = tables.get(table);
            if (batches == null) {
                throw new IllegalArgumentException("no batches for table " + table + "; known: " + tables.keySet());
            }
            pipeline.pushAll(table, batches);
        }
        return pipeline.finish(context);
    }
}
