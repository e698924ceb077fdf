package io.brook.engine.batch;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A named, typed column of a schema. An ARRAY column also names the scalar type of its elements, which may be null
 * whatever {@code nullable} says (that is about the arrays); every other column has no element type.
 */
public record Field(String name, ColumnType type, boolean nullable, ColumnType elementType) {
    public Field {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        if (type == ColumnType.ARRAY && (elementType == null || !elementType.isScalar())) {
            throw new IllegalArgumentException(
                    "array column '" + name + "' needs a scalar element type; got " + elementType);
        }
        if (type != ColumnType.ARRAY && elementType != null) {
            throw new IllegalArgumentException(
                    "column '" + name + "' is " + type + ", which has no element type; got " + elementType);
        }
    }

    /** A scalar column. */
    public Field(String name, ColumnType type, boolean nullable) {
        this(name, type, nullable, null);
    }

    /** An ARRAY column of elements of a scalar type. */
    public static Field array(String name, ColumnType elementType, boolean nullable) {
        return new Field(name, ColumnType.ARRAY, nullable, elementType);
    }

    /** This field under another nullability. */
    public Field withNullable(boolean newNullable) {
        return new Field(name, type, newNullable, elementType);
    }

    /** The type for messages: {@code BIGINT}, or {@code ARRAY<VARCHAR>}. */
    public String typeName() {
        return type == ColumnType.ARRAY ? "ARRAY<" + elementType + ">" : type.name();
    }

    /** The type as Spark names it in DDL and messages: {@code bigint}, {@code array<string>}. */
    public String sparkTypeName() {
        return type == ColumnType.ARRAY ? "array<" + sparkName(elementType) + ">" : sparkName(type);
    }

    private static String sparkName(ColumnType type) {
        return switch (type) {
            case VARCHAR -> "string";
            case VARBINARY -> "binary";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }
}
