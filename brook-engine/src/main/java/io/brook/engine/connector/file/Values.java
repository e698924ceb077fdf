package io.brook.engine.connector.file;

import io.brook.engine.batch.ColumnType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Conversions between the text of JSON and CSV files and column values: DATE as {@code yyyy-MM-dd} (days since the
 * epoch), TIMESTAMP as ISO-8601 (microseconds since the epoch, UTC when the text has no offset) and written with six
 * fraction digits and {@code Z}. A conversion that fails gives {@link #INVALID}, which the reader turns into NULL or an
 * error depending on the parse mode.
 */
final class Values {
    /** The result of a conversion that failed. */
    static final Object INVALID = new Object() {
        @Override
        public String toString() {
            return "INVALID";
        }
    };

    private static final DateTimeFormatter TIMESTAMP_OUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT);

    private Values() {}

    /**
     * The value of CSV text as a column type: Boolean, Integer (INT, DATE), Long (BIGINT, TIMESTAMP), Double or String;
     * {@link #INVALID} when it does not convert.
     */
    static Object fromText(ColumnType type, String text) {
        return switch (type) {
            case VARCHAR -> text;
            case VARBINARY -> parseBase64(text.strip());
            case BOOLEAN -> parseBoolean(text.strip());
            case INT -> parseInt(text.strip());
            case BIGINT -> parseLong(text.strip());
            case DOUBLE -> parseDouble(text.strip());
            case DATE -> parseDate(text.strip());
            case TIMESTAMP -> parseTimestamp(text.strip());
            case ARRAY, STRUCT ->
                throw new IllegalStateException("CSV refuses array and struct columns before reading; see CsvCodec");
        };
    }

    /** Bytes written as base64 text, as Spark writes binary values into JSON. */
    static Object parseBase64(String text) {
        try {
            return java.util.Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return INVALID;
        }
    }

    static Object parseBoolean(String text) {
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        return INVALID;
    }

    private static Object parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return INVALID;
        }
    }

    private static Object parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return INVALID;
        }
    }

    static Object parseDouble(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "Infinity", "+Infinity", "Inf", "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Infinity", "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (text.isEmpty() || !isDecimal(text)) {
            return INVALID;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return INVALID;
        }
    }

    /** Plain decimal notation only: Java's parser would also take "1d", "0x1p3" and "Infinity". */
    private static boolean isDecimal(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return true;
    }

    static Object parseDate(String text) {
        try {
            return Math.toIntExact(
                    LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).toEpochDay());
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }

    /** ISO-8601 with or without an offset or zone (then UTC), with 'T' or a space; a bare date is its midnight. */
    static Object parseTimestamp(String text) {
        String normalized =
                text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            Instant instant;
            if (normalized.length() == 10) {
                instant = LocalDate.parse(normalized, DateTimeFormatter.ISO_LOCAL_DATE)
                        .atStartOfDay()
                        .toInstant(ZoneOffset.UTC);
            } else {
                TemporalAccessor parsed =
                        DateTimeFormatter.ISO_DATE_TIME.parseBest(normalized, ZonedDateTime::from, LocalDateTime::from);
                instant = parsed instanceof ZonedDateTime zoned
                        ? zoned.toInstant()
                        : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            }
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000L);
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }

    /** A TIMESTAMP as ISO-8601 text in UTC with microseconds: {@code 2026-12-01T14:00:00.123456Z}. */
    static String formatTimestamp(long micros) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        return TIMESTAMP_OUT.format(time);
    }

    /** A DATE as {@code yyyy-MM-dd}. */
    static String formatDate(int days) {
        return LocalDate.ofEpochDay(days).format(DateTimeFormatter.ISO_LOCAL_DATE);
    }
}
