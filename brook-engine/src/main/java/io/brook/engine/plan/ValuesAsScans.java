package io.brook.engine.plan;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.StaticSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalUnion;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * {@code VALUES (...), (...)} and {@code SELECT} without {@code FROM} (a one-row VALUES to Calcite): each row is a
 * projection of its literals over a one-row table, the rows a {@code UNION ALL}, so the runtime needs no operator of
 * its own for literal rows; no rows is that table filtered by FALSE.
 */
final class ValuesAsScans {
    private static final Schema ONE_ROW = Schema.of(new Field("one", ColumnType.INT, false));

    private ValuesAsScans() {}

    static RelNode rewrite(PlanContext context, RelNode rel) {
        return rel.accept(new RelHomogeneousShuttle() {
            @Override
            public RelNode visit(RelNode other) {
                RelNode visited = super.visit(other);
                return visited instanceof Values values ? rows(context, values) : visited;
            }
        });
    }

    private static RelNode rows(PlanContext context, Values values) {
        Batch one = Batch.of(ONE_ROW, IntColumn.of(ColumnType.INT, new int[] {1}));
        RelNode scan =
                context.scan("values", new SourceTable(new StaticSource(ONE_ROW, List.of(one), "Values"), false));
        RexBuilder rex = values.getCluster().getRexBuilder();
        List<RelDataTypeField> fields = values.getRowType().getFieldList();
        if (values.getTuples().isEmpty()) {
            List<RexNode> nulls = new ArrayList<>();
            for (RelDataTypeField field : fields) {
                nulls.add(rex.makeNullLiteral(field.getType()));
            }
            return LogicalProject.create(
                    LogicalFilter.create(scan, rex.makeLiteral(false)),
                    List.of(),
                    nulls,
                    values.getRowType().getFieldNames(),
                    Set.of());
        }
        List<RelNode> rows = new ArrayList<>();
        for (List<RexLiteral> tuple : values.getTuples()) {
            List<RexNode> literals = new ArrayList<>();
            for (int i = 0; i < tuple.size(); i++) {
                literals.add(rex.makeCast(fields.get(i).getType(), tuple.get(i), true, false));
            }
            rows.add(LogicalProject.create(
                    scan, List.of(), literals, values.getRowType().getFieldNames(), Set.of()));
        }
        return rows.size() == 1 ? rows.get(0) : LogicalUnion.create(rows, true);
    }
}
