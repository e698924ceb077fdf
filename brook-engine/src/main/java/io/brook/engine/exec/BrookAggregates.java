package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlAggFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.util.Optionality;

/**
 * Aggregate functions with Spark's semantics that Calcite lacks: {@code FIRST} and {@code LAST} (the first or last
 * value in input order; with IGNORE NULLS, the first or last non-null one), {@code APPROX_COUNT_DISTINCT} (a
 * HyperLogLog estimate), and {@code COLLECT_LIST} and {@code COLLECT_SET} (the values as an ARRAY). The Dataset API
 * builds calls to them with {@code RelBuilder.aggregateCall}; {@link Accumulators} recognises them by identity (FIRST,
 * LAST, COLLECT_LIST, COLLECT_SET) or class (APPROX_COUNT_DISTINCT, whose precision is part of the function).
 * Immutable and shared.
 */
public final class BrookAggregates {
    private static final int MIN_PRECISION = 4;
    private static final int MAX_PRECISION = 21;
    private static final ApproxCountDistinctFunction[] APPROX_COUNT_DISTINCT =
            new ApproxCountDistinctFunction[MAX_PRECISION + 1];

    static {
        for (int precision = MIN_PRECISION; precision <= MAX_PRECISION; precision++) {
            APPROX_COUNT_DISTINCT[precision] = new ApproxCountDistinctFunction(precision);
        }
    }

    /** The relative standard deviation of {@code approx_count_distinct} when none is given, as in Spark. */
    public static final double DEFAULT_RSD = 0.05;

    /** {@code FIRST(value)}: the value of the first row of the group; the argument's type, nullable. */
    public static final SqlAggFunction FIRST = new ValueAggregate("FIRST");

    /** {@code LAST(value)}: the value of the last row of the group; the argument's type, nullable. */
    public static final SqlAggFunction LAST = new ValueAggregate("LAST");

    /**
     * {@code COLLECT_LIST(value)}: the group's non-null values in input order (in a stream, earlier micro-batches'
     * first), as an ARRAY of the argument's type; an empty array for a group without one, as in Spark.
     */
    public static final SqlAggFunction COLLECT_LIST = new CollectAggregate("COLLECT_LIST");

    /**
     * {@code COLLECT_SET(value)}: as COLLECT_LIST without repeated values, each where it was first seen (Spark leaves
     * the order unspecified).
     */
    public static final SqlAggFunction COLLECT_SET = new CollectAggregate("COLLECT_SET");

    private BrookAggregates() {}

    /**
     * {@code APPROX_COUNT_DISTINCT(value)} with a relative standard deviation of at most {@code rsd}: HyperLogLog with
     * 2^p registers, p = ceil(2 * log2(1.106 / rsd)) as Spark computes it, from 4 (rsd 0.39) to 21 (rsd 0.00077).
     */
    public static SqlAggFunction approxCountDistinct(double rsd) {
        int precision = precision(rsd);
        return APPROX_COUNT_DISTINCT[precision];
    }

    static int precision(double rsd) {
        double bits = Math.ceil(2.0 * Math.log(1.106 / rsd) / Math.log(2.0));
        if (!(rsd > 0) || bits < MIN_PRECISION || bits > MAX_PRECISION) {
            throw new BrookException(
                    ErrorCode.INVALID_EXPRESSION,
                    "approx_count_distinct takes a relative standard deviation from 0.00077 to 0.39 (HyperLogLog with"
                            + " 4 to 21 bits of precision); got " + rsd);
        }
        return (int) bits;
    }

    /** FIRST or LAST: one argument of any type, its type (nullable) as the result; IGNORE NULLS allowed. */
    private static final class ValueAggregate extends SqlAggFunction {
        ValueAggregate(String name) {
            super(
                    name,
                    null,
                    SqlKind.OTHER_FUNCTION,
                    ReturnTypes.ARG0_FORCE_NULLABLE,
                    null,
                    OperandTypes.ANY,
                    SqlFunctionCategory.SYSTEM,
                    false,
                    false,
                    Optionality.FORBIDDEN);
        }

        @Override
        public boolean allowsNullTreatment() {
            return true;
        }
    }

    /** APPROX_COUNT_DISTINCT at one precision: BIGINT, never null (0 for a group without non-null values). */
    static final class ApproxCountDistinctFunction extends SqlAggFunction {
        private final int precision;

        ApproxCountDistinctFunction(int precision) {
            super(
                    "APPROX_COUNT_DISTINCT",
                    null,
                    SqlKind.OTHER_FUNCTION,
                    ReturnTypes.BIGINT,
                    null,
                    OperandTypes.ANY,
                    SqlFunctionCategory.NUMERIC,
                    false,
                    false,
                    Optionality.FORBIDDEN);
            this.precision = precision;
        }

        /** log2 of the number of HyperLogLog registers. */
        int precision() {
            return precision;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ApproxCountDistinctFunction that && that.precision == precision;
        }

        @Override
        public int hashCode() {
            return 31 * super.hashCode() + precision;
        }
    }

    /** COLLECT_LIST or COLLECT_SET: one argument, and an ARRAY of its type (elements nullable) as the result. */
    private static final class CollectAggregate extends SqlAggFunction {
        CollectAggregate(String name) {
            super(
                    name,
                    null,
                    SqlKind.OTHER_FUNCTION,
                    CollectAggregate::arrayOfArgument,
                    null,
                    OperandTypes.ANY,
                    SqlFunctionCategory.SYSTEM,
                    false,
                    false,
                    Optionality.FORBIDDEN);
        }

        private static RelDataType arrayOfArgument(SqlOperatorBinding binding) {
            RelDataTypeFactory types = binding.getTypeFactory();
            // Not null: a group whose values are all null collects an empty array.
            return types.createArrayType(types.createTypeWithNullability(binding.getOperandType(0), true), -1);
        }
    }
}
