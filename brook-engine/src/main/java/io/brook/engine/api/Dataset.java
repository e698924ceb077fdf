package io.brook.engine.api;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import io.brook.engine.plan.EventTimeWatermark;
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
import org.apache.calcite.rel.core.JoinRelType;
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

    /** Names this Dataset for {@link Brook#sql} queries, replacing a view of the same name. */
    public void createOrReplaceTempView(String name) {
        session.registerView(name, plan, true);
    }

    /** Names this Dataset for {@link Brook#sql} queries; refused when the name is taken. */
    public void createTempView(String name) {
        session.registerView(name, plan, false);
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
                if (column.isStruct()) {
                    // A struct is flattened: its fields become "name.field" columns.
                    for (Column field : column.structFields()) {
                        Column.Named named = field.resolve(context);
                        expressions.add(named.expression());
                        names.add(column.structName() + "." + named.name());
                    }
                    continue;
                }
                Column.Named named = column.resolve(context);
                expressions.add(named.expression());
                names.add(named.name());
            }
            context.builder().project(expressions, names, true);
        });
    }

    /**
     * Columns by name; {@code "*"} is every column, and {@code "data.*"} the fields of a selected struct
     * {@code data} (its {@code data.x} columns) under their own names.
     */
    private boolean isStructColumn(String name) {
        org.apache.calcite.rel.type.RelDataTypeField field = plan.getRowType().getField(name, true, false);
        return field != null && field.getType().isStruct();
    }

    public Dataset<Row> select(String column, String... more) {
        List<Column> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        names.add(column);
        names.addAll(List.of(more));
        List<String> existing = plan.getRowType().getFieldNames();
        for (String name : names) {
            if (name.equals("*")) {
                existing.forEach(field -> columns.add(functions.col(field)));
            } else if (name.endsWith(".*") && isStructColumn(name.substring(0, name.length() - 2))) {
                // The fields of a STRUCT column, under their own names, as Spark's select("s.*").
                String struct = name.substring(0, name.length() - 2);
                for (String field : plan.getRowType()
                        .getField(struct, true, false)
                        .getType()
                        .getFieldNames()) {
                    columns.add(functions.col(struct).getField(field).as(field));
                }
            } else if (name.endsWith(".*")) {
                String prefix = name.substring(0, name.length() - 1);
                int before = columns.size();
                for (String field : existing) {
                    if (field.startsWith(prefix)) {
                        columns.add(functions.col(field).as(field.substring(prefix.length())));
                    }
                }
                if (columns.size() == before) {
                    throw new BrookException(
                            ErrorCode.UNRESOLVED_COLUMN,
                            "no struct '" + prefix.substring(0, prefix.length() - 1) + "' to expand in '" + name
                                    + "' (columns: " + String.join(", ", existing) + ")");
                }
            } else {
                columns.add(functions.col(name));
            }
        }
        return select(columns.toArray(new Column[0]));
    }

    /** Projects SQL expressions, e.g. {@code selectExpr("user", "clicks * 2 AS double_clicks")}. */
    public Dataset<Row> selectExpr(String... expressions) {
        return select(Arrays.stream(expressions).map(functions::expr).toArray(Column[]::new));
    }

    public Dataset<Row> filter(Column condition) {
        return transform(context -> {
            Column.Named named = condition.resolve(context);
            TypeChecks.condition("filter", named);
            context.builder().filter(named.expression());
        });
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

    /**
     * Declares a TIMESTAMP column as event time: the watermark is the latest time seen minus the delay (e.g.
     * {@code "10 seconds"}). An aggregation over event-time windows then closes a window once the watermark passes its
     * end: append mode emits it then, and rows older than the watermark are dropped as late.
     */
    public Dataset<Row> withWatermark(String eventTime, String delayThreshold) {
        long delayMicros =
                io.brook.engine.stream.Trigger.parseInterval(delayThreshold).toNanos() / 1000;
        return transform(context -> {
            RelBuilder builder = context.builder();
            RexNode time = functions.col(eventTime).rex(context);
            int index = ((org.apache.calcite.rex.RexInputRef) time).getIndex();
            RelNode input = builder.build();
            builder.push(EventTimeWatermark.create(input, index, delayMicros));
        });
    }

    /** A column of this Dataset, which keeps meaning this Dataset's column inside a join condition. */
    public Column col(String name) {
        return Column.named(
                name,
                context -> context.inJoin()
                        ? functions.joinField(context, name, plan)
                        : functions.col(name).rex(context));
    }

    /** Inner equi-join on columns of the same name on both sides; each appears once in the result, first. */
    public Dataset<Row> join(Dataset<?> right, String usingColumn) {
        return join(right, List.of(usingColumn), "inner");
    }

    public Dataset<Row> join(Dataset<?> right, List<String> usingColumns) {
        return join(right, usingColumns, "inner");
    }

    /**
     * Equi-join on columns of the same name: the key columns once (the left side's, or the right's for a right join),
     * then the other columns of the left, then of the right. {@code joinType} is inner, left (left_outer) or right.
     */
    public Dataset<Row> join(Dataset<?> right, List<String> usingColumns, String joinType) {
        JoinRelType type = joinType(joinType);
        RelBuilder builder = session.context().builder();
        builder.push(plan).push(right.plan);
        List<RexNode> equalities = new ArrayList<>();
        for (String column : usingColumns) {
            equalities.add(builder.equals(usingField(builder, 0, column), usingField(builder, 1, column)));
        }
        builder.join(type, builder.and(equalities));
        int leftCount = plan.getRowType().getFieldCount();
        List<String> leftNames = plan.getRowType().getFieldNames();
        List<String> rightNames = right.plan.getRowType().getFieldNames();
        List<RexNode> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String column : usingColumns) {
            int index = type == JoinRelType.RIGHT ? leftCount + rightNames.indexOf(column) : leftNames.indexOf(column);
            fields.add(builder.field(index));
            names.add(column);
        }
        for (int i = 0; i < leftNames.size(); i++) {
            if (!usingColumns.contains(leftNames.get(i))) {
                fields.add(builder.field(i));
                names.add(leftNames.get(i));
            }
        }
        for (int i = 0; i < rightNames.size(); i++) {
            if (!usingColumns.contains(rightNames.get(i))) {
                fields.add(builder.field(leftCount + i));
                names.add(rightNames.get(i));
            }
        }
        builder.project(fields, names, true);
        return new Dataset<>(session, builder.build());
    }

    private static RexNode usingField(RelBuilder builder, int side, String column) {
        List<String> names = builder.peek(2, side).getRowType().getFieldNames();
        if (!names.contains(column)) {
            throw new BrookException(
                    ErrorCode.UNRESOLVED_COLUMN,
                    "join column '" + column + "' not found on the " + (side == 0 ? "left" : "right") + " side"
                            + io.brook.engine.plan.Names.didYouMean(column, names) + " (columns: "
                            + String.join(", ", names) + ")");
        }
        return builder.field(2, side, column);
    }

    /** Inner join on a condition, e.g. {@code clicks.col("page").equalTo(pages.col("id"))}; all columns of both. */
    public Dataset<Row> join(Dataset<?> right, Column condition) {
        return join(right, condition, "inner");
    }

    public Dataset<Row> join(Dataset<?> right, Column condition, String joinType) {
        JoinRelType type = joinType(joinType);
        RelBuilder builder = session.context().builder();
        builder.push(plan).push(right.plan);
        ColumnContext context =
                new ColumnContext(builder, new ExpressionParser(session.context()), List.of(plan, right.plan));
        builder.join(type, condition.rex(context));
        return new Dataset<>(session, builder.build());
    }

    private static JoinRelType joinType(String joinType) {
        return switch (joinType.toLowerCase(java.util.Locale.ROOT).replace("_", "")) {
            case "inner" -> JoinRelType.INNER;
            case "left", "leftouter" -> JoinRelType.LEFT;
            case "right", "rightouter" -> JoinRelType.RIGHT;
            case "full", "fullouter", "outer" -> JoinRelType.FULL;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown join type '" + joinType + "'; use inner, left (left_outer), right (right_outer) or"
                                + " full");
        };
    }

    public Dataset<Row> distinct() {
        return transform(context -> context.builder().distinct());
    }

    /**
     * The first row of each distinct row. On a stream every row seen stays in state; prefer
     * {@link #dropDuplicates(String...)} with the event-time column and a watermark, which lets state go.
     */
    public Dataset<Row> dropDuplicates() {
        return dropDuplicates(columns());
    }

    /**
     * The first row of each distinct value of these columns, all columns kept. On a stream with a watermark, include the
     * event-time column: rows older than the watermark are dropped and their keys leave the state.
     */
    public Dataset<Row> dropDuplicates(String... keyColumns) {
        if (keyColumns.length == 0) {
            throw new BrookException(ErrorCode.INVALID_EXPRESSION, "dropDuplicates needs at least one column");
        }
        return transform(context -> {
            RelBuilder builder = context.builder();
            List<Integer> keys = new ArrayList<>();
            for (String name : keyColumns) {
                keys.add(((org.apache.calcite.rex.RexInputRef)
                                functions.col(name).rex(context))
                        .getIndex());
            }
            RelNode input = builder.build();
            builder.push(io.brook.engine.plan.Deduplicate.create(input, keys));
        });
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
