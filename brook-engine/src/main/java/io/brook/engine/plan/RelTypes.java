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
 * microseconds in batches and precision 6 in Calcite. ARRAY is Calcite's ARRAY of a scalar component type, whose
 * elements are always nullable (Brook keeps no "contains null" flag); arrays of arrays, of rows or of maps are refused.
 */
public final class RelTypes {
    private RelTypes() {}

    public static RelDataType toRowType(RelDataTypeFactory factory, Schema schema) {
        RelDataTypeFactory.Builder builder = factory.builder();
        for (Field field : schema.fields()) {
            RelDataType type = field.type() == ColumnType.ARRAY
                    ? arrayType(factory, field.elementType())
                    : sqlType(factory, field.type());
            builder.add(field.name(), factory.createTypeWithNullability(type, field.nullable()));
        }
        return builder.build();
    }

    /** Calcite's type of arrays of a scalar type, elements nullable. */
    public static RelDataType arrayType(RelDataTypeFactory factory, ColumnType elementType) {
        RelDataType element = factory.createTypeWithNullability(sqlType(factory, elementType), true);
        return factory.createArrayType(element, -1);
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
            case ARRAY -> throw new IllegalArgumentException("an ARRAY's Calcite type needs its element type");
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
            fields.add(field(field.getName(), field.getType()));
        }
        return new Schema(fields);
    }

    /**
     * The batch field of a column of a Calcite type.
     *
     * @throws IllegalArgumentException naming the column, for a type batches cannot hold (yet)
     */
    public static Field field(String name, RelDataType type) {
        ColumnType columnType = columnType(name, type);
        return new Field(
                name, columnType, type.isNullable(), columnType == ColumnType.ARRAY ? elementType(name, type) : null);
    }

    /**
     * The column type that holds values of a Calcite type.
     *
     * @param column names the column (or expression) in the message when batches cannot hold the type
     */
    public static ColumnType columnType(String column, RelDataType type) {
        if (type.getSqlTypeName() == SqlTypeName.ARRAY) {
            // Checked here, so that no path takes an array of arrays for an array it can hold.
            elementType(column, type);
            return ColumnType.ARRAY;
        }
        ColumnType scalar = scalarType(type.getSqlTypeName());
        if (scalar == null) {
            throw new IllegalArgumentException(
                    "column '" + column + "' has type " + type + ", which Brook cannot hold yet");
        }
        return scalar;
    }

    /**
     * The scalar column type of the elements of a Calcite ARRAY type.
     *
     * @throws IllegalArgumentException naming the column, for elements that are arrays or another type batches cannot
     *     hold
     */
    public static ColumnType elementType(String column, RelDataType arrayType) {
        RelDataType component = arrayType.getComponentType();
        if (arrayType.getSqlTypeName() != SqlTypeName.ARRAY || component == null) {
            throw new IllegalArgumentException("column '" + column + "' has type " + arrayType + ", not an array");
        }
        ColumnType element = scalarType(component.getSqlTypeName());
        if (element == null) {
            throw new IllegalArgumentException("column '" + column + "' has type " + arrayType.getFullTypeString()
                    + ", which Brook cannot hold yet: arrays hold BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR, VARBINARY,"
                    + " DATE or TIMESTAMP elements, not arrays, rows or maps");
        }
        return element;
    }

    /** The scalar column type of a Calcite type name; null for anything else. */
    private static ColumnType scalarType(SqlTypeName name) {
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
            default -> null;
        };
    }
}
