package io.brook.engine.api;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import io.brook.engine.plan.ExpressionParser;
import io.brook.engine.plan.RelTypes;
import io.brook.engine.plan.SourceTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;

/**
 * A Dataset, as in Spark: an immutable description of a table, bounded (from {@code read()}) or unbounded (from
 * {@code readStream()}), built up by transformations and run by an action ({@link #collectAsList}, {@link #show},
 * {@link #count}) or by {@link #writeStream}. The same transformations work on both, and each builds Calcite's
 * logical plan through RelBuilder. The element type is always {@link Row}; the parameter is there so Spark code that
 * says {@code Dataset<Row>} ports by changing its imports.
 */
public final class Dataset<T> {
    private final Brook session;
    private final RelNode plan;

    Dataset(Brook session, RelNode plan) {
        this.session = requireNonNull(session, "session is null");
        this.plan = requireNonNull(plan, "plan is null");
    }

    /** The logical plan (Calcite's RelNode). */
    public RelNode logicalPlan() {
        return plan;
    }

    Brook session() {
        return session;
    }

    public Schema schema() {
        return RelTypes.toSchema(plan.getRowType());
    }

    public String[] columns() {
        return plan.getRowType().getFieldNames().toArray(new String[0]);
    }

    /** Whether this Dataset reads an unbounded source, so it runs only through {@link #writeStream}. */
    public boolean isStreaming() {
        return isStreaming(plan);
    }

    static boolean isStreaming(RelNode rel) {
        if (rel instanceof TableScan scan) {
            SourceTable table = scan.getTable().unwrap(SourceTable.class);
            return table != null && table.streaming();
        }
        for (RelNode input : rel.getInputs()) {
            if (isStreaming(input)) {
                return true;
            }
        }
        return false;
    }

    // Transformations

    public Dataset<Row> select(Column... columns) {
        boolean aggregates = Arrays.stream(columns).anyMatch(Column::isAggregate);
        if (aggregates) {
            return groupBy().agg(columns[0], Arrays.copyOfRange(columns, 1, columns.length));
        }
        return transform(context -> {
            List<RexNode> expressions = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Column column : columns) {
                Column.Named named = column.resolve(context);
                expressions.add(named.expression());
                names.add(named.name());
            }
            context.builder().project(expressions, names, true);
        });
    }

    public Dataset<Row> select(String column, String... more) {
        List<Column> columns = new ArrayList<>();
        columns.add(functions.col(column));
        for (String name : more) {
            columns.add(functions.col(name));
        }
        return select(columns.toArray(new Column[0]));
    }

    /** Projects SQL expressions, e.g. {@code selectExpr("user", "clicks * 2 AS double_clicks")}. */
    public Dataset<Row> selectExpr(String... expressions) {
        return select(Arrays.stream(expressions).map(functions::expr).toArray(Column[]::new));
    }

    public Dataset<Row> filter(Column condition) {
        return transform(context -> context.builder().filter(condition.rex(context)));
    }

    /** Filters by a SQL condition, e.g. {@code filter("clicks > 2 AND user <> 'bob'")}. */
    public Dataset<Row> filter(String condition) {
        return filter(functions.expr(condition));
    }

    public Dataset<Row> where(Column condition) {
        return filter(condition);
    }

    public Dataset<Row> where(String condition) {
        return filter(condition);
    }

    /** Adds a column, or replaces the column of that name. */
    public Dataset<Row> withColumn(String name, Column value) {
        return transform(context -> {
            RelBuilder builder = context.builder();
            RexNode computed = value.rex(context);
            List<String> names = builder.peek().getRowType().getFieldNames();
            List<RexNode> expressions = new ArrayList<>(builder.fields());
            List<String> outNames = new ArrayList<>(names);
            int existing = names.indexOf(name);
            if (existing >= 0) {
                expressions.set(existing, computed);
            } else {
                expressions.add(computed);
                outNames.add(name);
            }
            builder.project(expressions, outNames, true);
        });
    }

    public Dataset<Row> withColumnRenamed(String existing, String renamed) {
        return transform(context -> {
            RelBuilder builder = context.builder();
            List<String> names = new ArrayList<>(builder.peek().getRowType().getFieldNames());
            int index = names.indexOf(existing);
            if (index >= 0) {
                names.set(index, renamed);
                builder.project(builder.fields(), names, true);
            }
        });
    }

    /** Drops columns by name; names that are not there are ignored, as in Spark. */
    public Dataset<Row> drop(String... names) {
        return transform(context -> {
            RelBuilder builder = context.builder();
            List<String> dropped = List.of(names);
            List<RexNode> kept = new ArrayList<>();
            List<String> keptNames = new ArrayList<>();
            List<String> all = builder.peek().getRowType().getFieldNames();
            for (int i = 0; i < all.size(); i++) {
                if (!dropped.contains(all.get(i))) {
                    kept.add(builder.field(i));
                    keptNames.add(all.get(i));
                }
            }
            builder.project(kept, keptNames, true);
        });
    }

    public RelationalGroupedDataset groupBy(Column... columns) {
        return new RelationalGroupedDataset(this, List.of(columns));
    }

    public RelationalGroupedDataset groupBy(String column, String... more) {
        List<Column> columns = new ArrayList<>();
        columns.add(functions.col(column));
        for (String name : more) {
            columns.add(functions.col(name));
        }
        return new RelationalGroupedDataset(this, columns);
    }

    /** Aggregates the whole Dataset: {@code agg(count("*"), max(col("x")))}. */
    public Dataset<Row> agg(Column first, Column... more) {
        return groupBy().agg(first, more);
    }

    public Dataset<Row> distinct() {
        return transform(context -> context.builder().distinct());
    }

    /** The distinct rows; for a stream this keeps every row seen in state, so prefer a watermark when there is one. */
    public Dataset<Row> dropDuplicates() {
        return distinct();
    }

    /** The rows of both, by column position (UNION ALL, as Spark's {@code union}). */
    public Dataset<Row> union(Dataset<?> other) {
        if (other.session != session) {
            throw new BrookException(ErrorCode.UNSUPPORTED_OPERATION, "union of Datasets from different sessions");
        }
        if (other.plan.getRowType().getFieldCount() != plan.getRowType().getFieldCount()) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "union needs the same number of columns: "
                            + plan.getRowType().getFieldNames() + " and "
                            + other.plan.getRowType().getFieldNames());
        }
        RelBuilder builder = session.context().builder();
        RelNode union = builder.push(plan).push(other.plan).union(true).build();
        return new Dataset<>(session, union);
    }

    public Dataset<Row> unionAll(Dataset<?> other) {
        return union(other);
    }

    /** Sorts, ascending unless a column says {@code desc()}. */
    public Dataset<Row> orderBy(Column... columns) {
        return transform(context -> {
            List<RexNode> keys = new ArrayList<>();
            for (Column column : columns) {
                RexNode key = column.rex(context);
                boolean ordered = key.isA(org.apache.calcite.sql.SqlKind.DESCENDING)
                        || key.isA(org.apache.calcite.sql.SqlKind.NULLS_FIRST)
                        || key.isA(org.apache.calcite.sql.SqlKind.NULLS_LAST);
                keys.add(ordered ? key : context.builder().nullsFirst(key));
            }
            context.builder().sort(keys);
        });
    }

    public Dataset<Row> orderBy(String column, String... more) {
        List<Column> columns = new ArrayList<>();
        columns.add(functions.col(column));
        for (String name : more) {
            columns.add(functions.col(name));
        }
        return orderBy(columns.toArray(new Column[0]));
    }

    public Dataset<Row> sort(Column... columns) {
        return orderBy(columns);
    }

    public Dataset<Row> limit(int count) {
        if (count < 0) {
            throw new BrookException(ErrorCode.INVALID_EXPRESSION, "limit must be >= 0, was " + count);
        }
        return transform(context -> context.builder().limit(0, count));
    }

    Dataset<Row> transform(Consumer<ColumnContext> step) {
        RelBuilder builder = session.context().builder();
        builder.push(plan);
        step.accept(new ColumnContext(builder, new ExpressionParser(session.context())));
        return new Dataset<>(session, builder.build());
    }

    // Actions on bounded Datasets

    public List<Row> collectAsList() {
        List<Row> rows = new ArrayList<>();
        for (Batch batch : session.runBounded(plan, "collectAsList()")) {
            rows.addAll(Row.fromBatch(batch));
        }
        return rows;
    }

    public Row[] collect() {
        return collectAsList().toArray(new Row[0]);
    }

    public long count() {
        List<Row> rows = groupBy().agg(functions.count("*")).collectAsList();
        return rows.get(0).getLong(0);
    }

    public Row first() {
        List<Row> rows = limit(1).collectAsList();
        if (rows.isEmpty()) {
            throw new BrookException(ErrorCode.QUERY_FAILED, "first() on an empty Dataset");
        }
        return rows.get(0);
    }

    public List<Row> takeAsList(int count) {
        return limit(count).collectAsList();
    }

    /** Prints the first 20 rows as a table, as Spark's {@code show()} does. */
    public void show() {
        show(20);
    }

    public void show(int count) {
        PrintStream out = Brook.stdout();
        out.print(showString(count));
    }

    /** What {@link #show(int)} prints. */
    public String showString(int count) {
        return Tables.format(columns(), limit(count).collectAsList());
    }

    public void printSchema() {
        Brook.stdout().print(Tables.schema(schema()));
    }

    /** The logical plan as Calcite prints it. */
    public String explain() {
        return RelOptUtil.toString(plan);
    }

    /** Writes this bounded Dataset to files, as Spark's {@code df.write().format("json").save(path)}. */
    public DataFrameWriter write() {
        if (isStreaming()) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_IN_STREAMING,
                    "write() is not supported on a streaming Dataset; use writeStream()...start()");
        }
        return new DataFrameWriter(this);
    }

    // Streaming

    public DataStreamWriter writeStream() {
        if (!isStreaming()) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "writeStream() needs a streaming Dataset (from readStream()); for a bounded one use collectAsList()"
                            + " or write()");
        }
        return new DataStreamWriter(this);
    }
}
