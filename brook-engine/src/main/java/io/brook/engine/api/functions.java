package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Schema;
import io.brook.engine.exec.BrookAggregates;
import io.brook.engine.exec.BrookOperators;
import io.brook.engine.plan.ExpressionParser;
import io.brook.engine.plan.Names;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * The column functions of the Dataset API, named as in Spark's {@code org.apache.spark.sql.functions}, so that
 * {@code import static io.brook.engine.api.functions.*} ports Spark code: {@code col}, {@code lit}, {@code expr},
 * {@code when}, string, date and array functions, and aggregates.
 */
@SuppressWarnings("checkstyle:TypeName") // Spark's name, so that ported code changes only its imports
public final class functions {
    private functions() {}

    /** The column of this name in the Dataset the expression is used with. */
    public static Column col(String name) {
        if (name.equals("*")) {
            throw new BrookException(ErrorCode.INVALID_EXPRESSION, "col(\"*\") is only valid in count(\"*\")");
        }
        return Column.named(name, context -> field(context, name));
    }

    public static Column column(String name) {
        return col(name);
    }

    static RexNode field(ColumnContext context, String name) {
        if (context.inJoin()) {
            return joinField(context, name, null);
        }
        RelBuilder builder = context.builder();
        List<String> names = builder.peek().getRowType().getFieldNames();
        int index = names.indexOf(name);
        if (index < 0 && (name.equals("window.start") || name.equals("window.end"))) {
            // Spark's window is a struct; Brook's window bounds are two columns.
            index = names.indexOf(name.replace('.', '_'));
        }
        int dot = name.indexOf('.');
        if (index < 0 && dot > 0 && names.contains(name.substring(0, dot))) {
            // A field of a STRUCT column, as Spark's col("point.x").
            RexNode struct = builder.field(names.indexOf(name.substring(0, dot)));
            String fieldName = name.substring(dot + 1);
            if (struct.getType().isStruct() && struct.getType().getField(fieldName, true, false) != null) {
                return builder.getRexBuilder().makeFieldAccess(struct, fieldName, true);
            }
        }
        if (index < 0) {
            throw new BrookException(
                    ErrorCode.UNRESOLVED_COLUMN,
                    "column '" + name + "' not found" + Names.didYouMean(name, names) + " (columns: "
                            + String.join(", ", names) + ")");
        }
        return builder.field(index);
    }

    /**
     * A column of one side of a join condition: of {@code side} when the column came from {@code dataset.col(name)},
     * else of whichever side has that name (an error when both do).
     */
    static RexNode joinField(ColumnContext context, String name, RelNode side) {
        List<RelNode> inputs = context.joinInputs();
        int found = -1;
        for (int i = 0; i < inputs.size(); i++) {
            boolean candidate =
                    side == null ? inputs.get(i).getRowType().getFieldNames().contains(name) : inputs.get(i) == side;
            if (!candidate) {
                continue;
            }
            if (found >= 0) {
                throw new BrookException(
                        ErrorCode.UNRESOLVED_COLUMN,
                        "column '" + name + "' is on both sides of the join; name it as left.col(\"" + name
                                + "\") or right.col(\"" + name + "\")");
            }
            found = i;
        }
        if (found < 0) {
            List<String> names = new ArrayList<>();
            inputs.forEach(input -> names.addAll(input.getRowType().getFieldNames()));
            throw new BrookException(
                    ErrorCode.UNRESOLVED_COLUMN,
                    "column '" + name + "' not found on either side of the join" + Names.didYouMean(name, names)
                            + " (columns: " + String.join(", ", names) + ")");
        }
        List<String> names = inputs.get(found).getRowType().getFieldNames();
        if (!names.contains(name)) {
            throw new BrookException(
                    ErrorCode.UNRESOLVED_COLUMN,
                    "column '" + name + "' not found" + Names.didYouMean(name, names) + " (columns: "
                            + String.join(", ", names) + ")");
        }
        return context.builder().field(inputs.size(), found, name);
    }

    /** A constant: a number, string, boolean, or null. */
    public static Column lit(Object value) {
        if (value instanceof Column column) {
            return column;
        }
        String name = String.valueOf(value);
        return Column.named(name, context -> literal(context.builder(), value));
    }

    private static RexNode literal(RelBuilder builder, Object value) {
        if (value instanceof Float f) {
            return builder.getRexBuilder().makeApproxLiteral(new BigDecimal(f.toString()));
        }
        if (value instanceof Double d) {
            return builder.getRexBuilder().makeApproxLiteral(BigDecimal.valueOf(d));
        }
        return builder.literal(value);
    }

    static Column toColumn(Object value) {
        return value instanceof Column column ? column : lit(value);
    }

    /** A SQL expression over the Dataset's columns, e.g. {@code expr("upper(name) AS shout")}. */
    public static Column expr(String sql) {
        return Column.of(context -> {
            ExpressionParser.Parsed parsed = context.parser().parse(context.rowType(), sql);
            return new Column.Named(parsed.expression(), parsed.name());
        });
    }

    /** The first branch of a CASE expression; chain {@link Column#when} and {@link Column#otherwise}. */
    public static Column when(Column condition, Object value) {
        List<Column[]> branches = new ArrayList<>();
        branches.add(new Column[] {condition, toColumn(value)});
        return Column.caseOf(branches, null);
    }

    public static Column not(Column value) {
        return call("NOT", SqlStdOperatorTable.NOT, value);
    }

    public static Column coalesce(Column... values) {
        return call("coalesce", SqlStdOperatorTable.COALESCE, values);
    }

    public static Column abs(Column value) {
        return call("abs", SqlStdOperatorTable.ABS, value);
    }

    // Strings

    public static Column lower(Column value) {
        return call("lower", SqlStdOperatorTable.LOWER, value);
    }

    public static Column upper(Column value) {
        return call("upper", SqlStdOperatorTable.UPPER, value);
    }

    public static Column length(Column value) {
        return call("length", SqlStdOperatorTable.CHAR_LENGTH, value);
    }

    public static Column trim(Column value) {
        return Column.of(context -> {
            Column.Named named = value.resolve(context);
            TypeChecks.text("trim", named);
            RelBuilder builder = context.builder();
            RexNode trimmed = builder.call(
                    SqlStdOperatorTable.TRIM,
                    builder.getRexBuilder().makeFlag(org.apache.calcite.sql.fun.SqlTrimFunction.Flag.BOTH),
                    builder.literal(" "),
                    named.expression());
            return new Column.Named(trimmed, "trim(" + named.name() + ")");
        });
    }

    /** Characters from a 1-based position, as SQL and Spark count. */
    public static Column substring(Column value, int position, int length) {
        return Column.of(context -> {
            Column.Named named = value.resolve(context);
            TypeChecks.text("substring", named);
            RelBuilder builder = context.builder();
            return new Column.Named(
                    builder.call(
                            SqlStdOperatorTable.SUBSTRING,
                            named.expression(),
                            builder.literal(position),
                            builder.literal(length)),
                    "substring(" + named.name() + ", " + position + ", " + length + ")");
        });
    }

    /** The strings joined; null if any is null, as in Spark. */
    public static Column concat(Column... values) {
        return call("concat", SqlLibraryOperators.CONCAT_FUNCTION, values);
    }

    /** The {@code group}-th group of the first match of a Java regular expression; '' when nothing matches. */
    public static Column regexp_extract(Column value, String regex, int group) {
        return Column.of(context -> {
            Column.Named named = value.resolve(context);
            TypeChecks.text("regexp_extract", named);
            RelBuilder builder = context.builder();
            return new Column.Named(
                    builder.call(
                            BrookOperators.REGEXP_EXTRACT,
                            named.expression(),
                            builder.literal(regex),
                            builder.literal(group)),
                    "regexp_extract(" + named.name() + ", " + regex + ", " + group + ")");
        });
    }

    /** A timestamp cut down to a unit ('year', 'month', 'week', 'day', 'hour', 'minute', 'second'), as Spark's. */
    public static Column date_trunc(String unit, Column timestamp) {
        return Column.of(context -> {
            Column.Named named = timestamp.resolve(context);
            RelBuilder builder = context.builder();
            return new Column.Named(
                    builder.call(BrookOperators.DATE_TRUNC, builder.literal(unit), named.expression()),
                    "date_trunc(" + unit + ", " + named.name() + ")");
        });
    }

    /** Text parsed as a TIMESTAMP (ISO forms, UTC); null where it does not parse. */
    public static Column to_timestamp(Column text) {
        return call("to_timestamp", BrookOperators.TO_TIMESTAMP, text);
    }

    /** Text parsed with a java.time pattern, e.g. {@code "dd/MM/yyyy HH:mm"}. */
    public static Column to_timestamp(Column text, String pattern) {
        return Column.of(context -> {
            Column.Named named = text.resolve(context);
            RelBuilder builder = context.builder();
            return new Column.Named(
                    builder.call(BrookOperators.TO_TIMESTAMP, named.expression(), builder.literal(pattern)),
                    "to_timestamp(" + named.name() + ", " + pattern + ")");
        });
    }

    public static Column year(Column value) {
        return extract("year", TimeUnitRange.YEAR, value);
    }

    public static Column month(Column value) {
        return extract("month", TimeUnitRange.MONTH, value);
    }

    public static Column dayofmonth(Column value) {
        return extract("dayofmonth", TimeUnitRange.DAY, value);
    }

    public static Column hour(Column value) {
        return extract("hour", TimeUnitRange.HOUR, value);
    }

    public static Column minute(Column value) {
        return extract("minute", TimeUnitRange.MINUTE, value);
    }

    public static Column second(Column value) {
        return extract("second", TimeUnitRange.SECOND, value);
    }

    private static Column extract(String function, TimeUnitRange unit, Column value) {
        return Column.of(context -> {
            Column.Named named = value.resolve(context);
            RelBuilder builder = context.builder();
            RexNode extracted = builder.call(
                    SqlStdOperatorTable.EXTRACT, builder.getRexBuilder().makeFlag(unit), named.expression());
            return new Column.Named(
                    builder.getRexBuilder()
                            .makeCast(
                                    builder.getTypeFactory()
                                            .createTypeWithNullability(
                                                    builder.getTypeFactory()
                                                            .createSqlType(
                                                                    org.apache.calcite.sql.type.SqlTypeName.INTEGER),
                                                    extracted.getType().isNullable()),
                                    extracted),
                    function + "(" + named.name() + ")");
        });
    }

    /** A tumbling event-time window of a size such as {@code "10 seconds"}, as a groupBy key. */
    public static Column window(Column time, String size) {
        return window(time, size, size);
    }

    /**
     * A sliding event-time window ({@code "10 minutes"} every {@code "5 minutes"}), as a groupBy key: each row counts in
     * every window that contains it. Groups get the columns {@code window_start} and {@code window_end}.
     */
    public static Column window(Column time, String size, String slide) {
        long sizeMicros = io.brook.engine.stream.Trigger.parseInterval(size).toNanos() / 1000;
        long slideMicros = io.brook.engine.stream.Trigger.parseInterval(slide).toNanos() / 1000;
        if (sizeMicros <= 0 || slideMicros <= 0 || slideMicros > sizeMicros) {
            throw new BrookException(
                    ErrorCode.INVALID_EXPRESSION,
                    "a window needs a size and a slide > 0 with slide <= size; got size '" + size + "', slide '" + slide
                            + "'");
        }
        return Column.window(new Column.WindowSpec(time, sizeMicros, slideMicros, false));
    }

    /**
     * A session window with a gap such as {@code "5 minutes"}, as a groupBy key: per key, events less than the gap apart
     * form one session, from the first event to the last plus the gap. Groups get {@code session_start} and
     * {@code session_end}.
     */
    public static Column session_window(Column time, String gap) {
        long gapMicros = io.brook.engine.stream.Trigger.parseInterval(gap).toNanos() / 1000;
        if (gapMicros <= 0) {
            throw new BrookException(ErrorCode.INVALID_EXPRESSION, "a session gap must be > 0; got '" + gap + "'");
        }
        return Column.window(new Column.WindowSpec(time, gapMicros, gapMicros, true));
    }

    /** The value at a JSONPath ({@code "$.user.name"}) of JSON text, as text; null when missing or not JSON. */
    public static Column get_json_object(Column json, String path) {
        return Column.of(context -> {
            Column.Named named = json.resolve(context);
            TypeChecks.text("get_json_object", named);
            RelBuilder builder = context.builder();
            return new Column.Named(
                    builder.call(BrookOperators.GET_JSON_OBJECT, named.expression(), builder.literal(path)),
                    "get_json_object(" + named.name() + ", " + path + ")");
        });
    }

    /** A struct of columns (for {@link #to_json}, or selected as {@code name.field} columns). */
    public static Column struct(Column... fields) {
        return Column.struct(List.of(fields), "struct");
    }

    /** A struct as JSON text, as Spark's {@code to_json(struct(...))}; null fields are left out. */
    public static Column to_json(Column struct) {
        if (!struct.isStruct()) {
            // A STRUCT column: an object of its fields, as the TO_JSON of a struct(...) of them.
            return Column.of(context -> {
                Column.Named named = struct.resolve(context);
                RelDataType type = named.expression().getType();
                if (!type.isStruct()) {
                    throw new BrookException(
                            ErrorCode.INVALID_EXPRESSION,
                            "to_json takes a struct: to_json(struct(col(\"a\"), col(\"b\"))) or a struct column; '"
                                    + named.name() + "' is " + type.getFullTypeString());
                }
                RelBuilder builder = context.builder();
                List<RexNode> operands = new ArrayList<>();
                for (String field : type.getFieldNames()) {
                    operands.add(builder.literal(field));
                    operands.add(builder.getRexBuilder().makeFieldAccess(named.expression(), field, true));
                }
                RexNode json = builder.call(BrookOperators.TO_JSON, operands);
                if (type.isNullable()) {
                    // A null struct is null JSON, as in Spark, not the empty object of its null fields.
                    RexBuilder rex = builder.getRexBuilder();
                    json = rex.makeCall(
                            SqlStdOperatorTable.CASE,
                            rex.makeCall(SqlStdOperatorTable.IS_NULL, named.expression()),
                            rex.makeNullLiteral(
                                    builder.getTypeFactory().createTypeWithNullability(json.getType(), true)),
                            json);
                }
                return new Column.Named(json, "to_json(" + named.name() + ")");
            });
        }
        return Column.of(context -> {
            RelBuilder builder = context.builder();
            List<RexNode> operands = new ArrayList<>();
            for (Column field : struct.structFields()) {
                Column.Named named = field.resolve(context);
                operands.add(builder.literal(named.name()));
                operands.add(named.expression());
            }
            return new Column.Named(
                    builder.call(BrookOperators.TO_JSON, operands), "to_json(" + struct.structName() + ")");
        });
    }

    /**
     * JSON text parsed with a schema into a struct, as Spark's {@code from_json}: select it as {@code data} and read
     * {@code data.field} or {@code data.*}. A field that is missing or does not convert is null.
     */
    public static Column from_json(Column json, Schema schema) {
        List<Column> fields = new ArrayList<>();
        for (io.brook.engine.batch.Field field : schema.fields()) {
            if (field.type() == io.brook.engine.batch.ColumnType.ARRAY) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "from_json cannot read array field '" + field.name() + "' (" + field.sparkTypeName()
                                + ") yet; read it as a string and split(...) it, or read its elements with"
                                + " get_json_object(json, \"$." + field.name() + "[0]\")");
            }
            String path = "$['" + field.name().replace("'", "\\'") + "']";
            if (field.type() == io.brook.engine.batch.ColumnType.STRUCT) {
                fields.add(jsonStruct(json, path, field).as(field.name()));
                continue;
            }
            fields.add(get_json_object(json, path).cast(field.sparkTypeName()).as(field.name()));
        }
        return Column.struct(fields, "from_json");
    }

    /**
     * A nested object read into a struct column (null where the object is null or missing), each of its fields as
     * from_json reads a top-level one: every path is read from the same JSON text, so a row is parsed once.
     */
    private static Column jsonStruct(Column json, String path, io.brook.engine.batch.Field field) {
        List<Column> values = new ArrayList<>();
        values.add(get_json_object(json, path));
        for (io.brook.engine.batch.Field child : field.children()) {
            values.add(get_json_object(json, path + "['" + child.name().replace("'", "\\'") + "']")
                    .cast(child.sparkTypeName()));
        }
        return Column.of(context -> {
            RelBuilder builder = context.builder();
            List<RexNode> operands = new ArrayList<>();
            operands.add(values.get(0).resolve(context).expression());
            for (int i = 0; i < field.children().size(); i++) {
                operands.add(builder.literal(field.children().get(i).name()));
                operands.add(values.get(i + 1).resolve(context).expression());
            }
            return new Column.Named(builder.call(BrookOperators.JSON_STRUCT, operands), field.name());
        });
    }

    /** {@link #from_json(Column, Schema)} with the schema in DDL, e.g. {@code "page STRING, ms BIGINT"}. */
    public static Column from_json(Column json, String ddl) {
        return from_json(json, schemaOf(ddl));
    }

    /** A schema from DDL: {@code "name TYPE, ..."} with Spark's type names, arrays as {@code array<string>}. */
    public static Schema schemaOf(String ddl) {
        List<io.brook.engine.batch.Field> fields = new ArrayList<>();
        for (String part : ddl.split(",")) {
            String[] words = part.strip().split("\\s+");
            if (words.length != 2) {
                throw new BrookException(
                        ErrorCode.INVALID_EXPRESSION,
                        "cannot read '" + part.strip() + "' in schema '" + ddl
                                + "'; write name TYPE, e.g. 'page STRING'");
            }
            String name = words[0].replace("`", "");
            String type = words[1].strip().toLowerCase(Locale.ROOT);
            if (type.startsWith("array<") && type.endsWith(">")) {
                String element = type.substring("array<".length(), type.length() - 1);
                if (element.startsWith("array<")) {
                    throw new BrookException(
                            ErrorCode.INVALID_EXPRESSION,
                            "column '" + name + "' in schema '" + ddl + "' is an array of arrays, which Brook cannot"
                                    + " hold yet; arrays hold scalar elements");
                }
                fields.add(io.brook.engine.batch.Field.array(name, columnType(element), true));
            } else {
                fields.add(new io.brook.engine.batch.Field(name, columnType(words[1]), true));
            }
        }
        return new Schema(fields);
    }

    private static io.brook.engine.batch.ColumnType columnType(String type) {
        return switch (Column.typeName(type)) {
            case INTEGER -> io.brook.engine.batch.ColumnType.INT;
            case BIGINT -> io.brook.engine.batch.ColumnType.BIGINT;
            case DOUBLE -> io.brook.engine.batch.ColumnType.DOUBLE;
            case VARBINARY -> io.brook.engine.batch.ColumnType.VARBINARY;
            case BOOLEAN -> io.brook.engine.batch.ColumnType.BOOLEAN;
            case DATE -> io.brook.engine.batch.ColumnType.DATE;
            case TIMESTAMP -> io.brook.engine.batch.ColumnType.TIMESTAMP;
            default -> io.brook.engine.batch.ColumnType.VARCHAR;
        };
    }

    // Arrays

    /**
     * The parts of a string around the matches of a Java regular expression, as an array: Spark's {@code split}, which
     * keeps trailing empty strings ({@code "oneAtwoBthreeC"} split by {@code "[ABC]"} is {@code [one, two, three, ]});
     * null for a null string.
     */
    public static Column split(Column str, String regex) {
        return split(str, regex, -1);
    }

    /**
     * As {@link #split(Column, String)}, with a limit: when > 0, at most {@code limit} parts, the last holding the rest
     * of the string; when <= 0, every part.
     */
    public static Column split(Column str, String regex, int limit) {
        return Column.of(context -> {
            Column.Named named = str.resolve(context);
            TypeChecks.text("split", named);
            RelBuilder builder = context.builder();
            return new Column.Named(
                    builder.call(
                            BrookOperators.SPLIT, named.expression(), builder.literal(regex), builder.literal(limit)),
                    "split(" + named.name() + ", " + regex + ", " + limit + ")");
        });
    }

    /**
     * The number of elements of an array; null for a null array, as Spark 4 gives it with ANSI mode on (the default;
     * Spark 3 and non-ANSI Spark 4 give -1).
     */
    public static Column size(Column array) {
        return Column.of(context -> {
            Column.Named named = array.resolve(context);
            TypeChecks.array("size", named);
            return new Column.Named(
                    context.builder().call(BrookOperators.SIZE, named.expression()), "size(" + named.name() + ")");
        });
    }

    /**
     * The element at a 1-based index of an array, counting from the end when the index is negative (-1 is the last);
     * null when the index is past either end (as Spark without ANSI mode; Brook gives null for division by zero too).
     *
     * @throws BrookException for index 0, which names no element
     */
    public static Column element_at(Column array, int index) {
        if (index == 0) {
            // Here rather than when the plan is built, so that the error points at the line that wrote it.
            throw BrookOperators.elementAtIndexZero();
        }
        return Column.of(context -> {
            Column.Named named = array.resolve(context);
            TypeChecks.array("element_at", named);
            RelBuilder builder = context.builder();
            return new Column.Named(
                    builder.call(BrookOperators.ELEMENT_AT, named.expression(), builder.literal(index)),
                    "element_at(" + named.name() + ", " + index + ")");
        });
    }

    /**
     * Whether an array holds a value: true or false, or null when the array is null, or when no element equals the
     * value but one is null (as SQL's IN and Spark treat an unknown element).
     */
    public static Column array_contains(Column array, Object value) {
        Column wanted = toColumn(value);
        return Column.of(context -> {
            Column.Named named = array.resolve(context);
            TypeChecks.array("array_contains", named);
            Column.Named element = wanted.resolve(context);
            TypeChecks.element("array_contains", named, element);
            return new Column.Named(
                    context.builder().call(BrookOperators.ARRAY_CONTAINS, named.expression(), element.expression()),
                    "array_contains(" + named.name() + ", " + element.name() + ")");
        });
    }

    // Aggregates

    /** The number of rows where the column is not null; {@code count("*")} counts all rows. */
    public static Column count(String column) {
        if (column.equals("*")) {
            return Column.aggregate("count(1)", context -> context.builder().countStar("count(1)"));
        }
        return count(col(column));
    }

    public static Column count(Column value) {
        return aggregate("count", value, (builder, name, rex) -> builder.count(false, name, rex));
    }

    public static Column countDistinct(Column value) {
        return aggregate("count_distinct", value, (builder, name, rex) -> builder.count(true, name, rex));
    }

    public static Column count_distinct(Column value) {
        return countDistinct(value);
    }

    public static Column sum(Column value) {
        return aggregate("sum", value, (builder, name, rex) -> builder.sum(false, name, rex));
    }

    public static Column sum(String column) {
        return sum(col(column));
    }

    /** The mean as DOUBLE, as Spark computes it whatever the input's numeric type. */
    public static Column avg(Column value) {
        return aggregate("avg", value, (builder, name, rex) -> builder.avg(false, name, Column.toDouble(builder, rex)));
    }

    public static Column avg(String column) {
        return avg(col(column));
    }

    public static Column mean(Column value) {
        return avg(value);
    }

    public static Column min(Column value) {
        return aggregate("min", value, (builder, name, rex) -> builder.min(name, rex));
    }

    public static Column min(String column) {
        return min(col(column));
    }

    public static Column max(Column value) {
        return aggregate("max", value, (builder, name, rex) -> builder.max(name, rex));
    }

    public static Column max(String column) {
        return max(col(column));
    }

    /**
     * The value of the first row of each group, null or not, in input order (in a stream, of the earliest batch).
     * Which row is first depends on input order, as in Spark: use it where that order means something.
     */
    public static Column first(Column value) {
        return first(value, false);
    }

    public static Column first(String column) {
        return first(col(column), false);
    }

    /** With {@code ignoreNulls}, the first value that is not null (null when every value is). */
    public static Column first(Column value, boolean ignoreNulls) {
        return aggregate(
                "first",
                value,
                (builder, name, rex) -> builder.aggregateCall(BrookAggregates.FIRST, rex)
                        .ignoreNulls(ignoreNulls)
                        .as(name));
    }

    public static Column first(String column, boolean ignoreNulls) {
        return first(col(column), ignoreNulls);
    }

    /** The value of the last row of each group, null or not, in input order (in a stream, of the latest batch). */
    public static Column last(Column value) {
        return last(value, false);
    }

    public static Column last(String column) {
        return last(col(column), false);
    }

    /** With {@code ignoreNulls}, the last value that is not null (null when every value is). */
    public static Column last(Column value, boolean ignoreNulls) {
        return aggregate(
                "last",
                value,
                (builder, name, rex) -> builder.aggregateCall(BrookAggregates.LAST, rex)
                        .ignoreNulls(ignoreNulls)
                        .as(name));
    }

    public static Column last(String column, boolean ignoreNulls) {
        return last(col(column), ignoreNulls);
    }

    /**
     * An estimate of the number of distinct non-null values (a BIGINT, 0 for none) by HyperLogLog, with a relative
     * standard deviation of at most 5%. Unlike {@link #countDistinct}, it works on streams: a group's sketch is its
     * state.
     */
    public static Column approx_count_distinct(Column value) {
        return approx_count_distinct(value, BrookAggregates.DEFAULT_RSD);
    }

    public static Column approx_count_distinct(String column) {
        return approx_count_distinct(col(column));
    }

    /** As {@link #approx_count_distinct(Column)}, with a maximum relative standard deviation from 0.00077 to 0.39. */
    public static Column approx_count_distinct(Column value, double rsd) {
        // Checked here, so that a wrong rsd fails where it is written, not when the plan is built.
        SqlAggFunction function = BrookAggregates.approxCountDistinct(rsd);
        return aggregate(
                "approx_count_distinct",
                value,
                (builder, name, rex) -> builder.aggregateCall(function, rex).as(name));
    }

    public static Column approx_count_distinct(String column, double rsd) {
        return approx_count_distinct(col(column), rsd);
    }

    /**
     * The non-null values of each group as an array, in input order (in a stream, earlier micro-batches' values first);
     * an empty array when there are none, as in Spark.
     */
    public static Column collect_list(Column value) {
        return aggregate(
                "collect_list",
                value,
                (builder, name, rex) ->
                        builder.aggregateCall(BrookAggregates.COLLECT_LIST, rex).as(name));
    }

    public static Column collect_list(String column) {
        return collect_list(col(column));
    }

    /**
     * The distinct non-null values of each group as an array, each where it first came (Spark leaves the order
     * unspecified); an empty array when there are none.
     */
    public static Column collect_set(Column value) {
        return aggregate(
                "collect_set",
                value,
                (builder, name, rex) ->
                        builder.aggregateCall(BrookAggregates.COLLECT_SET, rex).as(name));
    }

    public static Column collect_set(String column) {
        return collect_set(col(column));
    }

    @FunctionalInterface
    private interface AggregateFactory {
        RelBuilder.AggCall create(RelBuilder builder, String name, RexNode operand);
    }

    private static Column aggregate(String function, Column value, AggregateFactory factory) {
        return Column.aggregate(function + "(...)", context -> {
            Column.Named operand = value.resolve(context);
            if (function.equals("sum") || function.equals("avg")) {
                TypeChecks.number(function, operand);
            }
            String name = function + "(" + operand.name() + ")";
            return factory.create(context.builder(), name, operand.expression());
        });
    }

    private static Column call(String function, SqlOperator operator, Column... values) {
        return Column.of(context -> {
            List<RexNode> operands = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Column value : values) {
                Column.Named named = value.resolve(context);
                switch (function) {
                    case "lower", "upper", "length", "to_timestamp" -> TypeChecks.text(function, named);
                    case "abs" -> TypeChecks.number(function, named);
                    case "NOT" -> TypeChecks.condition("not", named);
                    default -> {}
                }
                operands.add(named.expression());
                names.add(named.name());
            }
            String name = function.equals("NOT")
                    ? "(NOT " + names.get(0) + ")"
                    : function.toLowerCase(Locale.ROOT) + "(" + String.join(", ", names) + ")";
            return new Column.Named(context.builder().call(operator, operands), name);
        });
    }
}
