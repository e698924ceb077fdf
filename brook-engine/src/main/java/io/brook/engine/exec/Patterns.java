package io.brook.engine.exec;

import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.VarcharColumn;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * LIKE, RLIKE, REGEXP_EXTRACT, REGEXP_REPLACE and SPLIT. A literal pattern is compiled once, when the expression is; LIKE
 * patterns that are an exact text, a prefix, a suffix or a substring are matched on UTF-8 bytes without a regex.
 * Patterns that vary by row are compiled when they change from one row to the next.
 */
final class Patterns {
    private static final UnaryOperator<String> AS_IS = text -> text;

    private Patterns() {}

    /**
     * LIKE (ILIKE when not case-sensitive), negated for NOT LIKE.
     *
     * @param literal the pattern when it is a literal, else null
     * @param escape the escape character, or null for none
     */
    static Evaluator like(
            Evaluator string,
            Evaluator pattern,
            String literal,
            Character escape,
            boolean caseSensitive,
            boolean negated) {
        int flags = Pattern.DOTALL | (caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        UnaryOperator<String> toRegex = text -> likeToRegex(text, escape);
        BytesMatch bytesMatch = literal != null && caseSensitive ? BytesMatch.of(literal, escape) : null;
        Pattern fixed = literal == null || bytesMatch != null ? null : compile(literal, toRegex, flags);
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            Compiled patterns = new Compiled(literal == null ? pattern : null, fixed, toRegex, flags, batch);
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || patterns.isNull(i)) {
                    out.appendNull();
                } else if (bytesMatch != null) {
                    out.append(bytesMatch.matches(in, i) != negated);
                } else {
                    out.append(patterns.at(i).matcher(in.getString(i)).matches() != negated);
                }
            }
            return out.build();
        };
    }

    /** RLIKE as Spark's: whether the regex matches anywhere in the string. */
    static Evaluator rlike(Evaluator string, Evaluator pattern, String literal, boolean negated) {
        Pattern fixed = literal == null ? null : compile(literal, AS_IS, 0);
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            Compiled patterns = new Compiled(fixed == null ? pattern : null, fixed, AS_IS, 0, batch);
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || patterns.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(patterns.at(i).matcher(in.getString(i)).find() != negated);
                }
            }
            return out.build();
        };
    }

    /**
     * Spark's regexp_extract(s, regex[, group]): the group (1 by default) of the first match, or '' when nothing
     * matches or the group took no part. A group the regex does not have is a mistake, reported with the regex.
     */
    static Evaluator regexpExtract(Evaluator string, Evaluator pattern, String literal, Evaluator group) {
        Pattern fixed = literal == null ? null : compile(literal, AS_IS, 0);
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            Compiled patterns = new Compiled(fixed == null ? pattern : null, fixed, AS_IS, 0, batch);
            Column groups = group == null ? null : group.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || patterns.isNull(i) || (groups != null && groups.isNull(i))) {
                    out.appendNull();
                    continue;
                }
                Pattern regex = patterns.at(i);
                long index = groups == null ? 1 : ColumnTypes.longAt(groups, i);
                Matcher matcher = regex.matcher(in.getString(i));
                if (index < 0 || index > matcher.groupCount()) {
                    throw new IllegalArgumentException("REGEXP_EXTRACT: regex '" + regex.pattern() + "' has "
                            + matcher.groupCount() + " groups; the group index must be 0 to " + matcher.groupCount()
                            + ", was " + index);
                }
                String value = matcher.find() ? matcher.group((int) index) : null;
                out.append(value == null ? "" : value);
            }
            return out.build();
        };
    }

    /** REGEXP_REPLACE(s, regex, replacement): every match replaced, {@code $n} naming groups (Java's and Spark's). */
    static Evaluator regexpReplace(Evaluator string, Evaluator pattern, String literal, Evaluator replacement) {
        Pattern fixed = literal == null ? null : compile(literal, AS_IS, 0);
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            Compiled patterns = new Compiled(fixed == null ? pattern : null, fixed, AS_IS, 0, batch);
            VarcharColumn replacements = (VarcharColumn) replacement.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || patterns.isNull(i) || replacements.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(patterns.at(i).matcher(in.getString(i)).replaceAll(replacements.getString(i)));
                }
            }
            return out.build();
        };
    }

    /**
     * SPLIT(s, regex[, limit]) as Spark's: the parts of s around the matches of a Java regex. With a limit > 0, at most
     * that many parts, the last holding the rest of s; with a limit <= 0 (the default, -1), every part, trailing empty
     * strings kept ({@code split('oneAtwoBthreeC', '[ABC]')} is {@code [one, two, three, ]}). An empty regex splits a
     * non-empty s into its characters, the first {@code limit} of them when limit > 0, as Spark's UTF8String.split does.
     */
    static Evaluator split(Evaluator string, Evaluator pattern, String literal, Evaluator limit) {
        Pattern fixed = literal == null ? null : compile(literal, AS_IS, 0);
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            Compiled patterns = new Compiled(fixed == null ? pattern : null, fixed, AS_IS, 0, batch);
            Column limits = limit == null ? null : limit.evaluate(batch);
            ArrayColumn.Builder out = ArrayColumn.builder(ColumnType.VARCHAR, in.size());
            ColumnBuilder parts = out.elements();
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || patterns.isNull(i) || (limits != null && limits.isNull(i))) {
                    out.appendNull();
                    continue;
                }
                String text = in.getString(i);
                Pattern regex = patterns.at(i);
                int most = limits == null ? -1 : (int) ColumnTypes.longAt(limits, i);
                if (regex.pattern().isEmpty() && !text.isEmpty()) {
                    int characters = text.codePointCount(0, text.length());
                    int count = most > 0 && most < characters ? most : characters;
                    int at = 0;
                    for (int c = 0; c < count; c++) {
                        int next = text.offsetByCodePoints(at, 1);
                        parts.appendString(text.substring(at, next));
                        at = next;
                    }
                } else {
                    // Java drops trailing empty parts only for limit 0; Spark never does.
                    for (String part : regex.split(text, most == 0 ? -1 : most)) {
                        parts.appendString(part);
                    }
                }
                out.endArray();
            }
            return out.build();
        };
    }

    /** A SQL LIKE pattern as a Java regex: {@code %} any characters, {@code _} one, the escape character quoting. */
    static String likeToRegex(String pattern, Character escape) {
        StringBuilder regex = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape) {
                if (i + 1 == pattern.length()) {
                    throw new IllegalArgumentException(
                            "LIKE pattern '" + pattern + "' ends with its escape character '" + escape + "'");
                }
                char next = pattern.charAt(++i);
                if (next != '%' && next != '_' && next != escape) {
                    throw new IllegalArgumentException("LIKE pattern '" + pattern + "' escapes '" + next
                            + "'; only '%', '_' and the escape character can be escaped");
                }
                quote(next, regex);
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                quote(c, regex);
            }
        }
        return regex.toString();
    }

    private static void quote(char c, StringBuilder regex) {
        if ("\\.[]{}()<>*+-=!?^$|&~#:,/\"'".indexOf(c) >= 0) {
            regex.append('\\');
        }
        regex.append(c);
    }

    private static Pattern compile(String text, UnaryOperator<String> toRegex, int flags) {
        try {
            return Pattern.compile(toRegex.apply(text), flags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern '" + text + "' is not valid: " + e.getDescription(), e);
        }
    }

    /** The pattern of each row of a batch: a fixed one, or one compiled from a column when it changes. */
    private static final class Compiled {
        private final VarcharColumn texts;
        private final Pattern fixed;
        private final UnaryOperator<String> toRegex;
        private final int flags;
        private String lastText;
        private Pattern lastPattern;

        Compiled(Evaluator varying, Pattern fixed, UnaryOperator<String> toRegex, int flags, Batch batch) {
            this.texts = varying == null ? null : (VarcharColumn) varying.evaluate(batch);
            this.fixed = fixed;
            this.toRegex = toRegex;
            this.flags = flags;
        }

        boolean isNull(int row) {
            return texts != null && texts.isNull(row);
        }

        Pattern at(int row) {
            if (texts == null) {
                return fixed;
            }
            String text = texts.getString(row);
            if (!text.equals(lastText)) {
                lastPattern = compile(text, toRegex, flags);
                lastText = text;
            }
            return lastPattern;
        }
    }

    /** A LIKE pattern that needs no regex: an exact text, a prefix ({@code abc%}), a suffix or a substring. */
    @FunctionalInterface
    private interface BytesMatch {
        boolean matches(VarcharColumn column, int position);

        /** The match for a pattern, or null when the pattern needs a regex. */
        static BytesMatch of(String pattern, Character escape) {
            if (pattern.indexOf('_') >= 0 || (escape != null && pattern.indexOf(escape) >= 0)) {
                return null;
            }
            boolean anyStart = pattern.startsWith("%");
            boolean anyEnd = pattern.length() > (anyStart ? 1 : 0) && pattern.endsWith("%");
            String text = pattern.substring(anyStart ? 1 : 0, pattern.length() - (anyEnd ? 1 : 0));
            if (text.indexOf('%') >= 0) {
                return null;
            }
            byte[] bytes = StringFunctions.utf8(text);
            if (anyStart && anyEnd) {
                return (column, position) -> StringFunctions.indexOf(column, position, bytes) >= 0;
            }
            if (anyStart) {
                return (column, position) ->
                        StringFunctions.bytesEqual(column, position, column.byteLength(position) - bytes.length, bytes);
            }
            if (anyEnd) {
                return (column, position) -> StringFunctions.bytesEqual(column, position, 0, bytes);
            }
            return (column, position) -> column.equalsBytes(position, bytes);
        }
    }
}
