package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.config.Lex;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * Parses SQL expressions written against a Dataset ({@code expr("price * 2 AS doubled")}, {@code filter("a > 1")}) into
 * row expressions over that Dataset's columns, with Calcite's parser and validator, so the API and SQL share one
 * grammar and one set of functions. Errors give the line and column in the expression's own text, a caret, and the
 * closest column name.
 */
public final class ExpressionParser {
    private static final String INPUT = "__input";
    private static final String PREFIX = "SELECT ";
    private static final Pattern NOT_FOUND = Pattern.compile("Column '([^']+)' not found in any table");

    private static final java.util.Set<String> NILADIC = java.util.Set.of(
            "USER",
            "CURRENT_USER",
            "SESSION_USER",
            "SYSTEM_USER",
            "CURRENT_ROLE",
            "CURRENT_DATE",
            "CURRENT_TIME",
            "CURRENT_TIMESTAMP",
            "LOCALTIME",
            "LOCALTIMESTAMP",
            "CURRENT_CATALOG",
            "CURRENT_SCHEMA",
            "CURRENT_PATH");

    private static SqlParseException requireOriginal(SqlParseException original, String text) {
        if (original == null) {
            throw new IllegalStateException("the text as written parsed, yet no attempt did: " + text);
        }
        return original;
    }

    private static boolean shadowsNiladicFunction(List<String> columns) {
        for (String column : columns) {
            if (NILADIC.contains(column.toUpperCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** A parsed expression and the name of its column: its alias, the column it names, or its text. */
    public record Parsed(RexNode expression, String name) {}

    private final PlanContext context;

    public ExpressionParser(PlanContext context) {
        this.context = context;
    }

    static SqlParser.Config parserConfig() {
        return SqlParser.config().withLex(Lex.JAVA).withConformance(SqlConformanceEnum.LENIENT);
    }

    static SqlOperatorTable builtInOperatorTable() {
        // Brook's first: where Spark's library has a function of the same name, Brook's has Spark's semantics.
        return SqlOperatorTables.chain(
                BrookFunctions.operatorTable(),
                SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(SqlLibrary.STANDARD, SqlLibrary.SPARK));
    }

    /** The built-in functions, then the session's user-defined ones (which cannot take a built-in's name). */
    static SqlOperatorTable operatorTable(PlanContext context) {
        return SqlOperatorTables.chain(
                builtInOperatorTable(), context.functions().operatorTable());
    }

    /**
     * Parses one expression (an optional {@code AS alias} included) over the input's columns. Columns whose names are
     * SQL keywords ({@code value}, {@code offset}, {@code partition}, {@code timestamp}: Kafka's columns) may be written
     * unquoted, as in Spark: when the text does not parse, it is parsed again with those names and the alias quoted.
     */
    public Parsed parse(RelNode input, String text) {
        return parse(input.getRowType(), text);
    }

    /** Parses one expression over columns of this row type (for a join condition: both sides' columns, in order). */
    public Parsed parse(RelDataType inputRowType, String text) {
        // Spark lets keywords name columns (value, offset, user): try the text as written, and with such names
        // quoted; a column named like a function without parentheses (user) must be quoted first, or it parses as
        // that function. Errors point into the text as written.
        List<String> names = inputRowType.getFieldNames();
        String quoted = KeywordColumns.quote(text, names, structFields(inputRowType));
        List<String> attempts = shadowsNiladicFunction(names) ? List.of(quoted, text) : List.of(text, quoted);
        SqlNode query = null;
        SqlParseException original = null;
        for (String attempt : new java.util.LinkedHashSet<>(attempts)) {
            try {
                query = SqlParser.create(PREFIX + attempt + "\nFROM " + INPUT, parserConfig())
                        .parseQuery();
                break;
            } catch (SqlParseException e) {
                if (attempt.equals(text)) {
                    original = e;
                }
            }
        }
        if (query == null) {
            // A column named like a word Calcite reserves and Flink does not (dateTime): as Flink reads it.
            FlinkNonReservedWords.Masked masked = FlinkNonReservedWords.mask(PREFIX + text + "\nFROM " + INPUT);
            if (masked.changed()) {
                try {
                    query = masked.restore(
                            SqlParser.create(masked.text(), parserConfig()).parseQuery());
                } catch (SqlParseException e) {
                    // Same positions; about the real mistake, if there is one.
                    original = e;
                }
            }
        }
        if (query == null) {
            SqlParseException e = requireOriginal(original, text);
            throw error(
                    ErrorCode.INVALID_EXPRESSION,
                    text,
                    e.getPos().getLineNum(),
                    e.getPos().getColumnNum(),
                    firstLine(e.getMessage()));
        }
        if (!(query instanceof SqlSelect select) || select.getSelectList().size() != 1) {
            throw new BrookException(ErrorCode.INVALID_EXPRESSION, "expected one expression, got: " + text);
        }
        SqlNode item = qualifyStructFields(select.getSelectList().get(0), inputRowType);
        select.getSelectList().set(0, item);
        RelDataType rowType = inputRowType;
        CalciteSchema schema = CalciteSchema.createRootSchema(false, false);
        schema.add(INPUT, new FixedRowTypeTable(rowType));
        addTypeAliases(schema);
        CalciteCatalogReader reader = SqlPlanner.reader(context, schema);
        SqlValidator validator = SqlPlanner.validator(context, reader, operatorTable(context));
        SqlNode validated;
        try {
            validated = validator.validate(query);
        } catch (CalciteContextException e) {
            throw validationError(text, rowType, e);
        }
        RelNode rel = SqlPlanner.convert(context, validator, reader, validated, true);
        String name = columnName(item, text, validator.getValidatedNodeType(validated));
        if (rel instanceof Project project && project.getInput() instanceof TableScan) {
            return new Parsed(project.getProjects().get(0), name);
        }
        if (rel instanceof TableScan) {
            int index = rowType.getFieldNames().indexOf(name);
            return new Parsed(
                    context.cluster()
                            .getRexBuilder()
                            .makeInputRef(rowType.getFieldList().get(index).getType(), index),
                    name);
        }
        throw new BrookException(
                ErrorCode.UNSUPPORTED_OPERATION,
                "'" + text + "' is not a row expression (aggregate functions go in groupBy(...).agg(...) through"
                        + " functions such as sum(col(\"x\")))");
    }

    /** Spark's and Flink's names for VARCHAR and VARBINARY, as in {@code CAST(value AS STRING)}. */
    static void addTypeAliases(CalciteSchema schema) {
        for (String name : List.of("STRING", "string")) {
            schema.add(
                    name,
                    types -> types.createTypeWithNullability(
                            types.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR), true));
        }
        for (String name : List.of("BYTES", "bytes")) {
            schema.add(
                    name,
                    types -> types.createTypeWithNullability(
                            types.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARBINARY), true));
        }
    }

    /** The names of the fields of the struct columns, and of the structs of array columns. */
    private static List<String> structFields(RelDataType inputRowType) {
        List<String> fields = new java.util.ArrayList<>();
        for (RelDataTypeField column : inputRowType.getFieldList()) {
            RelDataType type = column.getType();
            RelDataType struct = type.getComponentType() != null ? type.getComponentType() : type;
            if (struct.isStruct()) {
                fields.addAll(struct.getFieldNames());
            }
        }
        return fields;
    }

    /**
     * {@code point.x}, where {@code point} is a struct column, as Spark reads it: a field of the column (Calcite would
     * look for a table {@code point}), so it is qualified with the input's name.
     */
    private static SqlNode qualifyStructFields(SqlNode item, RelDataType inputRowType) {
        return item.accept(new SqlShuttle() {
            @Override
            public SqlNode visit(SqlIdentifier identifier) {
                if (identifier.names.size() < 2) {
                    return identifier;
                }
                RelDataTypeField column = inputRowType.getField(identifier.names.get(0), true, false);
                if (column == null || !column.getType().isStruct()) {
                    return identifier;
                }
                List<String> qualified = new java.util.ArrayList<>();
                qualified.add(INPUT);
                qualified.addAll(identifier.names);
                return new SqlIdentifier(qualified, identifier.getParserPosition());
            }
        });
    }

    private static String columnName(SqlNode item, String text, RelDataType validatedRowType) {
        if (item.getKind() == SqlKind.AS || item instanceof SqlIdentifier) {
            return validatedRowType.getFieldList().get(0).getName();
        }
        if (item instanceof SqlBasicCall) {
            return text.strip();
        }
        return text.strip();
    }

    private static BrookException validationError(String text, RelDataType rowType, CalciteContextException e) {
        String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        ErrorCode code = ErrorCode.INVALID_EXPRESSION;
        Matcher notFound = NOT_FOUND.matcher(message);
        if (notFound.find()) {
            String column = notFound.group(1);
            List<String> names = rowType.getFieldNames();
            message = "column '" + column + "' not found" + Names.didYouMean(column, names) + " (columns: "
                    + String.join(", ", names) + ")";
            code = ErrorCode.UNRESOLVED_COLUMN;
        }
        return error(code, text, e.getPosLine(), e.getPosColumn(), message);
    }

    /** "line L:C: message" with a caret, positions relative to the user's text (the SELECT prefix taken off). */
    private static BrookException error(ErrorCode code, String text, int sqlLine, int sqlColumn, String message) {
        int line = Math.max(1, sqlLine);
        int column = line == 1 ? Math.max(1, sqlColumn - PREFIX.length()) : Math.max(1, sqlColumn);
        return SqlErrors.at(code, text, line, column, message);
    }

    private static String firstLine(String message) {
        return SqlErrors.firstLine(message)
                .replace("FROM", "<end of expression>")
                .replace("<end of statement>", "<end of expression>");
    }

    /** The input Dataset as a table: its row type, already in the context's type factory. */
    private static final class FixedRowTypeTable extends AbstractTable {
        private final RelDataType rowType;

        FixedRowTypeTable(RelDataType rowType) {
            this.rowType = rowType;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory) {
            return rowType;
        }
    }
}
