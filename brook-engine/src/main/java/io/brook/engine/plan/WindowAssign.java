package io.brook.engine.plan;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code window(timeColumn, size[, slide])} in a groupBy: each input row once per event-time window that contains it,
 * with two columns added, {@code window_start} and {@code window_end} (Spark's {@code window.start} and
 * {@code window.end}). A tumbling window (slide = size) gives one row per input row; a sliding window size / slide
 * rows. Windows are aligned to the epoch, as in Spark; rows with a null time belong to no window.
 */
public final class WindowAssign extends SingleRel {
    public static final String START = "window_start";
    public static final String END = "window_end";

    private final int timeColumn;
    private final long sizeMicros;
    private final long slideMicros;

    public WindowAssign(
            RelOptCluster cluster,
            RelTraitSet traits,
            RelNode input,
            int timeColumn,
            long sizeMicros,
            long slideMicros) {
        super(cluster, traits, input);
        if (sizeMicros <= 0 || slideMicros <= 0 || slideMicros > sizeMicros) {
            throw new IllegalArgumentException(
                    "a window needs 0 < slide <= size; got size " + sizeMicros + " µs, slide " + slideMicros + " µs");
        }
        this.timeColumn = timeColumn;
        this.sizeMicros = sizeMicros;
        this.slideMicros = slideMicros;
    }

    public static WindowAssign create(RelNode input, int timeColumn, long sizeMicros, long slideMicros) {
        return new WindowAssign(input.getCluster(), input.getTraitSet(), input, timeColumn, sizeMicros, slideMicros);
    }

    public int timeColumn() {
        return timeColumn;
    }

    public long sizeMicros() {
        return sizeMicros;
    }

    public long slideMicros() {
        return slideMicros;
    }

    @Override
    protected RelDataType deriveRowType() {
        RelDataTypeFactory types = getCluster().getTypeFactory();
        RelDataType timestamp = types.createSqlType(SqlTypeName.TIMESTAMP, 6);
        return types.builder()
                .addAll(getInput().getRowType().getFieldList())
                .add(START, timestamp)
                .add(END, timestamp)
                .build();
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new WindowAssign(getCluster(), traitSet, sole(inputs), timeColumn, sizeMicros, slideMicros);
    }

    @Override
    public RelWriter explainTerms(RelWriter writer) {
        return super.explainTerms(writer)
                .item("time", getInput().getRowType().getFieldNames().get(timeColumn))
                .item("sizeMicros", sizeMicros)
                .item("slideMicros", slideMicros);
    }
}
