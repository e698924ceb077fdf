package io.brook.sql;

/**
 * An error at a line and column of a SQL script, before the script's text is known to the thrower; {@link SqlScript}
 * renders it with the line and a caret.
 */
final class SqlScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    SqlScriptException(int line, int column, String message) {
        super(message);
        this.line = line;
        this.column = column;
    }

    int line() {
        return line;
    }

    int column() {
        return column;
    }
}
