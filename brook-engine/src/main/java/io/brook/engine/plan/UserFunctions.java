package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.exec.UserFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;

/**
 * The user-defined functions of one session ({@code CREATE FUNCTION}, {@code brook.udf().register}), by name in any
 * case, as SQL's built-in functions are named; an operator table that SQL text and the Dataset API's expressions
 * both look functions up in. A user function cannot take a built-in function's name. Thread-safe; nothing is
 * persisted: a restarted query's script registers its functions again.
 */
public final class UserFunctions {
    private final Map<String, UserFunction> functions = new ConcurrentHashMap<>();

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Adds a function, or replaces one of the same name when {@code replace} is set.
     *
     * @throws BrookException when a built-in function has the name, or (without replace) a user function does
     */
    public void register(UserFunction function, boolean replace) {
        String name = function.getName();
        if (isBuiltIn(name)) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "'" + name + "' is a built-in function; give the user-defined function another name");
        }
        if (replace) {
            functions.put(key(name), function);
            return;
        }
        UserFunction existing = functions.putIfAbsent(key(name), function);
        if (existing != null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "function '" + existing.getName() + "' already exists (" + existing.origin() + "); DROP FUNCTION "
                            + existing.getName() + " first, or use IF NOT EXISTS");
        }
    }

    /** Removes a function; whether there was one. */
    public boolean drop(String name) {
        return functions.remove(key(name)) != null;
    }

    /** The function of this name (in any case), or null. */
    public UserFunction get(String name) {
        return functions.get(key(name));
    }

    /** The functions, sorted by name. */
    public List<UserFunction> list() {
        List<UserFunction> list = new ArrayList<>(functions.values());
        list.sort((a, b) -> key(a.getName()).compareTo(key(b.getName())));
        return list;
    }

    /** Whether SQL has a built-in function of this name. */
    public static boolean isBuiltIn(String name) {
        List<SqlOperator> found = new ArrayList<>();
        ExpressionParser.builtInOperatorTable()
                .lookupOperatorOverloads(
                        new SqlIdentifier(name, SqlParserPos.ZERO),
                        SqlFunctionCategory.USER_DEFINED_FUNCTION,
                        SqlSyntax.FUNCTION,
                        found,
                        SqlNameMatchers.withCaseSensitive(false));
        return !found.isEmpty();
    }

    /** The names of SQL's built-in functions (those called with parentheses), in lower case, sorted. */
    public static SortedSet<String> builtInNames() {
        SortedSet<String> names = new TreeSet<>();
        for (SqlOperator operator : ExpressionParser.builtInOperatorTable().getOperatorList()) {
            String name = operator.getName().toLowerCase(Locale.ROOT);
            if (operator instanceof SqlFunction
                    && operator.getSyntax() == SqlSyntax.FUNCTION
                    && name.matches("[a-z_][a-z0-9_]*")) {
                names.add(name);
            }
        }
        return names;
    }

    /** The functions as an operator table (a view: functions registered later are found too). */
    SqlOperatorTable operatorTable() {
        return new SqlOperatorTable() {
            @Override
            public void lookupOperatorOverloads(
                    SqlIdentifier name,
                    SqlFunctionCategory category,
                    SqlSyntax syntax,
                    List<SqlOperator> operators,
                    SqlNameMatcher nameMatcher) {
                if (name.isSimple() && (syntax == SqlSyntax.FUNCTION || syntax == SqlSyntax.FUNCTION_ID)) {
                    UserFunction function = functions.get(key(name.getSimple()));
                    if (function != null) {
                        operators.add(function);
                    }
                }
            }

            @Override
            public List<SqlOperator> getOperatorList() {
                return List.copyOf(list());
            }
        };
    }
}
