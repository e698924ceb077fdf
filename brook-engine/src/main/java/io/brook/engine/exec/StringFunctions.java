package io.brook.engine.exec;

import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.VarcharColumn;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * String functions with Spark's semantics, on UTF-8 bytes where that is enough (lengths, substrings, trimming, case of
 * ASCII text, concatenation, prefixes) and on decoded strings where it is not. Positions and lengths count code
 * points, 1-based. Null in, null out.
 */
final class StringFunctions {
    private static final byte[] EMPTY = new byte[0];

    private StringFunctions() {}

    static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** The number of code points of a value. */
    static int charLength(VarcharColumn column, int position) {
        int length = column.byteLength(position);
        int chars = 0;
        for (int i = 0; i < length; i++) {
            if (!isContinuation(column.byteAt(position, i))) {
                chars++;
            }
        }
        return chars;
    }

    /** The byte index at which code point {@code charIndex} of a value starts (its byte length past the end). */
    static int byteIndex(VarcharColumn column, int position, int charIndex) {
        int length = column.byteLength(position);
        int chars = 0;
        for (int i = 0; i < length; i++) {
            if (!isContinuation(column.byteAt(position, i))) {
                if (chars == charIndex) {
                    return i;
                }
                chars++;
            }
        }
        return length;
    }

    static Evaluator charLength(ColumnType result, Evaluator operand) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) operand.evaluate(batch);
            NumberBuilder out = new NumberBuilder(result, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                } else {
                    out.appendLong(charLength(in, i));
                }
            }
            return out.build();
        };
    }

    /** LOWER or UPPER: bytes mapped directly for ASCII values, other values decoded and mapped in the root locale. */
    static Evaluator changeCase(boolean upper, Evaluator operand) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) operand.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            byte[] scratch = new byte[64];
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                    continue;
                }
                int length = in.byteLength(i);
                if (scratch.length < length) {
                    scratch = new byte[Math.max(length, scratch.length * 2)];
                }
                in.copyBytes(i, scratch, 0);
                boolean ascii = true;
                for (int j = 0; j < length && ascii; j++) {
                    byte b = scratch[j];
                    if (b < 0) {
                        ascii = false;
                    } else if (upper && b >= 'a' && b <= 'z') {
                        scratch[j] = (byte) (b - 32);
                    } else if (!upper && b >= 'A' && b <= 'Z') {
                        scratch[j] = (byte) (b + 32);
                    }
                }
                if (ascii) {
                    out.appendUtf8(scratch, 0, length);
                } else {
                    String value = in.getString(i);
                    out.append(upper ? value.toUpperCase(Locale.ROOT) : value.toLowerCase(Locale.ROOT));
                }
            }
            return out.build();
        };
    }

    /** Applies a function to each decoded value (for functions that need the characters). */
    static Evaluator map(Evaluator operand, UnaryOperator<String> function) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) operand.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(function.apply(in.getString(i)));
                }
            }
            return out.build();
        };
    }

    /** Spark's initcap: lower case, then the first letter of each word (words are separated by spaces) upper case. */
    static String initCap(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean wordStart = true;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            out.appendCodePoint(wordStart ? Character.toTitleCase(codePoint) : Character.toLowerCase(codePoint));
            wordStart = codePoint == ' ';
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    /**
     * SUBSTRING(s, start[, length]) as Spark's substring: 1-based; start 0 means 1 and a negative start counts from the
     * end; a negative length gives ''.
     */
    static Evaluator substring(Evaluator string, Evaluator start, Evaluator length) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            Column starts = start.evaluate(batch);
            Column lengths = length == null ? null : length.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || starts.isNull(i) || (lengths != null && lengths.isNull(i))) {
                    out.appendNull();
                    continue;
                }
                long position = ColumnTypes.longAt(starts, i);
                long count = lengths == null ? Integer.MAX_VALUE : ColumnTypes.longAt(lengths, i);
                int chars = charLength(in, i);
                long first = position > 0 ? position - 1 : position < 0 ? chars + position : 0;
                long end = Math.min(first + count, chars);
                first = Math.max(first, 0);
                if (first >= end) {
                    out.appendUtf8(EMPTY);
                } else {
                    out.appendPart(in, i, byteIndex(in, i, (int) first), byteIndex(in, i, (int) end));
                }
            }
            return out.build();
        };
    }

    /**
     * Trims code points in {@code characters} from the start, the end or both ends. With only ASCII characters to trim
     * (spaces, say) it works on bytes: no byte of a multi-byte character is ASCII.
     */
    static Evaluator trim(boolean leading, boolean trailing, Evaluator characters, Evaluator string) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            VarcharColumn set = (VarcharColumn) characters.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || set.isNull(i)) {
                    out.appendNull();
                    continue;
                }
                boolean ascii = true;
                for (int j = 0; j < set.byteLength(i); j++) {
                    ascii &= set.byteAt(i, j) >= 0;
                }
                if (!ascii) {
                    out.append(trimCodePoints(in.getString(i), set.getString(i), leading, trailing));
                    continue;
                }
                int from = 0;
                int to = in.byteLength(i);
                while (leading && from < to && contains(set, i, in.byteAt(i, from))) {
                    from++;
                }
                while (trailing && to > from && contains(set, i, in.byteAt(i, to - 1))) {
                    to--;
                }
                out.appendPart(in, i, from, to);
            }
            return out.build();
        };
    }

    private static boolean contains(VarcharColumn set, int position, byte b) {
        for (int j = 0; j < set.byteLength(position); j++) {
            if (set.byteAt(position, j) == b) {
                return true;
            }
        }
        return false;
    }

    private static String trimCodePoints(String value, String set, boolean leading, boolean trailing) {
        int from = 0;
        int to = value.length();
        while (leading && from < to && set.indexOf(value.codePointAt(from)) >= 0) {
            from += Character.charCount(value.codePointAt(from));
        }
        while (trailing && to > from && set.indexOf(value.codePointBefore(to)) >= 0) {
            to -= Character.charCount(value.codePointBefore(to));
        }
        return value.substring(from, to);
    }

    /** CONCAT and {@code ||}: null if any operand is (as Spark's concat); operands of other types are cast first. */
    static Evaluator concat(List<Evaluator> operands) {
        return batch -> {
            VarcharColumn[] parts = new VarcharColumn[operands.size()];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = (VarcharColumn) Casts.convert(operands.get(p).evaluate(batch), ColumnType.VARCHAR);
            }
            int size = batch.rowCount();
            VarcharColumn.Builder out = VarcharColumn.builder(size);
            byte[] scratch = new byte[64];
            for (int i = 0; i < size; i++) {
                int length = 0;
                boolean isNull = false;
                for (VarcharColumn part : parts) {
                    isNull |= part.isNull(i);
                    length += part.byteLength(i);
                }
                if (isNull) {
                    out.appendNull();
                    continue;
                }
                if (scratch.length < length) {
                    scratch = new byte[Math.max(length, scratch.length * 2)];
                }
                int at = 0;
                for (VarcharColumn part : parts) {
                    at = part.copyBytes(i, scratch, at);
                }
                out.appendUtf8(scratch, 0, at);
            }
            return out.build();
        };
    }

    /** REPLACE(s, search, replacement): every occurrence replaced; an empty search leaves s as it is (as Spark). */
    static Evaluator replace(Evaluator string, Evaluator search, Evaluator replacement) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            VarcharColumn searches = (VarcharColumn) search.evaluate(batch);
            VarcharColumn replacements = (VarcharColumn) replacement.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || searches.isNull(i) || replacements.isNull(i)) {
                    out.appendNull();
                } else if (searches.byteLength(i) == 0) {
                    out.appendPart(in, i, 0, in.byteLength(i));
                } else {
                    out.append(in.getString(i).replace(searches.getString(i), replacements.getString(i)));
                }
            }
            return out.build();
        };
    }

    /**
     * The 1-based code point position of the first occurrence of {@code search} in {@code string} at or after code
     * point {@code from} (1-based), or 0; an empty search is found at {@code from}.
     */
    static Evaluator position(ColumnType result, Evaluator search, Evaluator string, Evaluator from) {
        return batch -> {
            VarcharColumn needles = (VarcharColumn) search.evaluate(batch);
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            Column froms = from == null ? null : from.evaluate(batch);
            NumberBuilder out = new NumberBuilder(result, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || needles.isNull(i) || (froms != null && froms.isNull(i))) {
                    out.appendNull();
                    continue;
                }
                long start = froms == null ? 1 : ColumnTypes.longAt(froms, i);
                int chars = charLength(in, i);
                if (start < 1 || start > chars + 1L) {
                    out.appendLong(0);
                    continue;
                }
                int found = indexOf(in, i, needles, i, byteIndex(in, i, (int) start - 1));
                out.appendLong(found < 0 ? 0 : charCount(in, i, found) + 1);
            }
            return out.build();
        };
    }

    /** The byte index of the first occurrence of value {@code j} of {@code needles} in value {@code i}, or -1. */
    static int indexOf(VarcharColumn in, int i, VarcharColumn needles, int j, int fromByte) {
        int length = in.byteLength(i);
        int needle = needles.byteLength(j);
        for (int at = fromByte; at + needle <= length; at++) {
            int k = 0;
            while (k < needle && in.byteAt(i, at + k) == needles.byteAt(j, k)) {
                k++;
            }
            if (k == needle) {
                return at;
            }
        }
        return -1;
    }

    private static int charCount(VarcharColumn in, int position, int toByte) {
        int chars = 0;
        for (int b = 0; b < toByte; b++) {
            if (!isContinuation(in.byteAt(position, b))) {
                chars++;
            }
        }
        return chars;
    }

    /** STARTS_WITH or ENDS_WITH, comparing bytes. */
    static Evaluator affix(boolean starts, Evaluator string, Evaluator affix) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            VarcharColumn affixes = (VarcharColumn) affix.evaluate(batch);
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || affixes.isNull(i)) {
                    out.appendNull();
                    continue;
                }
                int length = in.byteLength(i);
                int part = affixes.byteLength(i);
                boolean matches = part <= length;
                int offset = starts ? 0 : length - part;
                for (int k = 0; matches && k < part; k++) {
                    matches = in.byteAt(i, offset + k) == affixes.byteAt(i, k);
                }
                out.append(matches);
            }
            return out.build();
        };
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static boolean bytesEqual(VarcharColumn column, int position, int offset, byte[] expected) {
        if (offset < 0 || offset + expected.length > column.byteLength(position)) {
            return false;
        }
        for (int k = 0; k < expected.length; k++) {
            if (column.byteAt(position, offset + k) != expected[k]) {
                return false;
            }
        }
        return true;
    }

    /** The byte index of the first occurrence of {@code needle} in a value, or -1. */
    static int indexOf(VarcharColumn in, int i, byte[] needle) {
        for (int at = 0; at + needle.length <= in.byteLength(i); at++) {
            if (bytesEqual(in, i, at, needle)) {
                return at;
            }
        }
        return -1;
    }

    /** Flink's SPLIT_INDEX: see {@link BrookOperators#SPLIT_INDEX}. */
    static Evaluator splitIndex(Evaluator string, Evaluator separator, Evaluator index) {
        return batch -> {
            VarcharColumn in = (VarcharColumn) string.evaluate(batch);
            VarcharColumn separators = (VarcharColumn) separator.evaluate(batch);
            Column indexes = index.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            for (int i = 0; i < in.size(); i++) {
                String part = in.isNull(i) || separators.isNull(i) || indexes.isNull(i)
                        ? null
                        : part(in.getString(i), separators.getString(i), ColumnTypes.longAt(indexes, i));
                if (part == null) {
                    out.appendNull();
                } else {
                    out.append(part);
                }
            }
            return out.build();
        };
    }

    private static String part(String text, String separator, long index) {
        if (separator.isEmpty() || index < 0) {
            return null;
        }
        int start = 0;
        for (long n = 0; n < index; n++) {
            int found = text.indexOf(separator, start);
            if (found < 0) {
                return null;
            }
            start = found + separator.length();
        }
        int end = text.indexOf(separator, start);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
