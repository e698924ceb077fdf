package io.brook.engine.batch;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A column of STRUCT values: one child column per field, all of this column's size, and a null bitmap of the structs
 * themselves (a null struct's children hold nulls at its position). A {@link #region} is a region of every child;
 * {@link #gather} gathers every child.
 */
public final class StructColumn implements Column {
    private final List<Field> fields;
    private final Column[] children;
    private final int nullOffset;
    private final int size;
    private final Nulls nulls;

    StructColumn(List<Field> fields, Column[] children, int nullOffset, int size, Nulls nulls) {
        if (fields.size() != children.length) {
            throw new IllegalArgumentException(
                    "a struct of " + fields.size() + " fields needs as many children; got " + children.length);
        }
        for (int i = 0; i < children.length; i++) {
            if (children[i].type() != fields.get(i).type()) {
                throw new IllegalArgumentException(
                        "struct field '" + fields.get(i).name() + "' is "
                                + fields.get(i).type() + " but its column holds " + children[i].type());
            }
            if (children[i].size() != size) {
                throw new IllegalArgumentException("struct field '"
                        + fields.get(i).name() + "' has " + children[i].size() + " positions; the struct has " + size);
            }
        }
        this.fields = fields;
        this.children = children;
        this.nullOffset = nullOffset;
        this.size = size;
        this.nulls = nulls;
    }

    /**
     * A struct column made of existing field columns, not copied, null where {@code nullWhere} is null: for fields read
     * column by column (JSON's), which are themselves null wherever the struct is.
     */
    public static StructColumn over(List<Field> fields, Column[] children, Column nullWhere) {
        Nulls.Builder nulls = new Nulls.Builder();
        int size = nullWhere.size();
        for (int i = 0; i < size; i++) {
            if (nullWhere.isNull(i)) {
                nulls.set(i);
            }
        }
        return new StructColumn(List.copyOf(fields), children.clone(), 0, size, nulls.build());
    }

    /**
     * A column of these structs (each a list of its fields' Java values as {@link ColumnBuilder#appendObject} takes
     * them, or null).
     */
    public static StructColumn of(List<Field> fields, List<?>... structs) {
        Builder builder = builder(fields, structs.length);
        for (List<?> struct : structs) {
            builder.appendList(struct);
        }
        return builder.build();
    }

    @Override
    public ColumnType type() {
        return ColumnType.STRUCT;
    }

    /** The fields of the structs, in order (names and scalar types). */
    public List<Field> fields() {
        return fields;
    }

    /** The column of the values of a field, shared (not copied); null where the struct is null. */
    public Column child(int index) {
        return children[index];
    }

    public int childCount() {
        return children.length;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isNull(int position) {
        return nulls != null && nulls.isNull(nullOffset + position);
    }

    @Override
    public boolean mayHaveNulls() {
        return nulls != null;
    }

    @Override
    public StructColumn region(int offset, int length) {
        Column.checkRegion(size, offset, length);
        Column[] regions = new Column[children.length];
        for (int i = 0; i < children.length; i++) {
            regions[i] = children[i].region(offset, length);
        }
        return new StructColumn(fields, regions, nullOffset + offset, length, nulls);
    }

    @Override
    public StructColumn gather(int[] positions, int offset, int length) {
        Column[] gathered = new Column[children.length];
        for (int i = 0; i < children.length; i++) {
            gathered[i] = children[i].gather(positions, offset, length);
        }
        Nulls gatheredNulls = nulls == null ? null : nulls.gather(nullOffset, positions, offset, length);
        return new StructColumn(fields, gathered, 0, length, gatheredNulls);
    }

    /** The struct at a position as an unmodifiable list of its fields' Java values (in field order), or null. */
    @Override
    public List<Object> value(int position) {
        if (isNull(position)) {
            return null;
        }
        Object[] values = new Object[children.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = children[i].value(position);
        }
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    public static Builder builder(List<Field> fields, int expectedSize) {
        return new Builder(fields, expectedSize);
    }

    /**
     * Appends structs one by one: a value to every {@link #child} then {@link #endStruct()}; or {@link #appendNull()},
     * {@link #appendList} or {@link #append}. {@link #build} hands the columns over without a copy.
     */
    public static final class Builder {
        private final List<Field> fields;
        private final ColumnBuilder[] children;
        private int size;
        private final Nulls.Builder nulls = new Nulls.Builder();

        private Builder(List<Field> fields, int expectedSize) {
            requireNonNull(fields, "fields is null");
            this.fields = List.copyOf(fields);
            this.children = new ColumnBuilder[fields.size()];
            for (int i = 0; i < children.length; i++) {
                if (!fields.get(i).type().isScalar()) {
                    throw new IllegalArgumentException(
                            "struct field '" + fields.get(i).name() + "' must be of a scalar type, not "
                                    + fields.get(i).typeName());
                }
                children[i] = new ColumnBuilder(fields.get(i), expectedSize);
            }
        }

        public List<Field> fields() {
            return fields;
        }

        /** The builder of a field's values; append one to each, then {@link #endStruct()}. */
        public ColumnBuilder child(int index) {
            return children[index];
        }

        public int size() {
            return size;
        }

        /** Ends the struct whose field values were appended since the previous struct. */
        public Builder endStruct() {
            for (int i = 0; i < children.length; i++) {
                if (children[i].size() != size + 1) {
                    throw new IllegalStateException(
                            "struct field '" + fields.get(i).name() + "' has " + children[i].size()
                                    + " values; ending struct " + size + " needs " + (size + 1));
                }
            }
            size++;
            return this;
        }

        public Builder appendNull() {
            for (ColumnBuilder child : children) {
                child.appendNull();
            }
            nulls.set(size);
            return endStruct();
        }

        /** Appends a struct given as the list of its fields' Java values (in field order), or null. */
        public Builder appendList(List<?> values) {
            if (values == null) {
                return appendNull();
            }
            if (values.size() != children.length) {
                throw new IllegalArgumentException(
                        "a struct of " + children.length + " fields needs as many values; got " + values);
            }
            for (int i = 0; i < children.length; i++) {
                children[i].appendObject(values.get(i));
            }
            return endStruct();
        }

        /** Appends a copy of the struct at a position of another struct column of the same fields. */
        public Builder append(StructColumn source, int position) {
            if (source.isNull(position)) {
                return appendNull();
            }
            for (int i = 0; i < children.length; i++) {
                children[i].append(source.children[i], position);
            }
            return endStruct();
        }

        public StructColumn build() {
            Column[] built = new Column[children.length];
            for (int i = 0; i < children.length; i++) {
                built[i] = children[i].build();
            }
            return new StructColumn(fields, built, 0, size, nulls.build());
        }
    }
}
