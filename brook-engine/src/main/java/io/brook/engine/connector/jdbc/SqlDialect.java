package io.brook.engine.connector.jdbc;

import static java.util.Objects.requireNonNull;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between databases for the sink: how names are quoted, which column types a created table gets, and
 * whether an upsert is one statement (PostgreSQL's {@code INSERT ... ON CONFLICT}) or an UPDATE then an INSERT.
 */
record SqlDialect(boolean postgres, String quote) {
    SqlDialect {
        requireNonNull(quote, "quote is null");
    }

    static SqlDialect of(DatabaseMetaData metadata) throws SQLException {
        String quote = metadata.getIdentifierQuoteString();
        // A blank quote string means the database does not quote names.
        return new SqlDialect(
                metadata.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres"),
                quote == null || quote.isBlank() ? "" : quote.strip());
    }

    /** A column name quoted, so that a name with capitals or a keyword (count) reaches the database as it is. */
    String quote(String name) {
        return quote.isEmpty() ? name : quote + name.replace(quote, quote + quote) + quote;
    }
}
