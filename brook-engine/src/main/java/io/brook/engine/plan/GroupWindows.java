package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Flink's older group windows, {@code GROUP BY k, TUMBLE(ts, size)} with {@code TUMBLE_START(ts, size)} and
 * {@code TUMBLE_END(ts, size)} (and {@code HOP}, {@code SESSION}, {@code *_ROWTIME}), rewritten into the window table
 * functions Brook plans: {@code FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size)) AS t GROUP BY k, t.window_start,
 * t.window_end}, the auxiliary functions becoming {@code window_start} and {@code window_end}. Calcite would plan
 * {@code SESSION_END} as the session's start plus the gap, which is not its end. The FROM clause must be one table,
 * view or subquery (with an alias or not), which is how these queries are written.
 */
final class GroupWindows {
    private GroupWindows() {}

    /** Rewrites every SELECT of the query that groups by an old-style window. */
    static SqlNode rewrite(SqlNode query) {
        return query.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlCall call) {
                SqlNode visited = super.visit(call);
                if (visited instanceof SqlSelect select) {
                    rewriteSelect(select);
                }
                return visited;
            }
        });
    }

    private static String base(SqlCall call) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        return name.startsWith("$") ? name.substring(1) : name;
    }

    /** A group window call: TUMBLE, HOP or SESSION over a time column (not a table function's TABLE argument). */
    private static boolean isGroupWindow(SqlNode node) {
        if (!(node instanceof SqlCall call) || call.operandCount() < 2) {
            return false;
        }
        String name = base(call);
        SqlNode first = call.operand(0);
        boolean overTable = first instanceof SqlCall table
                && (table.getKind() == SqlKind.EXPLICIT_TABLE || table.getKind() == SqlKind.SET_SEMANTICS_TABLE);
        return !overTable && (name.equals("TUMBLE") || name.equals("HOP") || name.equals("SESSION"));
    }

    private static void rewriteSelect(SqlSelect select) {
        SqlNodeList group = select.getGroup();
        if (group == null) {
            return;
        }
        SqlCall window = null;
        List<SqlNode> keys = new ArrayList<>();
        for (SqlNode item : group) {
            if (isGroupWindow(item)) {
                if (window != null) {
                    throw new BrookException(ErrorCode.UNSUPPORTED_OPERATION, "GROUP BY takes one group window");
                }
                window = (SqlCall) item;
            } else {
                keys.add(item);
            }
        }
        if (window == null) {
            return;
        }
        SqlParserPos pos = window.getParserPosition();
        SqlNode from = select.getFrom();
        SqlNode table;
        String alias;
        if (from instanceof SqlIdentifier identifier) {
            table = SqlStdOperatorTable.EXPLICIT_TABLE.createCall(pos, identifier);
            alias = identifier.names.get(identifier.names.size() - 1);
        } else if (from != null
                && from.getKind() == SqlKind.AS
                && from instanceof SqlCall as
                && as.operandCount() == 2
                && (as.operand(0) instanceof SqlIdentifier || as.operand(0).isA(SqlKind.QUERY))) {
            // A table or view, or a subquery such as Nexmark q12's (SELECT *, PROCTIME() AS p_time FROM bid) B.
            table = as.operand(0) instanceof SqlIdentifier identifier
                    ? SqlStdOperatorTable.EXPLICIT_TABLE.createCall(pos, identifier)
                    : as.operand(0);
            alias = ((SqlIdentifier) as.operand(1)).getSimple();
        } else {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "a group window (" + base(window) + "(...) in GROUP BY) needs one table, view or subquery in"
                            + " FROM; over joins, use the window table functions: FROM TABLE(" + base(window)
                            + "(TABLE ..., DESCRIPTOR(time), ...))");
        }
        if (!(window.operand(0) instanceof SqlIdentifier time)) {
            throw new BrookException(
                    ErrorCode.INVALID_EXPRESSION, base(window) + "(...) in GROUP BY takes a time column first");
        }
        String kind = base(window);
        List<SqlNode> operands = new ArrayList<>();
        operands.add(table);
        operands.add(SqlStdOperatorTable.DESCRIPTOR.createCall(pos, simple(time)));
        if (kind.equals("SESSION")) {
            List<SqlNode> partition = new ArrayList<>();
            for (SqlNode key : keys) {
                if (key instanceof SqlIdentifier column) {
                    partition.add(simple(column));
                }
            }
            if (!partition.isEmpty()) {
                operands.add(SqlStdOperatorTable.DESCRIPTOR.createCall(pos, partition));
            }
        }
        for (int i = 1; i < window.operandCount(); i++) {
            operands.add(window.operand(i));
        }
        SqlCall function = (kind.equals("TUMBLE")
                        ? SqlStdOperatorTable.TUMBLE
                        : kind.equals("HOP") ? SqlStdOperatorTable.HOP : SqlStdOperatorTable.SESSION)
                .createCall(pos, operands);
        SqlCall tableFunction = SqlStdOperatorTable.COLLECTION_TABLE.createCall(pos, function);
        select.setFrom(SqlStdOperatorTable.AS.createCall(pos, tableFunction, new SqlIdentifier(alias, pos)));
        List<SqlNode> newGroup = new ArrayList<>(keys);
        newGroup.add(new SqlIdentifier(List.of(alias, WindowAssign.START), pos));
        newGroup.add(new SqlIdentifier(List.of(alias, WindowAssign.END), pos));
        select.setGroupBy(new SqlNodeList(newGroup, group.getParserPosition()));
        SqlShuttle auxiliaries = new Auxiliaries(kind, alias);
        select.setSelectList((SqlNodeList) select.getSelectList().accept(auxiliaries));
        if (select.getHaving() != null) {
            select.setHaving(select.getHaving().accept(auxiliaries));
        }
        if (select.getOrderList() != null) {
            select.setOrderBy((SqlNodeList) select.getOrderList().accept(auxiliaries));
        }
    }

    /** A column's last name, as a column even if it was not quoted (see SqlRewrites.asColumn). */
    private static SqlIdentifier simple(SqlIdentifier column) {
        int last = column.names.size() - 1;
        return SqlRewrites.asColumn(new SqlIdentifier(
                List.of(column.names.get(last)),
                null,
                column.getParserPosition(),
                List.of(column.getComponentParserPosition(last))));
    }

    /** {@code TUMBLE_START(...)} and the like as the window table function's columns. */
    private static final class Auxiliaries extends SqlShuttle {
        private final String kind;
        private final String alias;

        Auxiliaries(String kind, String alias) {
            this.kind = kind;
            this.alias = alias;
        }

        @Override
        public SqlNode visit(SqlCall call) {
            String name = base(call);
            SqlParserPos pos = call.getParserPosition();
            if (name.equals(kind + "_START")) {
                return new SqlIdentifier(List.of(alias, WindowAssign.START), pos);
            }
            if (name.equals(kind + "_END")) {
                return new SqlIdentifier(List.of(alias, WindowAssign.END), pos);
            }
            if (name.equals(kind + "_ROWTIME")) {
                // Flink's rowtime of a window: its last millisecond, so a later operator can use it as event time.
                SqlNode millisecond = SqlLiteral.createInterval(
                        1, "0.001", new SqlIntervalQualifier(TimeUnit.SECOND, null, pos), pos);
                return SqlStdOperatorTable.MINUS.createCall(
                        pos, new SqlIdentifier(List.of(alias, WindowAssign.END), pos), millisecond);
            }
            if (name.startsWith(kind + "_")) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        name + " is not supported; use " + kind + "_START, " + kind + "_END or " + kind + "_ROWTIME");
            }
            return super.visit(call);
        }
    }
}
