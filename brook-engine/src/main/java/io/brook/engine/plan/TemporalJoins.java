package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Snapshot;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/**
 * Flink's temporal joins, {@code JOIN t FOR SYSTEM_TIME AS OF s.time AS x ON ...}, over a bounded table (files, JDBC):
 * the table does not change while a query runs, so its version as of any time, processing or event, is the table
 * itself. Calcite plans the join as a correlation over a snapshot of the table (the ON condition reading the stream's
 * row through the correlation variable); without the snapshot it is the plain join of a stream with a table, which
 * Brook runs as a hash join (Nexmark q13). A snapshot of a
 * stream (a versioned table, an event-time temporal join) is refused by validation: only bounded relations are
 * temporal tables to Calcite here (see SqlPlanner).
 */
final class TemporalJoins {
    private TemporalJoins() {}

    static RelNode rewrite(RelNode rel) {
        return rel.accept(new RelHomogeneousShuttle() {
            @Override
            public RelNode visit(RelNode other) {
                RelNode visited = super.visit(other);
                if (visited instanceof Snapshot snapshot) {
                    if (io.brook.engine.exec.BoundedRunner.streaming(snapshot.getInput())) {
                        throw unsupportedOverStream();
                    }
                    return snapshot.getInput();
                }
                if (visited instanceof Correlate correlate) {
                    RelNode join = join(correlate);
                    return join == null ? visited : join;
                }
                return visited;
            }
        });
    }

    /**
     * A correlation whose right side is now a table under the join condition ({@code Filter(cond, table)}, the
     * condition reading the left row through the correlation variable) as the join itself; null for another shape,
     * which the decorrelating rules get.
     */
    private static RelNode join(Correlate correlate) {
        RelNode right = correlate.getRight();
        RexNode condition = correlate.getCluster().getRexBuilder().makeLiteral(true);
        if (right instanceof Filter filter) {
            condition = filter.getCondition();
            right = filter.getInput();
        }
        if (!RelOptUtil.getVariablesUsed(right).isEmpty()
                || (correlate.getJoinType() != JoinRelType.INNER && correlate.getJoinType() != JoinRelType.LEFT)) {
            return null;
        }
        int leftFields = correlate.getLeft().getRowType().getFieldCount();
        CorrelationId id = correlate.getCorrelationId();
        boolean[] otherVariable = {false};
        RexNode joinCondition = condition.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                return new RexInputRef(ref.getIndex() + leftFields, ref.getType());
            }

            @Override
            public RexNode visitFieldAccess(RexFieldAccess access) {
                if (access.getReferenceExpr() instanceof RexCorrelVariable variable) {
                    if (variable.id.equals(id)) {
                        return new RexInputRef(access.getField().getIndex(), access.getType());
                    }
                    otherVariable[0] = true;
                }
                return super.visitFieldAccess(access);
            }
        });
        if (otherVariable[0]) {
            return null;
        }
        return LogicalJoin.create(
                correlate.getLeft(), right, List.of(), joinCondition, Set.of(), correlate.getJoinType());
    }

    static BrookException unsupportedOverStream() {
        return new BrookException(ErrorCode.UNSUPPORTED_OPERATION, overStreamMessage());
    }

    /** Why FOR SYSTEM_TIME AS OF a stream is refused, and what works. */
    static String overStreamMessage() {
        return "FOR SYSTEM_TIME AS OF takes a bounded TABLE (files or jdbc), whose rows stay as they are while the query"
                + " runs; a temporal join with a stream (a versioned table) is not supported yet: join the two streams"
                + " with a time range instead";
    }
}
