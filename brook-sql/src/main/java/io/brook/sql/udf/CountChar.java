package io.brook.sql.udf;

/**
 * Nexmark q14's {@code count_char(text, character)}: how many times the character (the first of a string) occurs in
 * the text; none in a NULL text. A user-defined function in Flink's form, as {@code CREATE FUNCTION count_char AS
 * 'io.brook.sql.udf.CountChar'} registers it (see {@code examples/nexmark/q14.sql}). Stateless.
 */
public final class CountChar {
    public long eval(String text, String character) {
        if (text == null || character == null || character.isEmpty()) {
            return 0;
        }
        char wanted = character.charAt(0);
        long count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == wanted) {
                count++;
            }
        }
        return count;
    }
}
