package io.brook.engine.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Rewrites of a parsed query before Calcite validates it, so that SQL written for Flink reads as Flink reads it:
 * <ul>
 *   <li>{@code person.id}, where {@code person} is a ROW column (not a table) of one table in the FROM clause, is that
 *       column's field; Calcite would look for a table {@code person}.
 *   <li>Flink's older group windows ({@code GROUP BY TUMBLE(ts, size)}, {@code TUMBLE_START(...)}) are the window
 *       table functions ({@link GroupWindows}).
 *   <li>{@code SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), gap)}, Flink's form, is Calcite's
 *       {@code SESSION(TABLE t, DESCRIPTOR(ts), DESCRIPTOR(k), gap)}.
 * </ul>
 */
final class SqlRewrites {
    private final Map<String, RelNode> relations;

    private SqlRewrites(Map<String, RelNode> relations) {
        this.relations = relations;
    }

    static SqlNode apply(SqlNode query, Map<String, RelNode> relations) {
        SqlRewrites rewrites = new SqlRewrites(relations);
        SqlNode sessions = GroupWindows.rewrite(query).accept(new SessionPartitions());
        return rewrites.rewrite(sessions, Set.of());
    }

    /** Rewrites the SELECTs in {@code node}; {@code outer} are the aliases of enclosing queries. */
    private SqlNode rewrite(SqlNode node, Set<String> outer) {
        if (node == null) {
            return null;
        }
        if (node instanceof SqlSelect select) {
            rewriteSelect(select, outer);
            return select;
        }
        return node.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlCall call) {
                if (call instanceof SqlSelect select) {
                    rewriteSelect(select, outer);
                    return select;
                }
                return super.visit(call);
            }
        });
    }

    private void rewriteSelect(SqlSelect select, Set<String> outer) {
        Map<String, RelDataType> fromItems = new java.util.LinkedHashMap<>();
        Set<String> aliases = new HashSet<>(outer);
        collectFrom(select.getFrom(), fromItems, aliases, outer);
        Set<String> inside = new HashSet<>(aliases);
        SqlShuttle qualify = new SqlShuttle() {
            @Override
            public SqlNode visit(SqlIdentifier identifier) {
                return qualify(identifier, fromItems, aliases);
            }

            @Override
            public SqlNode visit(SqlCall call) {
                if (call instanceof SqlSelect nested) {
                    rewriteSelect(nested, inside);
                    return nested;
                }
                return super.visit(call);
            }
        };
        select.setSelectList((SqlNodeList) select.getSelectList().accept(qualify));
        if (select.getWhere() != null) {
            select.setWhere(select.getWhere().accept(qualify));
        }
        if (select.getGroup() != null) {
            select.setGroupBy((SqlNodeList) select.getGroup().accept(qualify));
        }
        if (select.getHaving() != null) {
            select.setHaving(select.getHaving().accept(qualify));
        }
        if (select.getOrderList() != null) {
            select.setOrderBy((SqlNodeList) select.getOrderList().accept(qualify));
        }
    }

    /** The FROM clause's items by alias (row types where known), rewriting subqueries in it on the way. */
    private void collectFrom(SqlNode from, Map<String, RelDataType> items, Set<String> aliases, Set<String> outer) {
        if (from == null) {
            return;
        }
        if (from instanceof SqlJoin join) {
            collectFrom(join.getLeft(), items, aliases, outer);
            collectFrom(join.getRight(), items, aliases, outer);
            if (join.getCondition() != null) {
                // A join condition sees the items joined so far.
                join.setOperand(5, join.getCondition().accept(new SqlShuttle() {
                    @Override
                    public SqlNode visit(SqlIdentifier identifier) {
                        return qualify(identifier, items, aliases);
                    }
                }));
            }
            return;
        }
        if (from instanceof SqlIdentifier table) {
            String alias = table.names.get(table.names.size() - 1);
            aliases.add(alias);
            items.put(alias, rowType(table));
            return;
        }
        if (from.getKind() == SqlKind.AS && from instanceof SqlCall as) {
            SqlNode source = as.operand(0);
            String alias = ((SqlIdentifier) as.operand(1)).getSimple();
            aliases.add(alias);
            if (source instanceof SqlIdentifier table) {
                items.put(alias, rowType(table));
            } else {
                items.put(alias, null);
                rewrite(source, outer);
            }
            return;
        }
        rewrite(from, outer);
    }

    private RelDataType rowType(SqlIdentifier table) {
        RelNode plan = table.isSimple() ? relations.get(table.getSimple()) : null;
        return plan == null ? null : plan.getRowType();
    }

    private static SqlNode qualify(SqlIdentifier identifier, Map<String, RelDataType> items, Set<String> aliases) {
        if (identifier.names.size() < 2 || identifier.isStar() || aliases.contains(identifier.names.get(0))) {
            return identifier;
        }
        String column = identifier.names.get(0);
        String owner = null;
        for (Map.Entry<String, RelDataType> item : items.entrySet()) {
            RelDataType rowType = item.getValue();
            RelDataTypeField field = rowType == null ? null : rowType.getField(column, true, false);
            if (field != null && field.getType().isStruct()) {
                if (owner != null) {
                    return identifier; // ambiguous: let the validator say so
                }
                owner = item.getKey();
            }
        }
        if (owner == null) {
            return identifier;
        }
        List<String> names = new ArrayList<>();
        names.add(owner);
        names.addAll(identifier.names);
        List<SqlParserPos> positions = new ArrayList<>();
        positions.add(identifier.getParserPosition());
        for (int i = 0; i < identifier.names.size(); i++) {
            positions.add(identifier.getComponentParserPosition(i));
        }
        return new SqlIdentifier(names, null, identifier.getParserPosition(), positions);
    }

    /**
     * An identifier that names a column, whether or not it was quoted: Calcite's parser forgets the quotes of a
     * {@code PARTITION BY} key, and an unquoted {@code user} would be SQL's USER function.
     */
    static SqlIdentifier asColumn(SqlIdentifier identifier) {
        List<SqlParserPos> positions = new ArrayList<>();
        for (int i = 0; i < identifier.names.size(); i++) {
            positions.add(identifier.getComponentParserPosition(i).withQuoting(true));
        }
        return new SqlIdentifier(identifier.names, null, identifier.getParserPosition(), positions);
    }

    /** Flink's {@code SESSION(TABLE t PARTITION BY k, ...)} as Calcite's {@code SESSION(TABLE t, ..., DESCRIPTOR(k), ...)}. */
    private static final class SessionPartitions extends SqlShuttle {
        @Override
        public SqlNode visit(SqlCall call) {
            SqlCall visited = (SqlCall) super.visit(call);
            if (visited == null
                    || WindowTableFunctions.kindOf(visited.getOperator()) != SqlKind.SESSION
                    || visited.operandCount() != 3
                    || visited.operand(0).getKind() != SqlKind.SET_SEMANTICS_TABLE) {
                return visited;
            }
            SqlCall partitioned = visited.operand(0);
            SqlNodeList keys = partitioned.operand(1);
            List<SqlNode> columns = new ArrayList<>();
            for (SqlNode key : keys) {
                columns.add(key instanceof SqlIdentifier identifier ? asColumn(identifier) : key);
            }
            SqlNode descriptor = new SqlBasicCall(SqlStdOperatorTable.DESCRIPTOR, columns, keys.getParserPosition());
            return visited.getOperator()
                    .createCall(
                            visited.getParserPosition(),
                            partitioned.operand(0),
                            visited.operand(1),
                            descriptor,
                            visited.operand(2));
        }
    }
}
