package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.connector.Offset;
import io.brook.engine.connector.ReadLimit;
import io.brook.engine.connector.Source;
import io.brook.engine.plan.SourceTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;

/** Runs a plan over bounded sources once: each scanned source is read from its initial to its latest offset. */
public final class BoundedRunner {
    private BoundedRunner() {}

    public static List<Batch> run(RelNode plan) {
        return run(plan, PhysicalPlanner.defaultPartitions());
    }

    /** Runs a plan whose aggregations spread over this many partitions. */
    public static List<Batch> run(RelNode plan, int partitions) {
        Pipeline pipeline = PhysicalPlanner.bounded(plan, partitions);
        // One context, so that PROCTIME() is the same wherever the query reads it.
        BatchContext context = BatchContext.bounded();
        pipeline.begin(context);
        Map<String, SourceTable> scans = scans(plan);
        for (String table : pipeline.tables()) {
            Source shared = scans.get(table).source();
            Source source = shared.copy();
            try {
                Offset start = source.initialOffset();
                try (Pipeline.Pusher pusher = pipeline.pusher(table)) {
                    source.read(start, source.latestOffset(start, ReadLimit.ALL), pusher);
                }
            } finally {
                if (source != shared) {
                    source.close();
                }
            }
        }
        return pipeline.finish(context);
    }

    /** The source tables a plan scans, by name, in the order a depth-first walk meets them. */
    public static Map<String, SourceTable> scans(RelNode plan) {
        Map<String, SourceTable> scans = new LinkedHashMap<>();
        collect(plan, scans);
        return scans;
    }

    private static void collect(RelNode rel, Map<String, SourceTable> scans) {
        if (rel instanceof TableScan scan) {
            List<String> name = scan.getTable().getQualifiedName();
            SourceTable table = scan.getTable().unwrap(SourceTable.class);
            if (table != null) {
                scans.put(name.get(name.size() - 1), table);
            }
        }
        for (RelNode input : rel.getInputs()) {
            collect(input, scans);
        }
    }

    /** Whether a plan reads an unbounded source. */
    public static boolean streaming(RelNode rel) {
        if (rel instanceof TableScan scan) {
            SourceTable table = scan.getTable().unwrap(SourceTable.class);
            return table != null && table.streaming();
        }
        for (RelNode input : rel.getInputs()) {
            if (streaming(input)) {
                return true;
            }
        }
        return false;
    }
}
