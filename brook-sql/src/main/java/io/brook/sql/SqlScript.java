package io.brook.sql;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL script split into statements at the {@code ;} that end them (not those in strings, quoted names or comments).
 * Every statement keeps where it starts, so that errors anywhere in it, from Brook's own parser, from Calcite or from
 * the engine, name the script's line and column and show the script's line with a caret.
 */
public final class SqlScript {
    private static final Pattern POSITIONED = Pattern.compile("(?s)^line (\\d+):(\\d+): (.*?)(\\n.*)?$");

    private final String text;
    private final List<Statement> statements;

    /** One statement: its tokens (without the {@code ;}) and its place in the script. */
    public record Statement(SqlScript script, List<SqlLexer.Token> tokens, int start, int end) {
        /** The statement as written. */
        public String text() {
            return script.text.substring(start, end);
        }

        int line() {
            return tokens.get(0).line();
        }

        /**
         * The script's text from {@code from} to the statement's end, after blank lines and spaces that put it where it
         * is in the script: parsers that count lines and columns from their text's start then count as the script does.
         */
        String positioned(int from) {
            return positioned(from, end);
        }

        /** As {@link #positioned(int)}, up to the offset {@code to}. */
        String positioned(int from, int to) {
            SqlLexer.Token first = tokenAt(from);
            return "\n".repeat(first.line() - 1) + " ".repeat(first.column() - 1) + script.text.substring(from, to);
        }

        private SqlLexer.Token tokenAt(int offset) {
            for (SqlLexer.Token token : tokens) {
                if (token.start() == offset) {
                    return token;
                }
            }
            throw new IllegalArgumentException("no token starts at offset " + offset);
        }
    }

    private SqlScript(String text) {
        this.text = text;
        this.statements = split();
    }

    /** Parses a script into statements; an unclosed string or comment is reported with its position. */
    public static SqlScript of(String text) {
        try {
            return new SqlScript(text);
        } catch (SqlScriptException e) {
            throw new SqlScript(text, List.of()).error(e);
        }
    }

    private SqlScript(String text, List<Statement> statements) {
        this.text = text;
        this.statements = statements;
    }

    /**
     * Whether {@code text} is whole statements, as a shell asks before it runs a line: it ends with a {@code ;} outside
     * strings, quoted names and comments, or has no statement at all. An unclosed string or comment is not complete.
     */
    public static boolean isComplete(String text) {
        List<SqlLexer.Token> tokens;
        try {
            tokens = SqlLexer.tokens(text);
        } catch (SqlScriptException e) {
            return false;
        }
        return tokens.size() == 1 || tokens.get(tokens.size() - 2).isSymbol(";");
    }

    public List<Statement> statements() {
        return statements;
    }

    public String text() {
        return text;
    }

    private List<Statement> split() {
        List<SqlLexer.Token> tokens = SqlLexer.tokens(text);
        List<Statement> result = new ArrayList<>();
        List<SqlLexer.Token> current = new ArrayList<>();
        for (SqlLexer.Token token : tokens) {
            boolean ends = token.kind() == SqlLexer.Kind.END || token.isSymbol(";");
            if (!ends) {
                current.add(token);
                continue;
            }
            if (!current.isEmpty()) {
                List<SqlLexer.Token> statementTokens = new ArrayList<>(current);
                statementTokens.add(new SqlLexer.Token(
                        SqlLexer.Kind.END, "", "", token.start(), token.start(), token.line(), token.column()));
                result.add(new Statement(
                        this,
                        List.copyOf(statementTokens),
                        current.get(0).start(),
                        current.get(current.size() - 1).end()));
                current.clear();
            }
        }
        return List.copyOf(result);
    }

    /** An error at a position of this script, with the script's line and a caret. */
    BrookException error(SqlScriptException e) {
        return error(ErrorCode.INVALID_EXPRESSION, e.line(), e.column(), e.getMessage());
    }

    BrookException error(ErrorCode code, int line, int column, String message) {
        return new BrookException(code, io.brook.engine.plan.SqlErrors.render(text, line, column, message));
    }

    /**
     * An engine or Calcite error about text that was handed over {@link Statement#positioned positioned}: its "line
     * L:C:" are the script's, so it is shown again with the script's own line (the positioned copy had blanks before
     * the statement). Errors without a position get the statement's line.
     */
    BrookException relocate(BrookException e, Statement statement) {
        Matcher matcher = POSITIONED.matcher(e.getMessage());
        if (matcher.matches()) {
            int line = Integer.parseInt(matcher.group(1));
            int column = Integer.parseInt(matcher.group(2));
            return new BrookException(
                    e.errorCode(), io.brook.engine.plan.SqlErrors.render(text, line, column, matcher.group(3)), e);
        }
        return new BrookException(e.errorCode(), "line " + statement.line() + ": " + e.getMessage(), e);
    }
}
