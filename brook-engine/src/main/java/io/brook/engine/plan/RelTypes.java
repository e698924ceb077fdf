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
 * microseconds in batches and precision 6 in Calcite. ARRAY is Calcite's ARRAY of a scalar or ROW component type,
 * whose elements are always nullable (Brook keeps no "contains null" flag); STRUCT is Calcite's ROW (a struct type) of
 * scalar fields. Arrays of arrays or maps, and rows holding arrays or rows, are refused.
 */
public final class RelTypes {
    private RelTypes() {}

    public static RelDataType toRowType(RelDataTypeFactory factory, Schema schema) {
        RelDataTypeFactory.Builder builder = factory.builder();
        for (Field field : schema.fields()) {
            builder.add(field.name(), relType(factory, field));
        }
        return builder.build();
    }

    /** Calcite's type of a field's values, with its nullability: ARRAY of its element, STRUCT as a ROW. */
    public static RelDataType relType(RelDataTypeFactory factory, Field field) {
        RelDataType type = switch (field.type()) {
            case ARRAY -> factory.createArrayType(relType(factory, field.element()), -1);
            case STRUCT -> {
                List<RelDataType> types = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (Field child : field.children()) {
                    types.add(relType(factory, child));
                    names.add(child.name());
                }
                yield factory.createStructType(types, names);
            }
            default -> sqlType(factory, field.type());
        };
        return factory.createTypeWithNullability(type, field.nullable());
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
            case ARRAY, STRUCT ->
                throw new IllegalArgumentException("an " + type + "'s Calcite type needs its field: use relType");
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
        return switch (columnType) {
            case ARRAY -> Field.arrayOf(name, field("element", type.getComponentType()), type.isNullable());
            case STRUCT -> {
                List<Field> children = new ArrayList<>();
                for (RelDataTypeField child : type.getFieldList()) {
                    children.add(field(child.getName(), child.getType()));
                }
                yield Field.struct(name, children, type.isNullable());
            }
            default -> new Field(name, columnType, type.isNullable());
        };
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
        if (type.isStruct()) {
            // Checked here, so that no path takes a row of arrays or rows for a struct it can hold.
            throwIfStructFieldsInvalid(column, type);
            return ColumnType.STRUCT;
        }
        ColumnType scalar = scalarType(type.getSqlTypeName());
        if (scalar == null) {
            throw new IllegalArgumentException(
                    "column '" + column + "' has type " + type + ", which Brook cannot hold yet");
        }
        return scalar;
    }

    private static void throwIfStructFieldsInvalid(String column, RelDataType rowType) {
        for (RelDataTypeField child : rowType.getFieldList()) {
            if (scalarType(child.getType().getSqlTypeName()) == null) {
                throw new IllegalArgumentException("column '" + column + "' has type " + rowType.getFullTypeString()
                        + ", which Brook cannot hold yet: struct fields are BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR,"
                        + " VARBINARY, DATE or TIMESTAMP, not arrays, structs or maps; field '" + child.getName()
                        + "' is " + child.getType().getFullTypeString());
            }
        }
    }

    /**
     * The column type of the elements of a Calcite ARRAY type: a scalar type, or STRUCT (a row of scalars).
     *
     * @throws IllegalArgumentException naming the column, for elements that are arrays or another type batches cannot
     *     hold
     */
    public static ColumnType elementType(String column, RelDataType arrayType) {
        RelDataType component = arrayType.getComponentType();
        if (arrayType.getSqlTypeName() != SqlTypeName.ARRAY || component == null) {
            throw new IllegalArgumentException("column '" + column + "' has type " + arrayType + ", not an array");
        }
        if (component.isStruct()) {
            throwIfStructFieldsInvalid(column, component);
            return ColumnType.STRUCT;
        }
        ColumnType element = scalarType(component.getSqlTypeName());
        if (element == null) {
            throw new IllegalArgumentException("column '" + column + "' has type " + arrayType.getFullTypeString()
                    + ", which Brook cannot hold yet: arrays hold BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR, VARBINARY,"
                    + " DATE or TIMESTAMP elements, or structs of those, not arrays or maps");
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
