package io.brook.engine.plan;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;

/**
 * {@code dropDuplicates(columns)}: the first row of each distinct value of the key columns, all columns kept. On a
 * stream, the keys seen stay in state; with a watermark on an event-time key column they leave it once the watermark
 * passes, and rows older than the watermark are dropped as late (Spark's streaming deduplication).
 */
public final class Deduplicate extends SingleRel {
    private final List<Integer> keys;

    public Deduplicate(RelOptCluster cluster, RelTraitSet traits, RelNode input, List<Integer> keys) {
        super(cluster, traits, input);
        this.keys = List.copyOf(keys);
        for (int key : this.keys) {
            if (key < 0 || key >= input.getRowType().getFieldCount()) {
                throw new IllegalArgumentException("key " + key + " is outside " + input.getRowType());
            }
        }
    }

    public static Deduplicate create(RelNode input, List<Integer> keys) {
        return new Deduplicate(input.getCluster(), input.getTraitSet(), input, keys);
    }

    public List<Integer> keys() {
        return keys;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new Deduplicate(getCluster(), traitSet, sole(inputs), keys);
    }

    @Override
    public RelWriter explainTerms(RelWriter writer) {
        List<String> names = getInput().getRowType().getFieldNames();
        return super.explainTerms(writer)
                .item("keys", keys.stream().map(names::get).toList());
    }
}
