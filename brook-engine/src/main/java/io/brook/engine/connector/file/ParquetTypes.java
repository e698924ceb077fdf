package io.brook.engine.connector.file;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.Optional;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.EnumLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
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
 * column optional. Reading also takes what other writers use for these values: float, int8/16 annotations, timestamps
 * in millis or nanos, ENUM and JSON text, and Spark's legacy INT96 timestamps.
 */
final class ParquetTypes {
    /** The name of the message type Brook writes, as Spark writes {@code spark_schema}. */
    static final String MESSAGE_NAME = "brook_schema";

    private ParquetTypes() {}

    /** The Parquet schema Brook writes for a schema. */
    static MessageType messageType(Schema schema) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Field field : schema.fields()) {
            message.addField(primitive(field.type()).named(field.name()));
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
            case ARRAY -> throw new IllegalArgumentException("the parquet format cannot write arrays yet");
        };
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
