package io.brook.engine.connector.file;

import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Hive layout of partitioned files that Spark and Flink share: a directory {@code name=value} per partition
 * column, in order ({@code dt=2026-12-01/hm=14%3A05}), names and values escaped as Hive escapes them (a character that
 * is not safe in a path becomes {@code %XX}, so {@code 14:05} is {@code 14%3A05}), and a NULL or empty value written as
 * {@link #DEFAULT_PARTITION}. Values are the text Spark gives a partition value: a DATE {@code yyyy-MM-dd}, a
 * TIMESTAMP {@code yyyy-MM-dd HH:mm:ss[.ffffff]} in UTC, other types as their Java text.
 */
final class PartitionPaths {
    /** The directory name of a NULL partition value, Hive's. */
    static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss[.SSSSSS]", Locale.ROOT);

    private PartitionPaths() {}

    /** The directory of a partition, relative to the output: {@code name=value} per column, joined by '/'. */
    static String directory(List<String> names, List<String> values) {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("partition columns " + names + " but values " + values);
        }
        StringBuilder directory = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                directory.append('/');
            }
            String value = values.get(i);
            directory
                    .append(escape(names.get(i)))
                    .append('=')
                    .append(value == null || value.isEmpty() ? DEFAULT_PARTITION : escape(value));
        }
        return directory.toString();
    }

    /** The partition text of a column's value at a position; null for NULL. */
    static String text(Column column, int position) {
        Object value = column.value(position);
        if (value == null) {
            return null;
        }
        ColumnType type = column.type();
        return switch (type) {
            case DATE -> Values.formatDate((Integer) value);
            case TIMESTAMP -> {
                long micros = (Long) value;
                LocalDateTime time = LocalDateTime.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000,
                        ZoneOffset.UTC);
                yield time.getNano() == 0
                        ? time.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT))
                        : time.format(TIMESTAMP);
            }
            case BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR -> String.valueOf(value);
            case VARBINARY, ARRAY, STRUCT ->
                throw new IllegalStateException("partition columns of type " + type + " are refused when the sink is"
                        + " made; see FileSink.throwIfUnsupported");
        };
    }

    /** Whether a character is written as %XX in a partition directory (Hive's and Spark's set). */
    private static boolean needsEscape(char c) {
        return c < 0x20 || c == 0x7F || c == '"' || c == '#' || c == '%' || c == '\'' || c == '*' || c == '/'
                || c == ':' || c == '=' || c == '?' || c == '\\' || c == '{' || c == '[' || c == ']' || c == '^';
    }

    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                if (escaped == null) {
                    escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                escaped.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    /** Undoes {@link #escape}; a '%' not followed by two hex digits stays as it is, as in Hive. */
    static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        StringBuilder plain = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                plain.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                plain.append(c);
            }
        }
        return plain.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    /**
     * The partition values of a file under a root directory, by column name in path order: each directory between them
     * named {@code name=value} (unescaped; {@link #DEFAULT_PARTITION} is null). Empty when the file is not under the
     * root, or a directory between them is not of that form (Spark then reads no partition columns either).
     */
    static Map<String, String> values(Path root, Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        Path relative;
        try {
            relative = root.relativize(file);
        } catch (IllegalArgumentException e) {
            return values;
        }
        if (relative.startsWith("..")) {
            return values;
        }
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            String name = relative.getName(i).toString();
            int equals = name.indexOf('=');
            if (equals <= 0) {
                return new LinkedHashMap<>();
            }
            String value = unescape(name.substring(equals + 1));
            values.put(unescape(name.substring(0, equals)), value.equals(DEFAULT_PARTITION) ? null : value);
        }
        return values;
    }
}
