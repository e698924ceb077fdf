package io.brook.engine.plan;

import io.brook.engine.exec.BrookOperators;
import java.util.List;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * The functions Brook adds to Calcite's, for SQL text: those Spark users know, with Spark's semantics. Function names
 * match in any case ({@code get_json_object}, {@code GET_JSON_OBJECT}), as Calcite's own do, although column names
 * are case-sensitive.
 */
public final class BrookFunctions {
    private static final SqlOperatorTable OPERATORS = SqlOperatorTables.of(List.copyOf(BrookOperators.ALL));

    private BrookFunctions() {}

    static SqlOperatorTable operatorTable() {
        return new SqlOperatorTable() {
            @Override
            public void lookupOperatorOverloads(
                    SqlIdentifier name,
                    SqlFunctionCategory category,
                    SqlSyntax syntax,
                    List<SqlOperator> operators,
                    SqlNameMatcher nameMatcher) {
                OPERATORS.lookupOperatorOverloads(
                        name, category, syntax, operators, SqlNameMatchers.withCaseSensitive(false));
            }

            @Override
            public List<SqlOperator> getOperatorList() {
                return OPERATORS.getOperatorList();
            }
        };
    }
}
