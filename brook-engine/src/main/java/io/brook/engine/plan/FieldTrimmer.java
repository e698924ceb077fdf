package io.brook.engine.plan;

import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;
import org.apache.calcite.util.mapping.IntPair;
import org.apache.calcite.util.mapping.Mapping;
import org.apache.calcite.util.mapping.MappingType;
import org.apache.calcite.util.mapping.Mappings;

/**
 * Calcite's field trimmer, taught Brook's own nodes: columns no operator above uses are not computed below. Without it
 * a source's computed columns (a Flink table's {@code from_json} structs, every field of every event type) were all
 * parsed for every row whatever the query read. Nodes it does not know keep all their input's columns.
 */
public final class FieldTrimmer extends RelFieldTrimmer {
    FieldTrimmer(RelBuilder builder) {
        super(null, builder);
    }

    /** Passes its input's rows on: it needs what is used above and its event-time column. */
    public TrimResult trimFields(
            EventTimeWatermark watermark, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
        ImmutableBitSet inputUsed = fieldsUsed.union(ImmutableBitSet.of(watermark.column()));
        TrimResult trimmed = trimChild(watermark, watermark.getInput(), inputUsed, extraFields);
        Mapping mapping = trimmed.right;
        RelNode rel =
                EventTimeWatermark.create(trimmed.left, mapping.getTarget(watermark.column()), watermark.delayMicros());
        return result(rel, mapping);
    }

    /** Its input's columns, then window_start and window_end: it needs the used ones and its time column. */
    public TrimResult trimFields(WindowAssign window, ImmutableBitSet fieldsUsed, Set<RelDataTypeField> extraFields) {
        int inputCount = window.getInput().getRowType().getFieldCount();
        ImmutableBitSet inputUsed =
                fieldsUsed.intersect(ImmutableBitSet.range(inputCount)).union(ImmutableBitSet.of(window.timeColumn()));
        TrimResult trimmed = trimChild(window, window.getInput(), inputUsed, extraFields);
        Mapping inputMapping = trimmed.right;
        int trimmedCount = trimmed.left.getRowType().getFieldCount();
        Mapping mapping = Mappings.create(MappingType.INVERSE_SURJECTION, inputCount + 2, trimmedCount + 2);
        for (IntPair pair : inputMapping) {
            mapping.set(pair.source, pair.target);
        }
        mapping.set(inputCount, trimmedCount);
        mapping.set(inputCount + 1, trimmedCount + 1);
        RelNode rel = WindowAssign.create(
                trimmed.left, inputMapping.getTarget(window.timeColumn()), window.sizeMicros(), window.slideMicros());
        return result(rel, mapping);
    }
}
