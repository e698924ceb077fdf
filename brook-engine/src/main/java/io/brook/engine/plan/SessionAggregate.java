package io.brook.engine.plan;

import java.util.List;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code groupBy(session_window(time, gap), keys...).agg(...)}: per key, events less than {@code gap} apart form one
 * session, from the first event to the last plus the gap; a new event can merge sessions. Output: the keys,
 * {@code session_start}, {@code session_end}, then the aggregates. Calcite's Aggregate cannot express sessions (a
 * row's group depends on other rows), so this is Brook's node.
 */
public final class SessionAggregate extends SingleRel {
    public static final String START = "session_start";
    public static final String END = "session_end";

    private final List<Integer> keys;
    private final int timeColumn;
    private final long gapMicros;
    private final List<AggregateCall> calls;

    public SessionAggregate(
            RelOptCluster cluster,
            RelTraitSet traits,
            RelNode input,
            List<Integer> keys,
            int timeColumn,
            long gapMicros,
            List<AggregateCall> calls) {
        super(cluster, traits, input);
        if (gapMicros <= 0) {
            throw new IllegalArgumentException("gapMicros must be > 0, was " + gapMicros);
        }
        this.keys = List.copyOf(keys);
        this.timeColumn = timeColumn;
        this.gapMicros = gapMicros;
        this.calls = List.copyOf(calls);
    }

    public static SessionAggregate create(
            RelNode input, List<Integer> keys, int timeColumn, long gapMicros, List<AggregateCall> calls) {
        return new SessionAggregate(input.getCluster(), input.getTraitSet(), input, keys, timeColumn, gapMicros, calls);
    }

    public List<Integer> keys() {
        return keys;
    }

    public int timeColumn() {
        return timeColumn;
    }

    public long gapMicros() {
        return gapMicros;
    }

    public List<AggregateCall> calls() {
        return calls;
    }

    @Override
    protected RelDataType deriveRowType() {
        RelDataTypeFactory types = getCluster().getTypeFactory();
        RelDataType timestamp = types.createSqlType(SqlTypeName.TIMESTAMP, 6);
        RelDataTypeFactory.Builder builder = types.builder();
        for (int key : keys) {
            builder.add(getInput().getRowType().getFieldList().get(key));
        }
        builder.add(START, timestamp).add(END, timestamp);
        for (AggregateCall call : calls) {
            builder.add(call.getName(), call.getType());
        }
        return builder.uniquify().build();
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return new SessionAggregate(getCluster(), traitSet, sole(inputs), keys, timeColumn, gapMicros, calls);
    }

    @Override
    public RelWriter explainTerms(RelWriter writer) {
        List<String> names = getInput().getRowType().getFieldNames();
        return super.explainTerms(writer)
                .item("keys", keys.stream().map(names::get).toList())
                .item("time", names.get(timeColumn))
                .item("gapMicros", gapMicros)
                .item("calls", calls);
    }
}
