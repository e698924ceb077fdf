package io.brook.engine.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type rules where Spark users expect Spark's: SUM over integers is BIGINT (Calcite keeps the input type and
 * overflows), AVG is DOUBLE, TIMESTAMP holds microseconds (precision 6, Calcite's default maximum is 3), and string
 * literals of different lengths in one CASE or UNION are VARCHAR, not blank-padded CHAR (as in Flink and Spark).
 */
public final class BrookTypeSystem extends RelDataTypeSystemImpl {
    public static final BrookTypeSystem INSTANCE = new BrookTypeSystem();

    private BrookTypeSystem() {}

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        SqlTypeName name = argumentType.getSqlTypeName();
        if (name == SqlTypeName.TINYINT
                || name == SqlTypeName.SMALLINT
                || name == SqlTypeName.INTEGER
                || name == SqlTypeName.BIGINT) {
            return typeFactory.createTypeWithNullability(
                    typeFactory.createSqlType(SqlTypeName.BIGINT), argumentType.isNullable());
        }
        return super.deriveSumType(typeFactory, argumentType);
    }

    /** AVG is DOUBLE for numbers that are not DOUBLE already, as in Spark (Calcite keeps an integer input's type). */
    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        if (SqlTypeName.NUMERIC_TYPES.contains(argumentType.getSqlTypeName())) {
            return typeFactory.createTypeWithNullability(
                    typeFactory.createSqlType(SqlTypeName.DOUBLE), argumentType.isNullable());
        }
        return super.deriveAvgAggType(typeFactory, argumentType);
    }

    /** {@code CASE ... THEN 'dayTime' ELSE 'otherTime' END} gives 'dayTime', not 'dayTime  ' (Nexmark q14). */
    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }

    @Override
    public int getMaxPrecision(SqlTypeName typeName) {
        if (typeName == SqlTypeName.TIMESTAMP || typeName == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
            return 6;
        }
        return super.getMaxPrecision(typeName);
    }
}
