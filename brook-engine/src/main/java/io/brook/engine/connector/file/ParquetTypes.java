package io.brook.engine.connector.file;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.Optional;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * How Brook's column types map to Parquet's, as Spark maps them: BOOLEAN boolean, INT int32, BIGINT int64, DOUBLE
 * double, VARCHAR binary (STRING), VARBINARY binary, DATE int32 (DATE), TIMESTAMP int64 (TIMESTAMP(MICROS, UTC)); every
 * column optional. An ARRAY is the standard three-level LIST, as Spark writes it: {@code optional group name (LIST) {
 * repeated group list { optional <element> element; } }}. Reading also takes what other writers use for these values:
 * float, int8/16 annotations, timestamps in millis or nanos, ENUM and JSON text, Spark's legacy INT96 timestamps, and
 * three-level LISTs whose levels have other names (not yet the older two-level form, {@code repeated <element> array}).
 */
final class ParquetTypes {
    /** The name of the message type Brook writes, as Spark writes {@code spark_schema}. */
    static final String MESSAGE_NAME = "brook_schema";

    private ParquetTypes() {}

    /** The Parquet schema Brook writes for a schema. */
    static MessageType messageType(Schema schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Field field : schema.fields()) {
            if (field.type() == ColumnType.ARRAY) {
                message.addField(Types.optionalGroup()
                        .as(LogicalTypeAnnotation.listType())
                        .addField(Types.repeatedGroup()
                                .addField(primitive(field.elementType()).named("element"))
                                .named("list"))
                        .named(field.name()));
            } else {
                message.addField(primitive(field.type()).named(field.name()));
            }
        }
        return message.named(MESSAGE_NAME);
    }

    private static Types.PrimitiveBuilder<PrimitiveType> primitive(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN);
            case INT -> Types.optional(PrimitiveTypeName.INT32);
            case BIGINT -> Types.optional(PrimitiveTypeName.INT64);
            case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE);
            case VARCHAR -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType());
            case VARBINARY -> Types.optional(PrimitiveTypeName.BINARY);
            case DATE -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType());
            case TIMESTAMP ->
                Types.optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
            case ARRAY -> throw new IllegalArgumentException("an ARRAY is a Parquet LIST group, not a primitive");
            case STRUCT -> throw new IllegalArgumentException("a STRUCT is a Parquet group, not a primitive");
        };
    }

    /**
     * The Brook field a Parquet column reads as (a scalar, or an ARRAY of a LIST of scalars), or empty when Brook
     * cannot read it (maps, structs, lists of lists, decimals...).
     */
    static Optional<Field> field(Type column) {
        if (column.isPrimitive()) {
            return columnType(column).map(type -> new Field(column.getName(), type, true));
        }
        return listElement(column)
                .flatMap(ParquetTypes::columnType)
                .map(element -> Field.array(column.getName(), element, true));
    }

    /**
     * The element of a three-level LIST column: the one field of its repeated group; empty when the column is not a
     * LIST of that shape.
     */
    static Optional<Type> listElement(Type column) {
        if (column.isPrimitive()
                || column.isRepetition(Type.Repetition.REPEATED)
                || !(column.getLogicalTypeAnnotation() instanceof ListLogicalTypeAnnotation)) {
            return Optional.empty();
        }
        GroupType list = column.asGroupType();
        if (list.getFieldCount() != 1 || !list.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            return Optional.empty();
        }
        Type repeated = list.getType(0);
        if (repeated.isPrimitive()) {
            return Optional.empty();
        }
        GroupType level = repeated.asGroupType();
        if (level.getFieldCount() != 1 || !level.getType(0).isPrimitive()) {
            return Optional.empty();
        }
        return Optional.of(level.getType(0));
    }

    /** The Brook type a Parquet column reads as, or empty when Brook cannot read it (nested, repeated, decimal...). */
    static Optional<ColumnType> columnType(Type field) {
        if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
            return Optional.empty();
        }
        PrimitiveType primitive = field.asPrimitiveType();
        LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
        return Optional.ofNullable(
                switch (primitive.getPrimitiveTypeName()) {
                    case BOOLEAN -> logical == null ? ColumnType.BOOLEAN : null;
                    case INT32 -> {
                        if (logical == null || isInt(logical, 32)) {
                            yield ColumnType.INT;
                        }
                        yield logical instanceof DateLogicalTypeAnnotation ? ColumnType.DATE : null;
                    }
                    case INT64 -> {
                        if (logical == null || isInt(logical, 64)) {
                            yield ColumnType.BIGINT;
                        }
                        yield logical instanceof TimestampLogicalTypeAnnotation ? ColumnType.TIMESTAMP : null;
                    }
                    case INT96 -> ColumnType.TIMESTAMP;
                    case FLOAT, DOUBLE -> logical == null ? ColumnType.DOUBLE : null;
                    case BINARY -> {
                        if (logical == null) {
                            yield ColumnType.VARBINARY;
                        }
                        yield logical instanceof StringLogicalTypeAnnotation
                                        || logical instanceof EnumLogicalTypeAnnotation
                                        || logical instanceof JsonLogicalTypeAnnotation
                                ? ColumnType.VARCHAR
                                : null;
                    }
                    case FIXED_LEN_BYTE_ARRAY -> null;
                });
    }

    private static boolean isInt(LogicalTypeAnnotation logical, int maxWidth) {
        // an unsigned int fits when it is narrower than the signed type that holds it
        return logical instanceof IntLogicalTypeAnnotation ints
                && (ints.isSigned() ? ints.getBitWidth() <= maxWidth : ints.getBitWidth() < maxWidth);
    }

    /**
     * Whether a column of a file's type can be read as the type a schema asks for: the same type, or a wider number
     * (INT as BIGINT or DOUBLE, BIGINT as DOUBLE), or VARCHAR and VARBINARY as each other (both are bytes).
     */
    static boolean canRead(ColumnType fileType, ColumnType wanted) {
        return fileType == wanted
                || (fileType == ColumnType.INT && (wanted == ColumnType.BIGINT || wanted == ColumnType.DOUBLE))
                || (fileType == ColumnType.BIGINT && wanted == ColumnType.DOUBLE)
                || (fileType.storedAsBytes() && wanted.storedAsBytes());
    }

    /** Whether a column of a file's field can be read as the field a schema asks for; arrays by their elements. */
    static boolean canRead(Field fileField, Field wanted) {
        if (fileField.type() == ColumnType.ARRAY || wanted.type() == ColumnType.ARRAY) {
            return fileField.type() == wanted.type() && canRead(fileField.elementType(), wanted.elementType());
        }
        return canRead(fileField.type(), wanted.type());
    }

    /** The field that holds a column that two files type differently, or empty when none does. */
    static Optional<Field> widen(Field a, Field b) {
        if (a.type() == ColumnType.ARRAY && b.type() == ColumnType.ARRAY) {
            return widen(a.elementType(), b.elementType()).map(element -> Field.array(a.name(), element, true));
        }
        if (a.type() == ColumnType.ARRAY || b.type() == ColumnType.ARRAY) {
            return Optional.empty();
        }
        return widen(a.type(), b.type()).map(type -> new Field(a.name(), type, true));
    }

    /** The type that holds a column that two files type differently, or empty when none does. */
    static Optional<ColumnType> widen(ColumnType a, ColumnType b) {
        if (a != b && a.storedAsBytes() && b.storedAsBytes()) {
            return Optional.of(ColumnType.VARBINARY);
        }
        if (canRead(a, b)) {
            return Optional.of(b);
        }
        if (canRead(b, a)) {
            return Optional.of(a);
        }
        return Optional.empty();
    }
}
