package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.ArrayList;
import java.util.List;
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
            RelBuilder builder = context.builder();
            List<RexNode> keyExpressions = new ArrayList<>();
            for (Column key : keys) {
                if (key.isAggregate()) {
                    throw new BrookException(
                            ErrorCode.INVALID_EXPRESSION,
                            "groupBy takes row expressions, not the aggregate " + key.aggregateName());
                }
                Column.Named named = key.resolve(context);
                keyExpressions.add(builder.alias(named.expression(), named.name()));
            }
            List<RelBuilder.AggCall> calls = new ArrayList<>();
            for (Column aggregate : aggregates) {
                calls.add(aggregate.aggCall(context));
            }
            builder.aggregate(builder.groupKey(keyExpressions), calls);
        });
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
