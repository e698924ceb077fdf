package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Plans SQL queries (SELECT, WITH, set operations) over named relations (a session's views and sources) into the same
 * logical plan the Dataset API builds (ARCHITECTURE decision 5): Calcite parses, validates and converts; Calcite's rules
 * decorrelate subqueries and push filters into joins; {@link WindowTableFunctions} then turns the window table
 * functions into Brook's own nodes. Names are case-sensitive and back-quoted, as in Flink SQL. Errors give the line and
 * column with a caret, and the closest name for an unknown table, column or function.
 */
public final class SqlPlanner {
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '([^']+)' not found in any table");
    private static final Pattern COLUMN_NOT_FOUND_IN = Pattern.compile("Column '([^']+)' not found in table '([^']+)'");
    private static final Pattern TABLE_NOT_FOUND = Pattern.compile("Object '([^']+)' not found");
    private static final Pattern NO_FUNCTION = Pattern.compile("No match found for function signature ([^(]+)\\(");
    private static final Pattern NOT_TEMPORAL = Pattern.compile("Table '([^']+)' is not a temporal table");

    private final PlanContext context;

    public SqlPlanner(PlanContext context) {
        this.context = context;
    }

    /** Calcite's parser as Brook reads SQL: case-sensitive names, back-quotes, Spark's and Flink's leniency. */
    public static SqlParser.Config parserConfig() {
        return ExpressionParser.parserConfig();
    }

    /** Parses one query; a syntax error names the line and column of {@code text}. */
    public static SqlNode parseQuery(String text) {
        SqlParseException error;
        try {
            return SqlParser.create(text, parserConfig()).parseQuery();
        } catch (SqlParseException e) {
            error = e;
        }
        // B.dateTime, as Flink reads it (see FlinkNonReservedWords); the masked text's error has the same positions
        // and is about the text's real mistake, if there is one.
        FlinkNonReservedWords.Masked masked = FlinkNonReservedWords.mask(text);
        if (masked.changed()) {
            try {
                return masked.restore(
                        SqlParser.create(masked.text(), parserConfig()).parseQuery());
            } catch (SqlParseException e) {
                error = e;
            }
        }
        throw SqlErrors.at(
                ErrorCode.INVALID_EXPRESSION,
                text,
                error.getPos().getLineNum(),
                error.getPos().getColumnNum(),
                SqlErrors.parseMessage(error));
    }

    /**
     * Parses one expression as Flink would ({@code dateTime - INTERVAL '4' SECOND}, see FlinkNonReservedWords);
     * throws the error of the text as written.
     */
    public static SqlNode parseExpression(String text) throws SqlParseException {
        try {
            return SqlParser.create(text, parserConfig()).parseExpression();
        } catch (SqlParseException e) {
            FlinkNonReservedWords.Masked masked = FlinkNonReservedWords.mask(text);
            if (!masked.changed()) {
                throw e;
            }
        }
        FlinkNonReservedWords.Masked masked = FlinkNonReservedWords.mask(text);
        return masked.restore(SqlParser.create(masked.text(), parserConfig()).parseExpression());
    }

    /** Plans a query over these relations (name to plan, all built in this planner's context). */
    public RelNode plan(String text, Map<String, RelNode> relations) {
        return plan(parseQuery(text), text, relations);
    }

    /** Plans a parsed query; {@code text} is what it was parsed from, for error positions. */
    public RelNode plan(SqlNode query, String text, Map<String, RelNode> relations) {
        CalciteSchema schema = CalciteSchema.createRootSchema(false, false);
        relations.forEach((name, plan) -> schema.add(
                name,
                io.brook.engine.exec.BoundedRunner.streaming(plan)
                        ? new RelationTable(plan)
                        : new BoundedRelationTable(plan)));
        ExpressionParser.addTypeAliases(schema);
        CalciteCatalogReader reader = reader(context, schema);
        SqlOperatorTable operators = ExpressionParser.operatorTable(context);
        SqlValidator validator = validator(context, reader, operators);
        SqlNode validated;
        try {
            validated = validator.validate(SqlRewrites.apply(query, relations));
        } catch (CalciteContextException e) {
            throw validationError(text, e, relations, operators);
        }
        RelNode converted = convert(context, validator, reader, validated, false);
        RelNode rewritten =
                WindowTableFunctions.rewrite(optimise(AggregateFilters.rewrite(TemporalJoins.rewrite(converted))));
        RelNode planned = trimUnused(ValuesAsScans.rewrite(context, rewritten));
        // Calcite's rules drop projections that only rename; the query's own column names are kept.
        List<String> names = converted.getRowType().getFieldNames();
        if (!planned.getRowType().getFieldNames().equals(names)) {
            // A projection of its own: RelOptUtil.createRename (through RelBuilder) left a SessionAggregate's key with
            // its input's name ($f0) once the trimming passes had merged the projections under it, so
            // examples/sessions.sql wrote no user_id.
            List<org.apache.calcite.rex.RexNode> columns = new java.util.ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                columns.add(org.apache.calcite.rex.RexInputRef.of(i, planned.getRowType()));
            }
            planned = org.apache.calcite.rel.logical.LogicalProject.create(planned, List.of(), columns, names);
        }
        return planned;
    }

    /** A catalog of these tables, with Brook's case-sensitive names. */
    static CalciteCatalogReader reader(PlanContext context, CalciteSchema schema) {
        return new CalciteCatalogReader(schema, List.of(), context.typeFactory(), PlanContext.connectionConfig());
    }

    /** Calcite's validator with Brook's functions and Spark's and Flink's leniency. */
    static SqlValidator validator(PlanContext context, CalciteCatalogReader reader, SqlOperatorTable operators) {
        return SqlValidatorUtil.newValidator(
                operators,
                reader,
                context.typeFactory(),
                SqlValidator.Config.DEFAULT.withConformance(SqlConformanceEnum.LENIENT));
    }

    /**
     * A validated query as a logical plan in the context's cluster; {@code expand} turns subqueries into joins at once
     * (expressions), else they stay for the decorrelating rules (queries).
     */
    static RelNode convert(
            PlanContext context,
            SqlValidator validator,
            CalciteCatalogReader reader,
            SqlNode validated,
            boolean expand) {
        SqlToRelConverter converter = new SqlToRelConverter(
                (type, queryString, schemaPath, viewPath) -> {
                    throw new UnsupportedOperationException("views are plans, not text, in Brook");
                },
                validator,
                reader,
                context.cluster(),
                StandardConvertletTable.INSTANCE,
                SqlToRelConverter.config().withTrimUnusedFields(false).withExpand(expand));
        return converter.convertQuery(validated, false, true).project();
    }

    /**
     * Calcite's logical rewrites that streaming needs: subqueries become joins (then decorrelated), filters move into
     * joins (so that a join of two streams sees its key equalities and time bounds), and projections merge; then the
     * OVER calls of a projection move into a Window node.
     */
    private RelNode optimise(RelNode rel) {
        HepProgram subqueries = HepProgram.builder()
                .addRuleInstance(CoreRules.FILTER_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CoreRules.JOIN_SUB_QUERY_TO_CORRELATE)
                .build();
        HepPlanner first = new HepPlanner(subqueries);
        first.setRoot(rel);
        RelNode decorrelated = RelDecorrelator.decorrelateQuery(first.findBestExp(), context.builder());
        HepProgram cleanup = HepProgram.builder()
                .addMatchOrder(HepMatchOrder.BOTTOM_UP)
                .addRuleInstance(CoreRules.FILTER_INTO_JOIN)
                .addRuleInstance(CoreRules.JOIN_CONDITION_PUSH)
                // lower(c.page) = p.page: the expression becomes a column below the join, so it has an equi-key.
                .addRuleInstance(CoreRules.JOIN_PUSH_EXPRESSIONS)
                .addRuleInstance(CoreRules.FILTER_MERGE)
                .addRuleInstance(CoreRules.PROJECT_MERGE)
                .addRuleInstance(CoreRules.PROJECT_REMOVE)
                .build();
        HepPlanner second = new HepPlanner(cleanup);
        second.setRoot(decorrelated);
        HepPlanner windows = new HepPlanner(HepProgram.builder()
                .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
                .build());
        windows.setRoot(second.findBestExp());
        return windows.findBestExp();
    }

    /**
     * Columns nothing above reads are not computed (a source's unread JSON fields are not parsed); the projections the
     * trimmer leaves are merged into the ones below them.
     */
    private RelNode trimUnused(RelNode rel) {
        HepPlanner merge = new HepPlanner(HepProgram.builder()
                .addMatchOrder(HepMatchOrder.BOTTOM_UP)
                .addRuleInstance(CoreRules.PROJECT_MERGE)
                .addRuleInstance(CoreRules.PROJECT_REMOVE)
                .build());
        merge.setRoot(new FieldTrimmer(context.builder()).trim(rel));
        // Fields of structs read above a source's filter and watermark are computed below them, where they merge
        // into the source's projection: one JSON path each rather than every field of the object.
        HepPlanner fields = new HepPlanner(HepProgram.builder()
                .addMatchLimit(1000)
                .addRuleInstance(ProjectFieldsBelowFilter.INSTANCE)
                .addRuleInstance(ProjectWatermarkTranspose.INSTANCE)
                .addRuleInstance(CoreRules.PROJECT_MERGE)
                .addRuleInstance(CoreRules.PROJECT_REMOVE)
                .build());
        fields.setRoot(merge.findBestExp());
        return fields.findBestExp();
    }

    private static BrookException validationError(
            String text, CalciteContextException e, Map<String, RelNode> relations, SqlOperatorTable operators) {
        String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        ErrorCode code = ErrorCode.INVALID_EXPRESSION;
        Matcher column = COLUMN_NOT_FOUND.matcher(message);
        Matcher columnIn = COLUMN_NOT_FOUND_IN.matcher(message);
        Matcher table = TABLE_NOT_FOUND.matcher(message);
        Matcher function = NO_FUNCTION.matcher(message);
        Matcher notTemporal = NOT_TEMPORAL.matcher(message);
        if (notTemporal.find()) {
            message = "'" + notTemporal.group(1) + "' is a stream: " + TemporalJoins.overStreamMessage();
            code = ErrorCode.UNSUPPORTED_OPERATION;
        } else if (column.find()) {
            message = "column '" + column.group(1) + "' not found"
                    + Names.didYouMean(column.group(1), allColumns(relations));
            code = ErrorCode.UNRESOLVED_COLUMN;
        } else if (columnIn.find()) {
            message = "column '" + columnIn.group(1) + "' not found in '" + columnIn.group(2) + "'"
                    + Names.didYouMean(columnIn.group(1), allColumns(relations));
            code = ErrorCode.UNRESOLVED_COLUMN;
        } else if (table.find()) {
            message = "no source, table or view named '" + table.group(1) + "'"
                    + Names.didYouMean(table.group(1), relations.keySet())
                    + (relations.isEmpty()
                            ? ""
                            : " (known: " + String.join(", ", new TreeSet<>(relations.keySet())) + ")");
            code = ErrorCode.UNRESOLVED_COLUMN;
        } else if (function.find()) {
            String name = function.group(1).strip();
            message = "no function " + message.substring(message.indexOf("signature ") + "signature ".length())
                    + Names.didYouMean(name, functionNames(operators));
            code = ErrorCode.INVALID_EXPRESSION;
        }
        return SqlErrors.at(code, text, e.getPosLine(), e.getPosColumn(), message);
    }

    private static Set<String> allColumns(Map<String, RelNode> relations) {
        Set<String> names = new TreeSet<>();
        for (RelNode plan : relations.values()) {
            names.addAll(plan.getRowType().getFieldNames());
        }
        return names;
    }

    private static Set<String> functionNames(SqlOperatorTable operators) {
        Set<String> names = new TreeSet<>();
        for (SqlOperator operator : operators.getOperatorList()) {
            String name = operator.getName();
            if (!name.isEmpty() && Character.isLetter(name.charAt(0)) && operator.getKind() != SqlKind.OTHER_DDL) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /**
     * A bounded relation (a file or JDBC table): a temporal table to Calcite, as its rows do not change while a query
     * runs, so {@code FOR SYSTEM_TIME AS OF} any time is the table itself (see TemporalJoins).
     */
    private static final class BoundedRelationTable extends RelationTable
            implements org.apache.calcite.schema.TemporalTable {
        BoundedRelationTable(RelNode plan) {
            super(plan);
        }

        @Override
        public String getSysStartFieldName() {
            return "$brook_valid_from";
        }

        @Override
        public String getSysEndFieldName() {
            return "$brook_valid_to";
        }
    }

    /** A named relation: its plan, which a query over it embeds as is. */
    private static class RelationTable extends AbstractTable implements TranslatableTable {
        private final RelNode plan;

        RelationTable(RelNode plan) {
            this.plan = plan;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory) {
            return plan.getRowType();
        }

        @Override
        public RelNode toRel(RelOptTable.ToRelContext toRelContext, RelOptTable relOptTable) {
            return plan;
        }
    }

    /** Whether a type is a timestamp, as window table functions need. */
    static boolean isTimestamp(RelDataType type) {
        return type.getSqlTypeName() == SqlTypeName.TIMESTAMP
                || type.getSqlTypeName() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
    }
}
