package io.brook.engine.batch;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch of rows as columns (the unit operators pass on), optionally with a selection vector: the ascending positions
 * of the rows still in the batch after a filter, so filtering copies nothing. {@link #compact} gathers the selected
 * rows into new columns when an operator wants them dense. Immutable.
 *
 * <p>A batch is either all insertions (the usual case) or all {@linkplain #retracting() retractions}: rows an updating
 * aggregation emitted earlier and now takes back, because a group's result changed (Flink's update-before). The kind
 * belongs to the whole batch, not to a column, so it stays out of every schema and costs nothing per row; stateless
 * operators carry it over with {@link #withKindOf}.
 */
public final class Batch {
    private final Schema schema;
    private final Column[] columns;
    private final int size;
    private final int[] selection;
    private final boolean retracting;

    private Batch(Schema schema, Column[] columns, int size, int[] selection, boolean retracting) {
        this.schema = schema;
        this.columns = columns;
        this.size = size;
        this.selection = selection;
        this.retracting = retracting;
    }

    /** A batch of these columns, which must match the schema's types and have one size. */
    public static Batch of(Schema schema, Column... columns) {
        requireNonNull(schema, "schema is null");
        if (columns.length != schema.size()) {
            throw new IllegalArgumentException(
                    "schema " + schema.names() + " has " + schema.size() + " columns; got " + columns.length);
        }
        int size = columns.length == 0 ? 0 : columns[0].size();
        for (int i = 0; i < columns.length; i++) {
            Field field = schema.field(i);
            if (columns[i].type() != field.type()) {
                throw new IllegalArgumentException("column '" + field.name() + "' is " + field.type() + " in the schema"
                        + " but the column holds " + columns[i].type());
            }
            if (columns[i] instanceof ArrayColumn array && !array.elementField().sameType(field.element())) {
                throw new IllegalArgumentException("column '" + field.name() + "' is " + field.typeName()
                        + " in the schema but the column holds arrays of "
                        + array.elementField().typeName());
            }
            if (columns[i] instanceof StructColumn struct
                    && !Field.struct(field.name(), struct.fields(), true).sameType(field)) {
                throw new IllegalArgumentException("column '" + field.name() + "' is " + field.typeName()
                        + " in the schema but the column holds "
                        + Field.struct(field.name(), struct.fields(), true).typeName());
            }
            if (columns[i].size() != size) {
                throw new IllegalArgumentException("column '" + field.name() + "' has " + columns[i].size()
                        + " positions; the first column has " + size);
            }
            if (!field.nullable() && columns[i].mayHaveNulls() && hasNull(columns[i])) {
                throw new IllegalArgumentException("column '" + field.name() + "' is not nullable but holds a null");
            }
        }
        return new Batch(schema, columns.clone(), size, null, false);
    }

    /**
     * These columns in place of this batch's, with its selection (read through {@link #position} as this batch is): for
     * a projection that only picks columns, so that it copies nothing. The columns must have this batch's size.
     */
    public Batch withColumns(Schema newSchema, Column... newColumns) {
        if (selection == null) {
            return of(newSchema, newColumns).withKindOf(this);
        }
        if (newColumns.length != newSchema.size()) {
            throw new IllegalArgumentException(
                    "schema " + newSchema.names() + " has " + newSchema.size() + " columns; got " + newColumns.length);
        }
        for (int i = 0; i < newColumns.length; i++) {
            Field field = newSchema.field(i);
            if (newColumns[i].type() != field.type() || newColumns[i].size() != size) {
                throw new IllegalArgumentException("column '" + field.name() + "' is " + field.type() + " of "
                        + size + " positions in the batch but the column holds " + newColumns[i].size() + " "
                        + newColumns[i].type());
            }
            // Only the selected rows are the batch's: a non-nullable field may hold nulls in the others.
            if (!field.nullable() && newColumns[i].mayHaveNulls()) {
                for (int position : selection) {
                    if (newColumns[i].isNull(position)) {
                        throw new IllegalArgumentException(
                                "column '" + field.name() + "' is not nullable but holds a null");
                    }
                }
            }
        }
        return new Batch(newSchema, newColumns.clone(), size, selection, retracting);
    }

    private static boolean hasNull(Column column) {
        for (int i = 0; i < column.size(); i++) {
            if (column.isNull(i)) {
                return true;
            }
        }
        return false;
    }

    public Schema schema() {
        return schema;
    }

    /** Whether the rows are retractions of rows emitted before, rather than new rows. */
    public boolean retracting() {
        return retracting;
    }

    /** The same rows as retractions. */
    public Batch asRetractions() {
        return retracting ? this : new Batch(schema, columns, size, selection, true);
    }

    /** This batch with the row kind of {@code source}: how an operator that builds new columns keeps the kind. */
    public Batch withKindOf(Batch source) {
        if (source.retracting == retracting) {
            return this;
        }
        return new Batch(schema, columns, size, selection, source.retracting);
    }

    /** The number of rows in the batch (selected rows when there is a selection). */
    public int rowCount() {
        return selection == null ? size : selection.length;
    }

    /** The column position of row {@code row} (they differ when there is a selection). */
    public int position(int row) {
        return selection == null ? row : selection[row];
    }

    public boolean hasSelection() {
        return selection != null;
    }

    /** The column at an index; with a selection, read it through {@link #position}. */
    public Column column(int index) {
        return columns[index];
    }

    /**
     * The rows at these positions of the columns (ascending, within the columns), e.g. those a filter keeps. With a
     * selection already, the positions must be among it.
     */
    public Batch select(int[] positions) {
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= size || (i > 0 && positions[i] <= positions[i - 1])) {
                throw new IllegalArgumentException(
                        "selected positions must ascend within 0.." + (size - 1) + ": " + Arrays.toString(positions));
            }
        }
        return new Batch(schema, columns, size, positions.clone(), retracting);
    }

    /** This batch with its selected rows gathered into new columns and no selection; itself when it has none. */
    public Batch compact() {
        if (selection == null) {
            return this;
        }
        Column[] gathered = new Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            gathered[i] = columns[i].gather(selection, 0, selection.length);
        }
        return new Batch(schema, gathered, selection.length, null, retracting);
    }

    /** The rows as lists of Java values, for tests, sinks and the console; not for operators. */
    public List<List<Object>> rows() {
        List<List<Object>> rows = new ArrayList<>(rowCount());
        for (int row = 0; row < rowCount(); row++) {
            List<Object> values = new ArrayList<>(columns.length);
            for (Column column : columns) {
                values.add(column.value(position(row)));
            }
            rows.add(values);
        }
        return rows;
    }
}
