package io.brook.engine.plan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Quotes, in an expression's text, the names of columns that the SQL parser takes for keywords, so that
 * {@code CAST(value AS STRING) AS v}, {@code partition} and {@code offset} (the columns of a Kafka source) read as in
 * Spark. A word is quoted when it is exactly a column's name, is not a function call and is not a type inside
 * {@code CAST(... AS type)}; the word after any other {@code AS} is an alias and is quoted too. Text in quotes or
 * backticks is left alone. A word after a dot is quoted when it names a field of a struct column (or of the structs
 * of an array column), so that {@code headers[0].value} reads as in Spark.
 */
final class KeywordColumns {
    private KeywordColumns() {}

    static String quote(String text, List<String> columns) {
        return quote(text, columns, List.of());
    }

    /** As {@link #quote(String, List)}, also quoting a word after a dot that names a struct field. */
    static String quote(String text, List<String> columns, List<String> structFields) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        // For each open parenthesis, whether it opened a CAST( call.
        Deque<Boolean> casts = new ArrayDeque<>();
        String previousWord = "";
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '`' || c == '"') {
                int end = closing(text, i, c);
                out.append(text, i, end);
                i = end;
                previousWord = "";
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < text.length()
                        && (Character.isLetterOrDigit(text.charAt(end))
                                || text.charAt(end) == '_'
                                || text.charAt(end) == '$')) {
                    end++;
                }
                String word = text.substring(i, end);
                boolean call = nextNonSpace(text, end) == '(';
                boolean afterAs = previousWord.equals("AS");
                boolean inCast = !casts.isEmpty() && casts.peek();
                boolean qualified = i > 0 && text.charAt(i - 1) == '.';
                boolean quote =
                        afterAs ? !inCast : !call && (qualified ? structFields.contains(word) : columns.contains(word));
                out.append(quote ? "`" + word + "`" : word);
                previousWord = word.toUpperCase(Locale.ROOT);
                i = end;
                continue;
            }
            if (c == '(') {
                casts.push(previousWord.equals("CAST") || previousWord.equals("TRY_CAST"));
            } else if (c == ')' && !casts.isEmpty()) {
                casts.pop();
            }
            if (!Character.isWhitespace(c)) {
                previousWord = "";
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The index after the quote that closes the one at {@code start} (a doubled quote is an escaped one). */
    static int closing(String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return text.length();
    }

    private static char nextNonSpace(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return text.charAt(i);
            }
        }
        return 0;
    }
}
