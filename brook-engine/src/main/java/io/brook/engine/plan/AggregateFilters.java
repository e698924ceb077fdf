package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * {@code agg(x) FILTER (WHERE p)} as {@code agg(CASE WHEN p THEN x END)}: the aggregate functions that take a filter
 * skip NULLs, so a row the filter rejects counts as no row ({@code count(*) FILTER (WHERE p)} is
 * {@code count(CASE WHEN p THEN 0 END)}). Brook's aggregation operators then need no filter of their own. Functions
 * that see NULLs are refused with a filter.
 */
final class AggregateFilters {
    private AggregateFilters() {}

    static RelNode rewrite(RelNode rel) {
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : rel.getInputs()) {
            RelNode rewritten = rewrite(input);
            inputs.add(rewritten);
            changed |= rewritten != input;
        }
        RelNode current = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
        if (current instanceof Aggregate aggregate
                && aggregate.getAggCallList().stream().anyMatch(call -> call.filterArg >= 0)) {
            return withoutFilters(aggregate);
        }
        return current;
    }

    private static RelNode withoutFilters(Aggregate aggregate) {
        RelNode input = aggregate.getInput();
        RexBuilder rex = aggregate.getCluster().getRexBuilder();
        List<RexNode> columns = new ArrayList<>(rex.identityProjects(input.getRowType()));
        List<AggregateCall> calls = new ArrayList<>();
        for (AggregateCall call : aggregate.getAggCallList()) {
            if (call.filterArg < 0) {
                calls.add(call);
                continue;
            }
            SqlKind kind = call.getAggregation().getKind();
            boolean skipsNulls = kind == SqlKind.COUNT
                    || kind == SqlKind.SUM
                    || kind == SqlKind.SUM0
                    || kind == SqlKind.MIN
                    || kind == SqlKind.MAX
                    || kind == SqlKind.AVG;
            if (!skipsNulls) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        call.getAggregation().getName() + " with FILTER (WHERE ...) is not supported; FILTER works with"
                                + " count, sum, min, max and avg");
            }
            RexNode filter = rex.makeCall(SqlStdOperatorTable.IS_TRUE, rex.makeInputRef(input, call.filterArg));
            List<Integer> arguments = new ArrayList<>();
            if (call.getArgList().isEmpty()) {
                // count(*) FILTER (WHERE p): count the rows where p holds
                RelDataType integer = rex.getTypeFactory()
                        .createTypeWithNullability(rex.getTypeFactory().createSqlType(SqlTypeName.INTEGER), true);
                arguments.add(columns.size());
                columns.add(rex.makeCall(
                        SqlStdOperatorTable.CASE,
                        filter,
                        rex.makeExactLiteral(java.math.BigDecimal.ZERO, integer),
                        rex.makeNullLiteral(integer)));
            } else {
                for (int argument : call.getArgList()) {
                    RelDataType type = rex.getTypeFactory()
                            .createTypeWithNullability(
                                    input.getRowType()
                                            .getFieldList()
                                            .get(argument)
                                            .getType(),
                                    true);
                    arguments.add(columns.size());
                    columns.add(rex.makeCall(
                            SqlStdOperatorTable.CASE,
                            filter,
                            rex.makeCast(type, rex.makeInputRef(input, argument)),
                            rex.makeNullLiteral(type)));
                }
            }
            calls.add(AggregateCall.create(
                    call.getAggregation(),
                    call.isDistinct(),
                    call.isApproximate(),
                    call.ignoreNulls(),
                    call.rexList,
                    arguments,
                    -1,
                    call.distinctKeys,
                    call.collation,
                    call.getType(),
                    call.getName()));
        }
        RelNode projected = LogicalProject.create(input, List.of(), columns, (List<String>) null, java.util.Set.of());
        return LogicalAggregate.create(projected, List.of(), aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
    }
}
