package io.brook.engine.plan;

import io.brook.engine.exec.BrookOperators;
import java.util.List;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlOperatorTables;

/** The functions Brook adds to Calcite's, for SQL text: those Spark users know, with Spark's semantics. */
public final class BrookFunctions {
    private static final List<SqlOperator> OPERATORS = List.copyOf(BrookOperators.ALL);

    private BrookFunctions() {}

    static SqlOperatorTable operatorTable() {
        return SqlOperatorTables.of(OPERATORS);
    }
}
