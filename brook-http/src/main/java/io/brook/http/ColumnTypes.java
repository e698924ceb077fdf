package io.brook.http;

import io.brook.engine.api.Row;
import io.brook.engine.batch.Field;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL types of a result's columns. Rows the engine produced carry their schema; rows a session made itself (SHOW,
 * DESCRIBE) do not, and their types are read off the first non-null value of each column ({@code NULL} when there is
 * none, as in an empty SHOW).
 */
final class ColumnTypes {
    private ColumnTypes() {}

    static List<StatementResult.ColumnInfo> of(List<String> columns, List<Row> rows) {
        List<StatementResult.ColumnInfo> types = new ArrayList<>(columns.size());
        for (int c = 0; c < columns.size(); c++) {
            types.add(new StatementResult.ColumnInfo(columns.get(c), type(c, rows)));
        }
        return List.copyOf(types);
    }

    private static String type(int column, List<Row> rows) {
        for (Row row : rows) {
            if (row.schema() != null && column < row.schema().size()) {
                Field field = row.schema().field(column);
                return field.typeName();
            }
            if (column < row.size() && row.get(column) != null) {
                return typeOf(row.get(column));
            }
        }
        return "NULL";
    }

    private static String typeOf(Object value) {
        if (value instanceof String) {
            return "VARCHAR";
        } else if (value instanceof Integer) {
            return "INT";
        } else if (value instanceof Long) {
            return "BIGINT";
        } else if (value instanceof Double) {
            return "DOUBLE";
        } else if (value instanceof Float) {
            return "DOUBLE";
        } else if (value instanceof Boolean) {
            return "BOOLEAN";
        } else if (value instanceof Instant) {
            return "TIMESTAMP";
        } else if (value instanceof LocalDate) {
            return "DATE";
        } else if (value instanceof byte[]) {
            return "VARBINARY";
        } else if (value instanceof List) {
            return "ARRAY";
        } else if (value instanceof Row) {
            return "STRUCT";
        }
        return "VARCHAR";
    }
}
