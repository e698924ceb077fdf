package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.plan.WindowAssign;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/** The result of {@code groupBy}: aggregate it with {@link #agg} or a shortcut such as {@link #count}. */
public final class RelationalGroupedDataset {
    private final Dataset<?> dataset;
    private final List<Column> keys;

    RelationalGroupedDataset(Dataset<?> dataset, List<Column> keys) {
        this.dataset = dataset;
        this.keys = List.copyOf(keys);
    }

    /** The keys, then one column per aggregate, e.g. {@code agg(count("*").as("n"), avg(col("price")))}. */
    public Dataset<Row> agg(Column first, Column... more) {
        List<Column> aggregates = new ArrayList<>();
        aggregates.add(first);
        aggregates.addAll(List.of(more));
        return dataset.transform(context -> {
            List<String> givenKeyNames = new ArrayList<>();
            org.apache.calcite.rex.RexInputRef sessionTime = null;
            long sessionGap = 0;
            RelBuilder builder = context.builder();
            List<RexNode> keyExpressions = new ArrayList<>();
            List<Column> rowKeys = new ArrayList<>();
            for (Column key : keys) {
                Column.WindowSpec window = key.windowSpec();
                if (window == null) {
                    rowKeys.add(key);
                    continue;
                }
                if (keyExpressions.size() > 0) {
                    throw new BrookException(ErrorCode.UNSUPPORTED_OPERATION, "groupBy takes one window(...)");
                }
                RexNode time = window.time().rex(context);
                if (!(time instanceof org.apache.calcite.rex.RexInputRef ref)
                        || time.getType().getSqlTypeName() != org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP) {
                    throw new BrookException(
                            ErrorCode.TYPE_MISMATCH,
                            "window(...) needs a TIMESTAMP column of the Dataset; got " + time + " of type "
                                    + time.getType());
                }
                if (window.session()) {
                    sessionTime = ref;
                    sessionGap = window.sizeMicros();
                    continue;
                }
                RelNode input = builder.build();
                builder.push(WindowAssign.create(input, ref.getIndex(), window.sizeMicros(), window.slideMicros()));
                int fields = builder.peek().getRowType().getFieldCount();
                keyExpressions.add(builder.field(fields - 2));
                keyExpressions.add(builder.field(fields - 1));
                givenKeyNames.add(WindowAssign.START);
                givenKeyNames.add(WindowAssign.END);
            }
            for (Column key : rowKeys) {
                if (key.isAggregate()) {
                    throw new BrookException(
                            ErrorCode.INVALID_EXPRESSION,
                            "groupBy takes row expressions, not the aggregate " + key.aggregateName());
                }
                Column.Named named = key.resolve(context);
                keyExpressions.add(builder.alias(named.expression(), named.name()));
                givenKeyNames.add(named.name());
            }
            List<RelBuilder.AggCall> calls = new ArrayList<>();
            for (Column aggregate : aggregates) {
                calls.add(aggregate.aggCall(context));
            }
            if (sessionTime != null) {
                sessionAggregate(builder, keyExpressions, givenKeyNames, sessionTime, sessionGap, calls);
                return;
            }
            builder.aggregate(builder.groupKey(keyExpressions), calls);
            keepKeyOrder(builder, givenKeyNames, keyNames(keyExpressions, builder));
        });
    }

    private static final String SESSION_TIME = "__session_time";

    /**
     * A session-window aggregation: Calcite's Aggregate, built by RelBuilder, types the calls and projects the keys;
     * Brook's SessionAggregate then replaces it, over the same input.
     */
    private static void sessionAggregate(
            RelBuilder builder,
            List<RexNode> keys,
            List<String> keyNames,
            org.apache.calcite.rex.RexInputRef time,
            long gapMicros,
            List<RelBuilder.AggCall> calls) {
        List<RexNode> groupKeys = new ArrayList<>(keys);
        groupKeys.add(builder.alias(time, SESSION_TIME));
        builder.aggregate(builder.groupKey(groupKeys), calls);
        org.apache.calcite.rel.core.Aggregate aggregate = (org.apache.calcite.rel.core.Aggregate) builder.build();
        List<String> outputNames = aggregate.getRowType().getFieldNames();
        int[] groupSet = aggregate.getGroupSet().toArray();
        List<Integer> keyIndexes = new ArrayList<>();
        for (String name : keyNames) {
            keyIndexes.add(groupSet[outputNames.indexOf(name)]);
        }
        int timeIndex = groupSet[outputNames.indexOf(SESSION_TIME)];
        builder.push(io.brook.engine.plan.SessionAggregate.create(
                aggregate.getInput(), keyIndexes, timeIndex, gapMicros, aggregate.getAggCallList()));
        List<String> names = new ArrayList<>(keyNames);
        List<String> all = builder.peek().getRowType().getFieldNames();
        names.addAll(all.subList(keyNames.size(), all.size()));
        builder.rename(names);
    }

    private static List<String> keyNames(List<RexNode> keys, RelBuilder builder) {
        List<String> names = new ArrayList<>();
        List<String> fields = builder.peek().getRowType().getFieldNames();
        for (int i = 0; i < keys.size(); i++) {
            names.add(fields.get(i));
        }
        return names;
    }

    /**
     * Calcite orders an aggregation's keys by their input position; Spark keeps them in groupBy order (a window first,
     * say). Re-orders the keys by the order they were given in.
     */
    private static void keepKeyOrder(RelBuilder builder, List<String> givenKeyNames, List<String> sortedKeyNames) {
        List<String> wanted = new ArrayList<>(givenKeyNames);
        if (wanted.equals(sortedKeyNames)
                || !new java.util.HashSet<>(wanted).equals(new java.util.HashSet<>(sortedKeyNames))) {
            return;
        }
        List<RexNode> fields = new ArrayList<>();
        for (String name : wanted) {
            fields.add(builder.field(name));
        }
        List<String> all = builder.peek().getRowType().getFieldNames();
        for (int i = wanted.size(); i < all.size(); i++) {
            fields.add(builder.field(i));
        }
        List<String> names = new ArrayList<>(wanted);
        names.addAll(all.subList(wanted.size(), all.size()));
        builder.project(fields, names);
    }

    /** The keys and the number of rows of each group, in a column named {@code count}. */
    public Dataset<Row> count() {
        return agg(functions.count("*").as("count"));
    }

    public Dataset<Row> sum(String... columns) {
        return shortcut(columns, functions::sum);
    }

    public Dataset<Row> avg(String... columns) {
        return shortcut(columns, functions::avg);
    }

    public Dataset<Row> min(String... columns) {
        return shortcut(columns, functions::min);
    }

    public Dataset<Row> max(String... columns) {
        return shortcut(columns, functions::max);
    }

    private Dataset<Row> shortcut(String[] columns, java.util.function.Function<String, Column> function) {
        if (columns.length == 0) {
            throw new BrookException(ErrorCode.INVALID_EXPRESSION, "name at least one column to aggregate");
        }
        Column[] rest = new Column[columns.length - 1];
        for (int i = 1; i < columns.length; i++) {
            rest[i - 1] = function.apply(columns[i]);
        }
        return agg(function.apply(columns[0]), rest);
    }
}
