package io.brook.engine.api;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

/**
 * A column expression of the Dataset API, as in Spark: unresolved until a Dataset operation uses it, then turned into
 * a Calcite row expression over that Dataset's columns ({@code col("price").multiply(2).as("doubled")}), or, for
 * aggregate functions, into an aggregate call. Immutable.
 */
public final class Column {
    /** A resolved expression and the name its column gets when nothing else names it. */
    record Named(RexNode expression, String name) {}

    private final Function<ColumnContext, Named> expression;
    private final Function<ColumnContext, RelBuilder.AggCall> aggregate;
    private final String aggregateName;
    private final List<Column[]> caseBranches;
    private final WindowSpec window;
    private final List<Column> structFields;
    private final String structName;

    /** {@code window(time, size, slide)}: only meaningful as a groupBy key. */
    record WindowSpec(Column time, long sizeMicros, long slideMicros, boolean session) {}

    private Column(
            Function<ColumnContext, Named> expression,
            Function<ColumnContext, RelBuilder.AggCall> aggregate,
            String aggregateName,
            List<Column[]> caseBranches) {
        this(expression, aggregate, aggregateName, caseBranches, null);
    }

    private Column(
            Function<ColumnContext, Named> expression,
            Function<ColumnContext, RelBuilder.AggCall> aggregate,
            String aggregateName,
            List<Column[]> caseBranches,
            WindowSpec window) {
        this.expression = expression;
        this.aggregate = aggregate;
        this.aggregateName = aggregateName;
        this.caseBranches = caseBranches;
        this.window = window;
        this.structFields = null;
        this.structName = null;
    }

    private Column(List<Column> structFields, String structName) {
        this.expression = context -> {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "the struct " + structName + " is a group of columns: select it (its fields become " + structName
                            + ".<field> columns, and " + structName + ".* selects them by their names), or pass it to"
                            + " to_json(...)");
        };
        this.aggregate = null;
        this.aggregateName = null;
        this.caseBranches = null;
        this.window = null;
        this.structFields = List.copyOf(structFields);
        this.structName = structName;
    }

    /** A struct: a group of columns, flattened into {@code name.field} columns when selected. */
    static Column struct(List<Column> fields, String name) {
        return new Column(fields, name);
    }

    boolean isStruct() {
        return structFields != null;
    }

    List<Column> structFields() {
        return structFields;
    }

    String structName() {
        return structName;
    }

    static Column window(WindowSpec spec) {
        return new Column(
                context -> {
                    throw new BrookException(
                            ErrorCode.UNSUPPORTED_OPERATION,
                            "window(...) is a grouping key: use it in groupBy(window(col(\"time\"), \"10 seconds\"),"
                                    + " ...); its bounds are the columns window_start and window_end");
                },
                null,
                null,
                null,
                spec);
    }

    WindowSpec windowSpec() {
        return window;
    }

    static Column of(Function<ColumnContext, Named> expression) {
        return new Column(requireNonNull(expression, "expression is null"), null, null, null);
    }

    static Column named(String name, Function<ColumnContext, RexNode> expression) {
        return of(context -> new Named(expression.apply(context), name));
    }

    static Column aggregate(String name, Function<ColumnContext, RelBuilder.AggCall> aggregate) {
        return new Column(null, requireNonNull(aggregate, "aggregate is null"), name, null);
    }

    /** Whether this is an aggregate function (for {@code agg} and a global {@code select}). */
    boolean isAggregate() {
        return aggregate != null;
    }

    Named resolve(ColumnContext context) {
        if (aggregate != null) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "aggregate function " + aggregateName
                            + " is not allowed here; aggregates go in groupBy(...).agg(...)"
                            + " or a select of aggregates only");
        }
        return expression.apply(context);
    }

    RexNode rex(ColumnContext context) {
        return resolve(context).expression();
    }

    RelBuilder.AggCall aggCall(ColumnContext context) {
        if (aggregate == null) {
            Named named = resolve(context);
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "'" + named.name() + "' is not an aggregate function; agg(...) takes count, sum, avg, min, max,"
                            + " countDistinct, first, last, approx_count_distinct, collect_list, collect_set");
        }
        return aggregate.apply(context);
    }

    String aggregateName() {
        return aggregateName;
    }

    /** This column under another name. */
    public Column as(String alias) {
        requireNonNull(alias, "alias is null");
        if (structFields != null) {
            return new Column(structFields, alias);
        }
        if (aggregate != null) {
            return new Column(null, context -> aggregate.apply(context).as(alias), alias, null);
        }
        return of(context -> new Named(expression.apply(context).expression(), alias));
    }

    public Column alias(String alias) {
        return as(alias);
    }

    public Column name(String alias) {
        return as(alias);
    }

    // Arithmetic

    public Column plus(Object other) {
        return binary("+", SqlStdOperatorTable.PLUS, other);
    }

    public Column minus(Object other) {
        return binary("-", SqlStdOperatorTable.MINUS, other);
    }

    public Column multiply(Object other) {
        return binary("*", SqlStdOperatorTable.MULTIPLY, other);
    }

    /** Division as Spark does it: always DOUBLE, and null when dividing by zero. */
    public Column divide(Object other) {
        Column right = functions.toColumn(other);
        return of(context -> {
            Named a = resolve(context);
            Named b = right.resolve(context);
            TypeChecks.arithmetic("/", a, b);
            RelBuilder builder = context.builder();
            // Nullable even over non-null inputs: dividing by zero gives null, as in Spark.
            RelDataTypeFactory types = builder.getTypeFactory();
            RexNode quotient = builder.getRexBuilder()
                    .makeCall(
                            types.createTypeWithNullability(types.createSqlType(SqlTypeName.DOUBLE), true),
                            SqlStdOperatorTable.DIVIDE,
                            List.of(toDouble(builder, a.expression()), toDouble(builder, b.expression())));
            return new Named(quotient, "(" + a.name() + " / " + b.name() + ")");
        });
    }

    /** The remainder; null when dividing by zero, as in Spark. */
    public Column mod(Object other) {
        Column right = functions.toColumn(other);
        return of(context -> {
            Named a = resolve(context);
            Named b = right.resolve(context);
            TypeChecks.arithmetic("%", a, b);
            RelBuilder builder = context.builder();
            // Spark's type: the wider operand's (Calcite's MOD would take the divisor's, so BIGINT % 7 were INT).
            RelDataTypeFactory types = builder.getTypeFactory();
            RelDataType wider = types.leastRestrictive(
                    List.of(a.expression().getType(), b.expression().getType()));
            RexNode remainder = builder.getRexBuilder()
                    .makeCall(
                            types.createTypeWithNullability(
                                    wider != null
                                            ? wider
                                            : builder.call(SqlStdOperatorTable.MOD, a.expression(), b.expression())
                                                    .getType(),
                                    true),
                            SqlStdOperatorTable.MOD,
                            List.of(a.expression(), b.expression()));
            return new Named(remainder, "(" + a.name() + " % " + b.name() + ")");
        });
    }

    static RexNode toDouble(RelBuilder builder, RexNode value) {
        RelDataTypeFactory types = builder.getTypeFactory();
        RelDataType target = types.createTypeWithNullability(
                types.createSqlType(SqlTypeName.DOUBLE), value.getType().isNullable());
        return builder.getRexBuilder().makeCast(target, value);
    }

    // Comparisons and logic

    public Column equalTo(Object other) {
        return binary("=", SqlStdOperatorTable.EQUALS, other);
    }

    public Column notEqual(Object other) {
        return binary("!=", SqlStdOperatorTable.NOT_EQUALS, other);
    }

    public Column gt(Object other) {
        return binary(">", SqlStdOperatorTable.GREATER_THAN, other);
    }

    public Column geq(Object other) {
        return binary(">=", SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, other);
    }

    public Column lt(Object other) {
        return binary("<", SqlStdOperatorTable.LESS_THAN, other);
    }

    public Column leq(Object other) {
        return binary("<=", SqlStdOperatorTable.LESS_THAN_OR_EQUAL, other);
    }

    public Column and(Column other) {
        return binary("AND", SqlStdOperatorTable.AND, other);
    }

    public Column or(Column other) {
        return binary("OR", SqlStdOperatorTable.OR, other);
    }

    public Column isNull() {
        return unary("(%s IS NULL)", SqlStdOperatorTable.IS_NULL);
    }

    public Column isNotNull() {
        return unary("(%s IS NOT NULL)", SqlStdOperatorTable.IS_NOT_NULL);
    }

    public Column between(Object lower, Object upper) {
        return geq(lower).and(leq(upper));
    }

    /** Whether the value is one of these (SQL IN). */
    public Column isin(Object... values) {
        List<Column> list = new ArrayList<>();
        for (Object value : values) {
            list.add(functions.toColumn(value));
        }
        return of(context -> {
            Named value = resolve(context);
            List<RexNode> operands = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Column each : list) {
                Named named = each.resolve(context);
                operands.add(named.expression());
                names.add(named.name());
            }
            return new Named(
                    context.builder().in(value.expression(), operands),
                    "(" + value.name() + " IN (" + String.join(", ", names) + "))");
        });
    }

    /** SQL LIKE with {@code %} and {@code _}. */
    public Column like(String pattern) {
        return binary("LIKE", SqlStdOperatorTable.LIKE, pattern);
    }

    public Column contains(Object other) {
        Column right = functions.toColumn(other);
        return of(context -> {
            Named a = resolve(context);
            Named b = right.resolve(context);
            RelBuilder builder = context.builder();
            RexNode position = builder.call(SqlStdOperatorTable.POSITION, b.expression(), a.expression());
            return new Named(
                    builder.call(SqlStdOperatorTable.GREATER_THAN, position, builder.literal(0)),
                    "contains(" + a.name() + ", " + b.name() + ")");
        });
    }

    public Column startsWith(String prefix) {
        return like(prefix.replace("%", "\\%").replace("_", "\\_") + "%");
    }

    public Column substr(int position, int length) {
        return functions.substring(this, position, length);
    }

    /**
     * A field of a struct column by name, as Spark's {@code getField}: {@code col("s").getField("key")} is named
     * {@code s.key}; null where the struct is null.
     */
    public Column getField(String fieldName) {
        return of(context -> {
            Named struct = resolve(context);
            RelDataType type = struct.expression().getType();
            if (!type.isStruct()) {
                throw new BrookException(
                        ErrorCode.TYPE_MISMATCH,
                        "getField(\"" + fieldName + "\") needs a struct column; '" + struct.name() + "' is "
                                + type.getFullTypeString());
            }
            if (type.getField(fieldName, true, false) == null) {
                throw new BrookException(
                        ErrorCode.UNRESOLVED_COLUMN,
                        "struct column '" + struct.name() + "' has no field '" + fieldName + "'; it has "
                                + String.join(", ", type.getFieldNames()));
            }
            RexNode field = context.builder().getRexBuilder().makeFieldAccess(struct.expression(), fieldName, true);
            return new Named(field, struct.name() + "." + fieldName);
        });
    }

    /** The element at a 0-based index of an array, as Spark's {@code getItem}; null when out of range. */
    public Column getItem(int index) {
        return of(context -> {
            Named array = resolve(context);
            TypeChecks.array("getItem", array);
            RelBuilder builder = context.builder();
            return new Named(
                    builder.call(SqlStdOperatorTable.ITEM, array.expression(), builder.literal(index)),
                    array.name() + "[" + index + "]");
        });
    }

    /** Converts to a type named as in Spark: int, bigint/long, double, string, binary, boolean, date, timestamp. */
    public Column cast(String type) {
        SqlTypeName target = typeName(type);
        return of(context -> {
            Named value = resolve(context);
            if (value.expression().getType().isStruct()) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot cast struct column " + TypeChecks.describe(value.name(), value.expression()) + " to "
                                + type + ": Brook does not cast structs yet; cast its fields (getField(...)), or make"
                                + " JSON text of it with to_json(...)");
            }
            if (TypeChecks.array(value.expression())) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot cast array column " + TypeChecks.describe(value.name(), value.expression()) + " to "
                                + type + ": Brook does not cast arrays yet; cast its elements (element_at(...),"
                                + " getItem(...)), or make JSON text of it with to_json(struct(...))");
            }
            RelBuilder builder = context.builder();
            RelDataTypeFactory types = builder.getTypeFactory();
            RelDataType sqlType =
                    target == SqlTypeName.TIMESTAMP ? types.createSqlType(target, 6) : types.createSqlType(target);
            boolean nullable = value.expression().getType().isNullable()
                    || value.expression().getType().getSqlTypeName() == SqlTypeName.VARCHAR
                    || value.expression().getType().getSqlTypeName() == SqlTypeName.CHAR;
            RexNode cast = builder.getRexBuilder()
                    .makeCast(types.createTypeWithNullability(sqlType, nullable), value.expression(), true, false);
            return new Named(cast, "CAST(" + value.name() + " AS " + target + ")");
        });
    }

    static SqlTypeName typeName(String type) {
        return switch (type.toLowerCase(Locale.ROOT).strip()) {
            case "int", "integer" -> SqlTypeName.INTEGER;
            case "bigint", "long" -> SqlTypeName.BIGINT;
            case "double", "float" -> SqlTypeName.DOUBLE;
            case "string", "varchar" -> SqlTypeName.VARCHAR;
            case "binary", "varbinary" -> SqlTypeName.VARBINARY;
            case "boolean" -> SqlTypeName.BOOLEAN;
            case "date" -> SqlTypeName.DATE;
            case "timestamp" -> SqlTypeName.TIMESTAMP;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_EXPRESSION,
                        "unknown type '" + type
                                + "'; use int, bigint, double, string, binary, boolean, date or timestamp");
        };
    }

    // Sorting

    public Column desc() {
        return of(context -> {
            Named value = resolve(context);
            RelBuilder builder = context.builder();
            return new Named(builder.nullsLast(builder.desc(value.expression())), value.name() + " DESC NULLS LAST");
        });
    }

    /** Ascending with nulls first, Spark's default order. */
    public Column asc() {
        return of(context -> {
            Named value = resolve(context);
            return new Named(context.builder().nullsFirst(value.expression()), value.name() + " ASC NULLS FIRST");
        });
    }

    // CASE WHEN

    /** Another branch of a {@link functions#when} chain. */
    public Column when(Column condition, Object value) {
        if (caseBranches == null) {
            throw new BrookException(
                    ErrorCode.INVALID_EXPRESSION, "when(...) follows functions.when(...) or another when(...)");
        }
        List<Column[]> branches = new ArrayList<>(caseBranches);
        branches.add(new Column[] {condition, functions.toColumn(value)});
        return caseOf(branches, null);
    }

    /** The value of a {@link functions#when} chain when no branch matches (null without it). */
    public Column otherwise(Object value) {
        if (caseBranches == null) {
            throw new BrookException(
                    ErrorCode.INVALID_EXPRESSION, "otherwise(...) follows functions.when(...) or when(...)");
        }
        return caseOf(caseBranches, functions.toColumn(value));
    }

    static Column caseOf(List<Column[]> branches, Column otherwise) {
        List<Column[]> copy = List.copyOf(branches);
        Function<ColumnContext, Named> expression = context -> {
            RelBuilder builder = context.builder();
            RexBuilder rex = builder.getRexBuilder();
            List<RexNode> operands = new ArrayList<>();
            StringBuilder name = new StringBuilder("CASE");
            for (Column[] branch : copy) {
                Named condition = branch[0].resolve(context);
                TypeChecks.condition("when", condition);
                Named value = branch[1].resolve(context);
                operands.add(condition.expression());
                operands.add(value.expression());
                name.append(" WHEN ").append(condition.name()).append(" THEN ").append(value.name());
            }
            if (otherwise != null) {
                Named value = otherwise.resolve(context);
                operands.add(value.expression());
                name.append(" ELSE ").append(value.name());
            } else {
                operands.add(rex.makeNullLiteral(operands.get(1).getType()));
            }
            return new Named(
                    builder.call(SqlStdOperatorTable.CASE, operands),
                    name.append(" END").toString());
        };
        return new Column(expression, null, null, otherwise == null ? copy : null);
    }

    private Column binary(String symbol, SqlOperator operator, Object other) {
        Column right = functions.toColumn(other);
        return of(context -> {
            Named a = resolve(context);
            Named b = right.resolve(context);
            switch (symbol) {
                case "+", "-", "*", "%" -> TypeChecks.arithmetic(symbol, a, b);
                case "=", "!=", ">", ">=", "<", "<=" -> TypeChecks.comparison(symbol, a, b);
                case "AND", "OR" -> {
                    TypeChecks.condition(symbol, a);
                    TypeChecks.condition(symbol, b);
                }
                case "LIKE" -> TypeChecks.text("like", a);
                default -> {}
            }
            return new Named(
                    context.builder().call(operator, a.expression(), b.expression()),
                    "(" + a.name() + " " + symbol + " " + b.name() + ")");
        });
    }

    private Column unary(String format, SqlOperator operator) {
        return of(context -> {
            Named a = resolve(context);
            return new Named(
                    context.builder().call(operator, a.expression()), String.format(Locale.ROOT, format, a.name()));
        });
    }
}
