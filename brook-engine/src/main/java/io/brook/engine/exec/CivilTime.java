package io.brook.engine.exec;

import io.brook.engine.batch.VarcharColumn;
import java.nio.charset.StandardCharsets;

/**
 * Calendar arithmetic on the proleptic Gregorian calendar in UTC, without an object per value: days since the epoch to
 * year, month and day and back (Howard Hinnant's civil-date algorithms), and the parsing and formatting of DATE and
 * TIMESTAMP text straight from and to UTF-8 bytes. A civil date is packed into an int as {@code year << 9 | month <<
 * 5 | day}.
 */
final class CivilTime {
    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

    /** What the parsers return for text that is not a date or timestamp (no parsable text comes near it). */
    static final long INVALID = Long.MIN_VALUE;

    private CivilTime() {}

    static int daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /** The civil date of a day since the epoch, packed; read it with {@link #year}, {@link #month}, {@link #day}. */
    static int civil(int days) {
        int z = days + 719468;
        int era = Math.floorDiv(z, 146097);
        int dayOfEra = z - era * 146097;
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int mp = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        return (year << 9) | (month << 5) | day;
    }

    static int year(int civil) {
        return civil >> 9;
    }

    static int month(int civil) {
        return (civil >> 5) & 15;
    }

    static int day(int civil) {
        return civil & 31;
    }

    static boolean isLeapYear(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeapYear(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    static int daysOfMicros(long micros) {
        return (int) Math.floorDiv(micros, MICROS_PER_DAY);
    }

    /** ISO day of week: Monday 1 to Sunday 7. */
    static int isoDayOfWeek(int days) {
        return Math.floorMod(days + 3, 7) + 1;
    }

    static int dayOfYear(int days) {
        return days - daysFromCivil(year(civil(days)), 1, 1) + 1;
    }

    /** The ISO 8601 week of the year: weeks start on Monday, and week 1 holds the year's first Thursday. */
    static int isoWeek(int days) {
        int thursday = days - isoDayOfWeek(days) + 4;
        return (thursday - daysFromCivil(year(civil(thursday)), 1, 1)) / 7 + 1;
    }

    /** Adds months to a date; a day past the end of the new month becomes its last day, as Spark's add_months does. */
    static int plusMonths(int days, long months) {
        int civil = civil(days);
        long total = (long) year(civil) * 12 + month(civil) - 1 + months;
        int year = (int) Math.floorDiv(total, 12);
        int month = (int) Math.floorMod(total, 12) + 1;
        return daysFromCivil(year, month, Math.min(day(civil), lengthOfMonth(year, month)));
    }

    static long plusMonthsMicros(long micros, long months) {
        int days = daysOfMicros(micros);
        return plusMonths(days, months) * MICROS_PER_DAY + Math.floorMod(micros, MICROS_PER_DAY);
    }

    /** Writes {@code yyyy-MM-dd} into {@code out} from {@code at}; returns the index after it. */
    static int formatDate(int days, byte[] out, int at) {
        int civil = civil(days);
        int year = year(civil);
        int i = at;
        if (year < 0) {
            out[i++] = '-';
            year = -year;
        }
        i = digits(year, year > 9999 ? String.valueOf(year).length() : 4, out, i);
        out[i++] = '-';
        i = digits(month(civil), 2, out, i);
        out[i++] = '-';
        return digits(day(civil), 2, out, i);
    }

    /** Writes {@code yyyy-MM-dd HH:mm:ss[.fraction]} as Spark does (the fraction without trailing zeros). */
    static int formatTimestamp(long micros, byte[] out, int at) {
        int i = formatDate(daysOfMicros(micros), out, at);
        long ofDay = Math.floorMod(micros, MICROS_PER_DAY);
        out[i++] = ' ';
        i = digits((int) (ofDay / MICROS_PER_HOUR), 2, out, i);
        out[i++] = ':';
        i = digits((int) (ofDay / MICROS_PER_MINUTE % 60), 2, out, i);
        out[i++] = ':';
        i = digits((int) (ofDay / MICROS_PER_SECOND % 60), 2, out, i);
        int fraction = (int) (ofDay % MICROS_PER_SECOND);
        if (fraction != 0) {
            out[i++] = '.';
            int width = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                width--;
            }
            i = digits(fraction, width, out, i);
        }
        return i;
    }

    private static int digits(int value, int width, byte[] out, int at) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + width;
    }

    /**
     * Parses DATE and TIMESTAMP text as Spark's casts do, straight from a value's UTF-8 bytes. Make one per batch and
     * call it per row; it is not thread-safe.
     */
    static final class Parser {
        /** The value being parsed, copied here so that every step reads an array, not a column. */
        private byte[] text = new byte[32];

        private int index;
        private int end;

        /**
         * A DATE: {@code yyyy}, {@code yyyy-[m]m} or {@code yyyy-[m]m-[d]d}, optionally followed by a space or {@code T}
         * and anything, around whitespace. Returns days since the epoch, or {@link #INVALID}.
         */
        long date(VarcharColumn text, int at) {
            load(text, at);
            return wholeDate();
        }

        private long wholeDate() {
            trim();
            long days = date();
            if (days == INVALID) {
                return INVALID;
            }
            if (atEnd() || peek() == ' ' || peek() == 'T') {
                return days;
            }
            return INVALID;
        }

        /**
         * A TIMESTAMP: a date as {@link #date(VarcharColumn, int)} reads it, then optionally a space or {@code T},
         * {@code [h]h:[m]m[:[s]s[.fraction]]} and a zone ({@code Z}, {@code UTC} or {@code +hh[:mm]}); no zone means
         * UTC. Returns microseconds since the epoch, or {@link #INVALID}.
         */
        long timestamp(VarcharColumn text, int at) {
            load(text, at);
            return timestamp();
        }

        /** {@link #timestamp(VarcharColumn, int)} of UTF-16 text, as a JSON parser hands it over. */
        long timestamp(char[] chars, int offset, int length) {
            load(chars, offset, length);
            return timestamp();
        }

        /** {@link #date(VarcharColumn, int)} of UTF-16 text. */
        long date(char[] chars, int offset, int length) {
            load(chars, offset, length);
            return wholeDate();
        }

        private long timestamp() {
            trim();
            long days = date();
            if (days == INVALID) {
                return INVALID;
            }
            if (atEnd()) {
                return days * MICROS_PER_DAY;
            }
            if (peek() != ' ' && peek() != 'T') {
                return INVALID;
            }
            next();
            long time = time();
            if (time == INVALID) {
                return INVALID;
            }
            long offset = zone();
            if (offset == INVALID || !atEnd()) {
                return INVALID;
            }
            return days * MICROS_PER_DAY + time - offset;
        }

        private void load(VarcharColumn column, int at) {
            int length = column.byteLength(at);
            if (text.length < length) {
                text = new byte[Math.max(length, text.length * 2)];
            }
            end = column.copyBytes(at, text, 0);
            index = 0;
        }

        /** Loads UTF-16 text as UTF-8 bytes (copied as they are when ASCII, as dates and times are). */
        private void load(char[] chars, int offset, int length) {
            if (text.length < length) {
                text = new byte[Math.max(length, text.length * 2)];
            }
            for (int i = 0; i < length; i++) {
                char c = chars[offset + i];
                if (c >= 0x80) {
                    // Rare (no date has such a character): encode the whole text; the parse then finds it invalid or
                    // reads its date before a space or T, as for any UTF-8 value.
                    text = new String(chars, offset, length).getBytes(StandardCharsets.UTF_8);
                    length = text.length;
                    break;
                }
                text[i] = (byte) c;
            }
            index = 0;
            end = length;
        }

        /** Skips whitespace at both ends. */
        private void trim() {
            while (end > index && (text[end - 1] & 0xff) <= ' ') {
                end--;
            }
            while (index < end && (text[index] & 0xff) <= ' ') {
                index++;
            }
        }

        private boolean atEnd() {
            return index >= end;
        }

        private int peek() {
            return atEnd() ? -1 : text[index];
        }

        private void next() {
            index++;
        }

        /** Up to {@code max} (at least {@code min}) digits as a number, or -1. */
        private int number(int min, int max) {
            int value = 0;
            int count = 0;
            while (count < max && !atEnd() && peek() >= '0' && peek() <= '9') {
                value = value * 10 + peek() - '0';
                next();
                count++;
            }
            return count < min ? -1 : value;
        }

        private long date() {
            int year = number(4, 6);
            if (year < 0) {
                return INVALID;
            }
            int month = 1;
            int day = 1;
            if (peek() == '-') {
                next();
                month = number(1, 2);
                if (peek() == '-') {
                    next();
                    day = number(1, 2);
                }
            }
            if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
                return INVALID;
            }
            return daysFromCivil(year, month, day);
        }

        private long time() {
            int hour = number(1, 2);
            if (hour < 0 || hour > 23 || peek() != ':') {
                return INVALID;
            }
            next();
            int minute = number(1, 2);
            if (minute < 0 || minute > 59) {
                return INVALID;
            }
            int second = 0;
            long fraction = 0;
            if (peek() == ':') {
                next();
                second = number(1, 2);
                if (second < 0 || second > 59) {
                    return INVALID;
                }
                if (peek() == '.') {
                    next();
                    long scale = 100_000;
                    int count = 0;
                    while (!atEnd() && peek() >= '0' && peek() <= '9') {
                        fraction += (peek() - '0') * scale;
                        scale /= 10;
                        next();
                        count++;
                    }
                    if (count == 0 || count > 9) {
                        return INVALID;
                    }
                }
            }
            return hour * MICROS_PER_HOUR + minute * MICROS_PER_MINUTE + second * MICROS_PER_SECOND + fraction;
        }

        /** The zone's offset from UTC in microseconds (0 without one), or {@link #INVALID}. */
        private long zone() {
            if (atEnd()) {
                return 0;
            }
            if (peek() == ' ') {
                next();
            }
            if (peek() == 'Z') {
                next();
                return 0;
            }
            if (peek() == 'U') {
                next();
                if (peek() != 'T') {
                    return INVALID;
                }
                next();
                if (peek() != 'C') {
                    return INVALID;
                }
                next();
                return 0;
            }
            if (peek() != '+' && peek() != '-') {
                return INVALID;
            }
            int sign = peek() == '-' ? -1 : 1;
            next();
            int hours = number(1, 2);
            int minutes = 0;
            if (peek() == ':') {
                next();
                minutes = number(2, 2);
            }
            if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
                return INVALID;
            }
            return sign * (hours * MICROS_PER_HOUR + minutes * MICROS_PER_MINUTE);
        }
    }
}
