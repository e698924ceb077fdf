package io.brook.engine.connector.jdbc;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Text for SQL errors in Brook's messages. */
final class JdbcErrors {
    private JdbcErrors() {}

    /**
     * The messages of an error and of the errors chained to it by {@link SQLException#getNextException()}, where a
     * batch's real cause hides (PostgreSQL's BatchUpdateException only says that entry n was aborted), with the SQL state.
     */
    static String describe(SQLException error) {
        Set<String> messages = new LinkedHashSet<>();
        for (SQLException next = error; next != null && messages.size() < 5; next = next.getNextException()) {
            if (next.getMessage() != null) {
                messages.add(next.getMessage().strip());
            }
        }
        String state = error.getSQLState() == null ? "" : " (SQL state " + error.getSQLState() + ")";
        return String.join("; ", messages) + state;
    }
}
