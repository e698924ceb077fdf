package io.brook.http;

import java.util.List;

/**
 * The answer to {@code POST /sql}: {@code {"statements": [...], "error": {...}}}, the results of the statements that
 * ran, in order ({@link StatementResult}), and the error that stopped the script, or null (absent in JSON) when every
 * statement ran.
 */
public record ScriptResponse(List<StatementResult> statements, SqlError error) {
    public ScriptResponse {
        statements = List.copyOf(statements);
    }
}
