package io.brook.engine.batch;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A named, typed column of a schema, or a part of a nested type. An ARRAY column also describes its elements by an
 * {@code element} field (named {@code element}, always nullable: an element may be null whatever {@code nullable} says,
 * which is about the arrays), of a scalar type or a STRUCT of scalars. A STRUCT column describes its fields by its
 * {@code children}: at least one, distinct names, each of a scalar type. Every other column has no element and no
 * children.
 */
public record Field(String name, ColumnType type, boolean nullable, Field element, List<Field> children) {
    public Field {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        children = children == null ? List.of() : List.copyOf(children);
        if (type == ColumnType.ARRAY) {
            if (element == null) {
                throw new IllegalArgumentException("array column '" + name + "' needs a scalar element type; got null");
            }
            if (element.type() == ColumnType.ARRAY) {
                throw new IllegalArgumentException("array column '" + name + "' cannot hold arrays ("
                        + element.typeName() + "): arrays of arrays are not supported yet");
            }
        } else if (element != null) {
            throw new IllegalArgumentException(
                    "column '" + name + "' is " + type + ", which has no element type; got " + element.typeName());
        }
        if (type == ColumnType.STRUCT) {
            throwIfStructFieldsInvalid(name, children);
        } else if (!children.isEmpty()) {
            throw new IllegalArgumentException(
                    "column '" + name + "' is " + type + ", which has no fields; got " + children.size());
        }
    }

    private static void throwIfStructFieldsInvalid(String name, List<Field> children) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException("struct column '" + name + "' needs at least one field");
        }
        Set<String> names = new HashSet<>();
        for (Field child : children) {
            if (!child.type().isScalar()) {
                throw new IllegalArgumentException("struct column '" + name + "' cannot hold field '" + child.name()
                        + "' of type " + child.typeName() + ": struct fields must be of a scalar type yet");
            }
            if (!names.add(child.name())) {
                throw new IllegalArgumentException(
                        "struct column '" + name + "' has two fields named '" + child.name() + "'");
            }
        }
    }

    /** A scalar column. */
    public Field(String name, ColumnType type, boolean nullable) {
        this(name, type, nullable, null, List.of());
    }

    /** An ARRAY column of elements of a scalar type (null for any other type). */
    public Field(String name, ColumnType type, boolean nullable, ColumnType elementType) {
        this(name, type, nullable, elementType == null ? null : element(elementType), List.of());
    }

    /** An ARRAY column of elements of a scalar type (structs: {@link #arrayOf}). */
    public static Field array(String name, ColumnType elementType, boolean nullable) {
        if (elementType == null || !elementType.isScalar()) {
            throw new IllegalArgumentException(
                    "array column '" + name + "' needs a scalar element type; got " + elementType);
        }
        return new Field(name, ColumnType.ARRAY, nullable, element(elementType), List.of());
    }

    /** An ARRAY column of elements described by a field (of a scalar type or a STRUCT; its name becomes element). */
    public static Field arrayOf(String name, Field element, boolean nullable) {
        return new Field(
                name, ColumnType.ARRAY, nullable, element.withName("element").withNullable(true), List.of());
    }

    /** A STRUCT column of these fields, in order. */
    public static Field struct(String name, List<Field> children, boolean nullable) {
        return new Field(name, ColumnType.STRUCT, nullable, null, children);
    }

    private static Field element(ColumnType elementType) {
        if (!elementType.isScalar()) {
            throw new IllegalArgumentException(
                    "an element type given as a ColumnType must be scalar, not " + elementType + "; use arrayOf");
        }
        return new Field("element", elementType, true);
    }

    /** The type of the elements of an ARRAY; null for any other type. */
    public ColumnType elementType() {
        return element == null ? null : element.type();
    }

    /** This field under another nullability. */
    public Field withNullable(boolean newNullable) {
        return new Field(name, type, newNullable, element, children);
    }

    /** This field under another name. */
    public Field withName(String newName) {
        return new Field(newName, type, nullable, element, children);
    }

    /** Whether values of this field and another have the same type, nested types included (names of struct fields too). */
    public boolean sameType(Field other) {
        if (type != other.type || children.size() != other.children.size()) {
            return false;
        }
        if (element != null && !element.sameType(other.element)) {
            return false;
        }
        for (int i = 0; i < children.size(); i++) {
            if (!children.get(i).name().equals(other.children.get(i).name())
                    || !children.get(i).sameType(other.children.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The index of the struct field of this name, or -1. */
    public int childIndex(String childName) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).name().equals(childName)) {
                return i;
            }
        }
        return -1;
    }

    /** The type for messages: {@code BIGINT}, {@code ARRAY<VARCHAR>}, {@code STRUCT<key: VARCHAR, value: VARBINARY>}. */
    public String typeName() {
        return switch (type) {
            case ARRAY -> "ARRAY<" + element.typeName() + ">";
            case STRUCT -> {
                StringBuilder text = new StringBuilder("STRUCT<");
                for (int i = 0; i < children.size(); i++) {
                    text.append(i == 0 ? "" : ", ")
                            .append(children.get(i).name())
                            .append(": ")
                            .append(children.get(i).typeName());
                }
                yield text.append('>').toString();
            }
            default -> type.name();
        };
    }

    /** The type as Spark names it in DDL and messages: {@code bigint}, {@code array<struct<key:string,value:binary>>}. */
    public String sparkTypeName() {
        return switch (type) {
            case ARRAY -> "array<" + element.sparkTypeName() + ">";
            case STRUCT -> {
                StringBuilder text = new StringBuilder("struct<");
                for (int i = 0; i < children.size(); i++) {
                    text.append(i == 0 ? "" : ",")
                            .append(children.get(i).name())
                            .append(':')
                            .append(children.get(i).sparkTypeName());
                }
                yield text.append('>').toString();
            }
            case VARCHAR -> "string";
            case VARBINARY -> "binary";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }
}
