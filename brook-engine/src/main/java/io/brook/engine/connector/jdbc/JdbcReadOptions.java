package io.brook.engine.connector.jdbc;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JDBC source's options, checked: {@code url}, {@code user}, {@code password}, {@code driver}, one of
 * {@code dbtable} (a table, or a parenthesised query with an alias) and {@code query}, and {@code fetchsize} (rows per
 * round trip, default 1000).
 *
 * @param relation what follows FROM: the table, or the query in parentheses with an alias
 */
record JdbcReadOptions(ConnectionSpec connection, String relation, String description, int fetchSize) {
    private static final Set<String> OPTIONS = Collections.unmodifiableSet(
            new TreeSet<>(List.of("url", "dbtable", "query", "user", "password", "driver", "fetchsize")));

    JdbcReadOptions {
        requireNonNull(connection, "connection is null");
        requireNonNull(relation, "relation is null");
        requireNonNull(description, "description is null");
        if (fetchSize <= 0) {
            throw new IllegalArgumentException("fetchSize must be > 0, was " + fetchSize);
        }
    }

    static JdbcReadOptions parse(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown option '" + key + "' for the jdbc source; it takes " + OPTIONS
                                + " (driver properties go in the url)");
            }
        }
        ConnectionSpec connection = ConnectionSpec.parse(options, "source");
        String table = blankToNull(options.get("dbtable"));
        String query = blankToNull(options.get("query"));
        if (table != null && query != null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "the jdbc source takes option dbtable or option query, not both; got dbtable '" + table
                            + "' and query '" + query + "'");
        }
        if (table == null && query == null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "the jdbc source needs option dbtable (a table, or \"(select ...) q\") or option query (a select)");
        }
        int fetchSize = JdbcSinkOptions.positive("fetchsize", options.getOrDefault("fetchsize", "1000"), "source");
        return table != null
                ? new JdbcReadOptions(connection, table, table, fetchSize)
                : new JdbcReadOptions(connection, "(" + query + ") brook_query", "query", fetchSize);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
