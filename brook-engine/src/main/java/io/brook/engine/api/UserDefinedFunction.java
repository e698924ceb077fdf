package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.exec.UserFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A registered user-defined function, as Spark's {@code UserDefinedFunction}: {@link #apply} calls it on columns
 * ({@code shout.apply(col("name"))}). Immutable.
 */
public final class UserDefinedFunction {
    private final UserFunction function;

    UserDefinedFunction(UserFunction function) {
        this.function = function;
    }

    public String name() {
        return function.getName();
    }

    /** The function called on these columns; arguments of types no form takes are refused when the column resolves. */
    public Column apply(Column... arguments) {
        return Column.of(context -> {
            List<RexNode> operands = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<SqlTypeName> types = new ArrayList<>();
            for (Column argument : arguments) {
                Column.Named named = argument.resolve(context);
                operands.add(named.expression());
                names.add(named.name());
                types.add(named.expression().getType().getSqlTypeName());
            }
            if (function.match(types) == null) {
                throw new BrookException(
                        ErrorCode.TYPE_MISMATCH,
                        "cannot call " + function.getName() + " on " + names + " of types " + types + "; it takes "
                                + String.join(" or ", function.describeSignatures()));
            }
            RexNode call = context.builder().call(function, operands);
            return new Column.Named(call, function.getName() + "(" + String.join(", ", names) + ")");
        });
    }
}
