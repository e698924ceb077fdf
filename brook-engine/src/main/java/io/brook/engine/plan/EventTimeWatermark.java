package io.brook.engine.plan;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;

/**
 * {@code withWatermark(column, delay)}: passes its input on unchanged and marks a TIMESTAMP column as event time, whose
 * watermark is the largest value seen minus the delay. Calcite has no watermarks; this node is Brook's, and the
 * physical planner gives it meaning: stateful operators above it drop late rows and evict state the watermark passed.
 */
public final class EventTimeWatermark extends SingleRel {
    private final int column;
    private final long delayMicros;

    public EventTimeWatermark(RelOptCluster cluster, RelTraitSet traits, RelNode input, int column, long delayMicros) {
        super(cluster, traits, input);
        if (column < 0 || column >= input.getRowType().getFieldCount()) {
            throw new IllegalArgumentException("column " + column + " is outside " + input.getRowType());
        }
        if (delayMicros < 0) {
            throw new IllegalArgumentException("delayMicros must be >= 0, was " + delayMicros);
        }
        this.column = column;
        this.delayMicros = delayMicros;
    }

    public static EventTimeWatermark create(RelNode input, int column, long delayMicros) {
        return new EventTimeWatermark(input.getCluster(), input.getTraitSet(), input, column, delayMicros);
    }

    public int column() {
        return column;
    }

    public long delayMicros() {
        return delayMicros;
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new EventTimeWatermark(getCluster(), traitSet, sole(inputs), column, delayMicros);
    }

    @Override
    public RelWriter explainTerms(RelWriter writer) {
        return super.explainTerms(writer)
                .item("eventTime", getInput().getRowType().getFieldNames().get(column))
                .item("delayMicros", delayMicros);
    }
}
