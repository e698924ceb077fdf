package io.brook.sql;

import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.api.Tables;
import java.util.List;

/**
 * What one statement did: a message (created, dropped, set), rows (a bounded query, SHOW, DESCRIBE), a plan (EXPLAIN),
 * or a continuous query it started (INSERT INTO, or a SELECT over a stream).
 */
public record SqlResult(String message, List<String> columns, List<Row> rows, StreamingQuery query) {
    public SqlResult {
        columns = columns == null ? List.of() : List.copyOf(columns);
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    static SqlResult message(String message) {
        return new SqlResult(message, null, null, null);
    }

    static SqlResult rows(List<String> columns, List<Row> rows) {
        return new SqlResult(null, columns, rows, null);
    }

    static SqlResult started(String message, StreamingQuery query) {
        return new SqlResult(message, null, null, query);
    }

    /** The result as the shell prints it. */
    public String render() {
        if (!columns.isEmpty()) {
            String table = Tables.format(columns.toArray(new String[0]), rows);
            return table + (rows.size() == 1 ? "1 row" : rows.size() + " rows");
        }
        return message == null ? "" : message;
    }
}
