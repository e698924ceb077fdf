package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.Row;
import io.brook.sql.SqlResult;
import java.util.List;
import java.util.Locale;

/**
 * What one statement did, as the HTTP API reports it. {@code kind} says which fields matter: {@code message} (CREATE,
 * SET, EXPLAIN ...: {@code message}), {@code rows} (a bounded SELECT, SHOW, DESCRIBE: {@code columns} and {@code rows}),
 * {@code query} (INSERT INTO started a continuous query that runs on in the server: {@code message} and {@code query}),
 * or {@code live} (a SELECT over a stream: {@code query}, whose updating result {@code GET /sql/live/{name}} streams).
 */
public record StatementResult(Kind kind, String message, List<ColumnInfo> columns, List<Row> rows, QueryRef query) {
    /** What a statement returned; in JSON in lower case. */
    public enum Kind {
        MESSAGE,
        ROWS,
        QUERY,
        LIVE;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind ofJson(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** A result column: its name and its SQL type ({@code BIGINT}, {@code VARCHAR}, ...). */
    public record ColumnInfo(String name, String type) {
        public ColumnInfo {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A continuous query the statement started: its name (for STOP QUERY and the live stream) and id. */
    public record QueryRef(String name, String id) {
        public QueryRef {
            requireNonNull(name, "name is null");
            requireNonNull(id, "id is null");
        }
    }

    public StatementResult {
        requireNonNull(kind, "kind is null");
        columns = columns == null ? List.of() : List.copyOf(columns);
        rows = rows == null ? List.of() : List.copyOf(rows);
    }

    /** The server's view of a session result; {@code live} when the session keeps its rows for a live stream. */
    static StatementResult of(SqlResult result, boolean live) {
        QueryRef query = result.query() == null
                ? null
                : new QueryRef(result.query().name(), result.query().id().toString());
        if (query != null) {
            return new StatementResult(live ? Kind.LIVE : Kind.QUERY, result.message(), null, null, query);
        }
        if (!result.columns().isEmpty()) {
            return new StatementResult(
                    Kind.ROWS, result.message(), ColumnTypes.of(result.columns(), result.rows()), result.rows(), null);
        }
        return new StatementResult(Kind.MESSAGE, result.message(), null, null, null);
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    /** The result as {@code brook sql} prints it, the same text as an embedded session's {@link SqlResult#render}. */
    public String render() {
        return new SqlResult(message, columnNames(), rows, null).render();
    }
}
