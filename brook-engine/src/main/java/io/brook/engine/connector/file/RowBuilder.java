package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.file.FileOptions.ParseMode;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Collects one file's rows into columns, applying the parse mode to bad records and bad values: PERMISSIVE keeps the row
 * with NULLs, DROPMALFORMED drops it, FAILFAST throws naming the file, line and column. Used by one reader at a time.
 */
final class RowBuilder {
    private final Path file;
    private final Schema schema;
    private final ParseMode mode;
    private final ColumnBuilder[] builders;
    private final Object[] row;
    private boolean drop;

    RowBuilder(Path file, Schema schema, ParseMode mode) {
        this.file = file;
        this.schema = schema;
        this.mode = mode;
        this.builders = new ColumnBuilder[schema.size()];
        for (int i = 0; i < builders.length; i++) {
            builders[i] = new ColumnBuilder(schema.field(i), 16);
        }
        this.row = new Object[schema.size()];
    }

    /** Sets a value of the current row: a converted value, null, or {@link Values#INVALID} with the text it came from. */
    void set(int column, Object value, int line, Object source) {
        if (value == Values.INVALID) {
            if (mode == ParseMode.FAILFAST) {
                throw new BrookException(
                        ErrorCode.SOURCE_FAILED,
                        "file " + file + " line " + line + ": column '"
                                + schema.field(column).name() + "' ("
                                + schema.field(column).typeName() + ") cannot hold " + source
                                + "; mode FAILFAST stops at the first bad value (PERMISSIVE, the default, reads it as"
                                + " NULL)");
            }
            drop |= mode == ParseMode.DROPMALFORMED;
            row[column] = null;
            return;
        }
        row[column] = value;
    }

    /** Ends the current row: appends it, unless it was dropped. */
    void endRow() {
        if (!drop) {
            for (int i = 0; i < builders.length; i++) {
                builders[i].appendObject(row[i]);
            }
        }
        Arrays.fill(row, null);
        drop = false;
    }

    /** A record that does not parse at all: a row of NULLs, dropped, or an error. */
    void malformed(int line, String reason) {
        if (mode == ParseMode.FAILFAST) {
            throw malformedRecord(file, line, reason);
        }
        Arrays.fill(row, null);
        drop = mode == ParseMode.DROPMALFORMED;
        endRow();
    }

    static BrookException malformedRecord(Path file, int line, String reason) {
        return new BrookException(
                ErrorCode.SOURCE_FAILED,
                "file " + file + " line " + line + ": malformed record: " + reason
                        + "; mode FAILFAST stops at the first malformed record (PERMISSIVE, the default, reads it as"
                        + " NULLs)");
    }

    Batch build() {
        Column[] columns = new Column[builders.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = builders[i].build();
        }
        return Batch.of(schema, columns);
    }
}
