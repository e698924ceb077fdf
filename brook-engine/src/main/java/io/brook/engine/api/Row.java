package io.brook.engine.api;

import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.StructColumn;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One row of a Dataset's result, as Spark's {@code Row}: values by position or name. TIMESTAMP values are
 * {@link Instant}s, DATE values {@link LocalDate}s, VARCHAR values Strings, VARBINARY values {@code byte[]}, ARRAY
 * values unmodifiable {@link List}s of such values, STRUCT values Rows (whose schema names the struct's fields). Equality compares the values only (byte arrays by content), so a
 * test can compare with {@code Row.of(...)}.
 */
public final class Row {
    private final Schema schema;
    private final List<Object> values;

    private Row(Schema schema, List<Object> values) {
        this.schema = schema;
        this.values = values;
    }

    /** A row of these values without a schema (for expectations in tests, and {@code createDataFrame}). */
    public static Row of(Object... values) {
        return new Row(null, Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values))));
    }

    static List<Row> fromBatch(Batch batch) {
        Schema schema = batch.schema();
        List<Row> rows = new ArrayList<>(batch.rowCount());
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            Object[] values = new Object[schema.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = javaValue(batch.column(i), position);
            }
            rows.add(new Row(schema, Collections.unmodifiableList(Arrays.asList(values))));
        }
        return rows;
    }

    static Object javaValue(Column column, int position) {
        if (column instanceof StructColumn struct) {
            if (struct.isNull(position)) {
                return null;
            }
            Object[] fields = new Object[struct.childCount()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = javaValue(struct.child(i), position);
            }
            return new Row(new Schema(struct.fields()), Collections.unmodifiableList(Arrays.asList(fields)));
        }
        if (column instanceof ArrayColumn array) {
            if (array.isNull(position)) {
                return null;
            }
            Object[] elements = new Object[array.length(position)];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = javaValue(array.elements(), array.start(position) + i);
            }
            return Collections.unmodifiableList(Arrays.asList(elements));
        }
        Object value = column.value(position);
        if (value == null) {
            return null;
        }
        if (column.type() == ColumnType.TIMESTAMP) {
            long micros = (Long) value;
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        }
        if (column.type() == ColumnType.DATE) {
            return LocalDate.ofEpochDay((Integer) value);
        }
        return value;
    }

    public int size() {
        return values.size();
    }

    public int length() {
        return values.size();
    }

    /** The schema of the Dataset this row came from; null for rows made with {@link #of}. */
    public Schema schema() {
        return schema;
    }

    public Object get(int index) {
        return values.get(index);
    }

    public boolean isNullAt(int index) {
        return values.get(index) == null;
    }

    @SuppressWarnings("unchecked")
    public <T> T getAs(String name) {
        if (schema == null) {
            throw new IllegalStateException("this row has no schema; read it by position");
        }
        return (T) values.get(schema.indexOf(name));
    }

    @SuppressWarnings("unchecked")
    public <T> T getAs(int index) {
        return (T) values.get(index);
    }

    public byte[] getBinary(int index) {
        return (byte[]) values.get(index);
    }

    public String getString(int index) {
        return (String) values.get(index);
    }

    public long getLong(int index) {
        return ((Number) values.get(index)).longValue();
    }

    public int getInt(int index) {
        return ((Number) values.get(index)).intValue();
    }

    public double getDouble(int index) {
        return ((Number) values.get(index)).doubleValue();
    }

    public boolean getBoolean(int index) {
        return (Boolean) values.get(index);
    }

    public Instant getTimestamp(int index) {
        return (Instant) values.get(index);
    }

    public List<Object> values() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Row row && Arrays.deepEquals(values.toArray(), row.values.toArray());
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values.toArray());
    }

    /** As Spark prints a row: {@code [a,1,null]}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : ",").append(format(values.get(i)));
        }
        return text.append(']').toString();
    }

    /**
     * A Java value as {@link io.brook.engine.batch.ColumnBuilder#appendObject} takes it: a struct's Row as the list of
     * its values, in arrays too; anything else as it is.
     */
    static Object toBatchValue(Object value) {
        if (value instanceof Row row) {
            List<Object> fields = new ArrayList<>(row.size());
            for (Object field : row.values) {
                fields.add(toBatchValue(field));
            }
            return fields;
        }
        if (value instanceof List<?> list) {
            List<Object> elements = new ArrayList<>(list.size());
            for (Object element : list) {
                elements.add(toBatchValue(element));
            }
            return elements;
        }
        return value;
    }

    /**
     * A value as Spark shows it; bytes in hex as {@code [4B 61]}, arrays as {@code [a, null, c]}, structs as
     * {@code {a, 1}}.
     */
    static String format(Object value) {
        if (value instanceof Row row) {
            StringBuilder text = new StringBuilder("{");
            for (int i = 0; i < row.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(format(row.get(i)));
            }
            return text.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(format(list.get(i)));
            }
            return text.append(']').toString();
        }
        if (value instanceof byte[] bytes) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < bytes.length; i++) {
                text.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xff));
            }
            return text.append(']').toString();
        }
        return String.valueOf(value);
    }
}
