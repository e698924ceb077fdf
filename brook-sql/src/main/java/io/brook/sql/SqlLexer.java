package io.brook.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into tokens with their positions, enough to read Brook's statements (DDL, commands) and to find where
 * statements end and where the queries inside them begin; the queries themselves are Calcite's to parse. Strings
 * ({@code '...'} with {@code ''}), quoted names ({@code `...`} and {@code "..."}) and comments ({@code --},
 * {@code /* ... *}{@code /}) are read whole, so a {@code ;} inside one does not end a statement.
 */
final class SqlLexer {
    enum Kind {
        WORD,
        QUOTED_NAME,
        STRING,
        NUMBER,
        SYMBOL,
        END
    }

    /** A token: its kind, its text as written, its value (a name unquoted, a string unescaped), and where it is. */
    record Token(Kind kind, String text, String value, int start, int end, int line, int column) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** A name: a word or a quoted name. */
        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED_NAME;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    private final String text;
    private int position;
    private int line = 1;
    private int column = 1;

    private SqlLexer(String text) {
        this.text = text;
    }

    /** The tokens of {@code text}, ending with an END token; an unclosed string, name or comment is an error. */
    static List<Token> tokens(String text) {
        return new SqlLexer(text).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (position >= text.length()) {
                tokens.add(new Token(Kind.END, "", "", position, position, line, column));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (Character.isWhitespace(c)) {
                advance(1);
            } else if (text.startsWith("--", position)) {
                while (position < text.length() && text.charAt(position) != '\n') {
                    advance(1);
                }
            } else if (text.startsWith("/*", position)) {
                int startLine = line;
                int startColumn = column;
                int close = text.indexOf("*/", position + 2);
                if (close < 0) {
                    throw new SqlScriptException(startLine, startColumn, "comment /* is never closed with */");
                }
                advance(close + 2 - position);
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = position;
        int startLine = line;
        int startColumn = column;
        char c = text.charAt(position);
        if (c == '\'') {
            String value = quoted('\'', "string");
            return new Token(
                    Kind.STRING, text.substring(start, position), value, start, position, startLine, startColumn);
        }
        if (c == '`' || c == '"') {
            String value = quoted(c, "name");
            return new Token(
                    Kind.QUOTED_NAME, text.substring(start, position), value, start, position, startLine, startColumn);
        }
        if (Character.isLetter(c) || c == '_' || c == '$') {
            while (position < text.length()
                    && (Character.isLetterOrDigit(text.charAt(position))
                            || text.charAt(position) == '_'
                            || text.charAt(position) == '$')) {
                advance(1);
            }
            String word = text.substring(start, position);
            return new Token(Kind.WORD, word, word, start, position, startLine, startColumn);
        }
        if (Character.isDigit(c)) {
            while (position < text.length()
                    && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
                advance(1);
            }
            String number = text.substring(start, position);
            return new Token(Kind.NUMBER, number, number, start, position, startLine, startColumn);
        }
        advance(1);
        String symbol = text.substring(start, position);
        return new Token(Kind.SYMBOL, symbol, symbol, start, position, startLine, startColumn);
    }

    /** Reads a quoted string or name; a doubled quote stands for one. */
    private String quoted(char quote, String what) {
        int startLine = line;
        int startColumn = column;
        advance(1);
        StringBuilder value = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw new SqlScriptException(
                        startLine, startColumn, what + " starting with " + quote + " is never closed");
            }
            char c = text.charAt(position);
            if (c == quote) {
                if (position + 1 < text.length() && text.charAt(position + 1) == quote) {
                    value.append(quote);
                    advance(2);
                    continue;
                }
                advance(1);
                return value.toString();
            }
            value.append(c);
            advance(1);
        }
    }

    private void advance(int count) {
        for (int i = 0; i < count; i++) {
            if (text.charAt(position) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            position++;
        }
    }
}
