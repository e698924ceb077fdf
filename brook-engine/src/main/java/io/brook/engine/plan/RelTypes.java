package io.brook.engine.plan;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Brook's column types and Calcite's row types, both ways: a batch schema becomes the row type of a table in the
 * logical plan, and a plan's row type becomes the schema of the batches its operators produce. TIMESTAMP carries
 * microseconds in batches and precision 6 in Calcite.
 */
public final class RelTypes {
    private RelTypes() {}

    public static RelDataType toRowType(RelDataTypeFactory factory, Schema schema) {
        RelDataTypeFactory.Builder builder = factory.builder();
        for (Field field : schema.fields()) {
            RelDataType type = sqlType(factory, field.type());
            builder.add(field.name(), factory.createTypeWithNullability(type, field.nullable()));
        }
        return builder.build();
    }

    private static RelDataType sqlType(RelDataTypeFactory factory, ColumnType type) {
        return switch (type) {
            case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case INT -> factory.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case VARCHAR -> factory.createSqlType(SqlTypeName.VARCHAR);
            case VARBINARY -> factory.createSqlType(SqlTypeName.VARBINARY);
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, 6);
        };
    }

    /**
     * The batch schema of a plan's row type.
     *
     * @throws IllegalArgumentException naming the column, for a type batches cannot hold (yet)
     */
    public static Schema toSchema(RelDataType rowType) {
        List<Field> fields = new ArrayList<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            fields.add(new Field(
                    field.getName(),
                    columnType(field.getName(), field.getType()),
                    field.getType().isNullable()));
        }
        return new Schema(fields);
    }

    /**
     * The column type that holds values of a Calcite type.
     *
     * @param column names the column (or expression) in the message when batches cannot hold the type
     */
    public static ColumnType columnType(String column, RelDataType type) {
        SqlTypeName name = type.getSqlTypeName();
        return switch (name) {
            case BOOLEAN -> ColumnType.BOOLEAN;
            case TINYINT, SMALLINT, INTEGER -> ColumnType.INT;
            case BIGINT -> ColumnType.BIGINT;
            // DECIMAL is computed as DOUBLE until batches hold exact decimals.
            case FLOAT, REAL, DOUBLE, DECIMAL -> ColumnType.DOUBLE;
            case CHAR, VARCHAR -> ColumnType.VARCHAR;
            case BINARY, VARBINARY -> ColumnType.VARBINARY;
            case DATE -> ColumnType.DATE;
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> ColumnType.TIMESTAMP;
            default ->
                throw new IllegalArgumentException(
                        "column '" + column + "' has type " + type + ", which Brook cannot hold yet");
        };
    }
}
