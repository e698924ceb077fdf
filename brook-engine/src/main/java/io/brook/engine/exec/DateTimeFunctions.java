package io.brook.engine.exec;

import static io.brook.engine.exec.CivilTime.MICROS_PER_DAY;
import static io.brook.engine.exec.CivilTime.MICROS_PER_HOUR;
import static io.brook.engine.exec.CivilTime.MICROS_PER_MINUTE;
import static io.brook.engine.exec.CivilTime.MICROS_PER_SECOND;

import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.VarcharColumn;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;
import org.apache.calcite.avatica.util.TimeUnitRange;

/**
 * EXTRACT, FLOOR and CEIL to a unit, Spark's date_trunc, to_timestamp, date_add, date_sub and datediff, and datetime
 * plus or minus an interval literal, all in UTC on days (DATE) and microseconds (TIMESTAMP) since the epoch, without an
 * object per row except where a user's format pattern is parsed. Null in, null out.
 */
final class DateTimeFunctions {
    private DateTimeFunctions() {}

    /** Units to truncate to. Calcite's FLOOR(... TO WEEK) starts weeks on Sunday, Spark's date_trunc on Monday. */
    enum Unit {
        YEAR,
        QUARTER,
        MONTH,
        WEEK_FROM_SUNDAY,
        WEEK_FROM_MONDAY,
        DAY,
        HOUR,
        MINUTE,
        SECOND,
        MILLISECOND,
        MICROSECOND;

        /** Calcite's unit, or null when Brook cannot truncate to it. */
        static Unit ofCalcite(TimeUnitRange range) {
            return switch (range) {
                case YEAR -> YEAR;
                case QUARTER -> QUARTER;
                case MONTH -> MONTH;
                case WEEK -> WEEK_FROM_SUNDAY;
                case DAY -> DAY;
                case HOUR -> HOUR;
                case MINUTE -> MINUTE;
                case SECOND -> SECOND;
                case MILLISECOND -> MILLISECOND;
                case MICROSECOND -> MICROSECOND;
                default -> null;
            };
        }

        /** A unit as Spark's date_trunc names it (any case), or null for a name it does not know. */
        static Unit ofSpark(String name) {
            return switch (name.trim().toUpperCase(Locale.ROOT)) {
                case "YEAR", "YYYY", "YY" -> YEAR;
                case "QUARTER" -> QUARTER;
                case "MONTH", "MM", "MON" -> MONTH;
                case "WEEK" -> WEEK_FROM_MONDAY;
                case "DAY", "DD" -> DAY;
                case "HOUR" -> HOUR;
                case "MINUTE" -> MINUTE;
                case "SECOND" -> SECOND;
                case "MILLISECOND" -> MILLISECOND;
                case "MICROSECOND" -> MICROSECOND;
                default -> null;
            };
        }

        long truncate(long micros) {
            int days = CivilTime.daysOfMicros(micros);
            return switch (this) {
                case YEAR -> CivilTime.daysFromCivil(CivilTime.year(CivilTime.civil(days)), 1, 1) * MICROS_PER_DAY;
                case QUARTER, MONTH -> {
                    int civil = CivilTime.civil(days);
                    int month = CivilTime.month(civil);
                    int first = this == MONTH ? month : month - (month - 1) % 3;
                    yield CivilTime.daysFromCivil(CivilTime.year(civil), first, 1) * MICROS_PER_DAY;
                }
                case WEEK_FROM_SUNDAY -> (days - CivilTime.isoDayOfWeek(days) % 7) * MICROS_PER_DAY;
                case WEEK_FROM_MONDAY -> (days - CivilTime.isoDayOfWeek(days) + 1) * MICROS_PER_DAY;
                case DAY -> days * MICROS_PER_DAY;
                case HOUR -> micros - Math.floorMod(micros, MICROS_PER_HOUR);
                case MINUTE -> micros - Math.floorMod(micros, MICROS_PER_MINUTE);
                case SECOND -> micros - Math.floorMod(micros, MICROS_PER_SECOND);
                case MILLISECOND -> micros - Math.floorMod(micros, 1000L);
                case MICROSECOND -> micros;
            };
        }

        /** The smallest start of a unit at or after {@code micros}. */
        long ceil(long micros) {
            long floor = truncate(micros);
            if (floor == micros) {
                return micros;
            }
            return switch (this) {
                case YEAR -> CivilTime.plusMonthsMicros(floor, 12);
                case QUARTER -> CivilTime.plusMonthsMicros(floor, 3);
                case MONTH -> CivilTime.plusMonthsMicros(floor, 1);
                case WEEK_FROM_SUNDAY, WEEK_FROM_MONDAY -> floor + 7 * MICROS_PER_DAY;
                case DAY -> floor + MICROS_PER_DAY;
                case HOUR -> floor + MICROS_PER_HOUR;
                case MINUTE -> floor + MICROS_PER_MINUTE;
                case SECOND -> floor + MICROS_PER_SECOND;
                case MILLISECOND -> floor + 1000L;
                case MICROSECOND -> floor + 1;
            };
        }
    }

    /** Whether {@link #extract} knows a unit. */
    static boolean canExtract(TimeUnitRange unit) {
        return switch (unit) {
            case YEAR,
                    QUARTER,
                    MONTH,
                    WEEK,
                    DAY,
                    DOW,
                    ISODOW,
                    DOY,
                    HOUR,
                    MINUTE,
                    SECOND,
                    MILLISECOND,
                    MICROSECOND,
                    EPOCH -> true;
            default -> false;
        };
    }

    /**
     * EXTRACT(unit FROM datetime) as Calcite defines it: DOW is 1 (Sunday) to 7, ISODOW 1 (Monday) to 7, WEEK the ISO
     * week, MILLISECOND and MICROSECOND include the seconds, EPOCH is seconds since the epoch; SECOND and EPOCH keep
     * their fraction when the result type is DOUBLE.
     */
    static Evaluator extract(TimeUnitRange unit, ColumnType result, Evaluator operand) {
        return batch -> {
            Column in = operand.evaluate(batch);
            NumberBuilder out = new NumberBuilder(result, in.size());
            boolean real = result == ColumnType.DOUBLE;
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                    continue;
                }
                long micros = micros(in, i);
                int days = CivilTime.daysOfMicros(micros);
                long ofDay = Math.floorMod(micros, MICROS_PER_DAY);
                long ofMinute = ofDay % MICROS_PER_MINUTE;
                switch (unit) {
                    case YEAR -> out.appendLong(CivilTime.year(CivilTime.civil(days)));
                    case QUARTER -> out.appendLong((CivilTime.month(CivilTime.civil(days)) + 2) / 3);
                    case MONTH -> out.appendLong(CivilTime.month(CivilTime.civil(days)));
                    case WEEK -> out.appendLong(CivilTime.isoWeek(days));
                    case DAY -> out.appendLong(CivilTime.day(CivilTime.civil(days)));
                    case DOW -> out.appendLong(CivilTime.isoDayOfWeek(days) % 7 + 1);
                    case ISODOW -> out.appendLong(CivilTime.isoDayOfWeek(days));
                    case DOY -> out.appendLong(CivilTime.dayOfYear(days));
                    case HOUR -> out.appendLong(ofDay / MICROS_PER_HOUR);
                    case MINUTE -> out.appendLong(ofDay / MICROS_PER_MINUTE % 60);
                    case SECOND -> {
                        if (real) {
                            out.appendDouble(ofMinute / (double) MICROS_PER_SECOND);
                        } else {
                            out.appendLong(ofMinute / MICROS_PER_SECOND);
                        }
                    }
                    case MILLISECOND -> out.appendLong(ofMinute / 1000);
                    case MICROSECOND -> out.appendLong(ofMinute);
                    case EPOCH -> {
                        if (real) {
                            out.appendDouble(micros / (double) MICROS_PER_SECOND);
                        } else {
                            out.appendLong(Math.floorDiv(micros, MICROS_PER_SECOND));
                        }
                    }
                    default -> throw new IllegalArgumentException("EXTRACT of " + unit + " is not supported");
                }
            }
            return out.build();
        };
    }

    /** FLOOR or CEIL of a DATE or TIMESTAMP to a unit, into the call's type. */
    static Evaluator floorCeil(Unit unit, boolean ceil, ColumnType result, Evaluator operand) {
        return batch -> {
            Column in = operand.evaluate(batch);
            NumberBuilder out = new NumberBuilder(result, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                } else {
                    long micros = micros(in, i);
                    appendMicros(out, ceil ? unit.ceil(micros) : unit.truncate(micros));
                }
            }
            return out.build();
        };
    }

    /**
     * Spark's date_trunc(unit, timestamp): a TIMESTAMP at the start of the unit; NULL for a unit Spark does not know.
     *
     * @param literal the unit when it is a literal, else null
     */
    static Evaluator dateTrunc(Evaluator unit, String literal, Evaluator operand) {
        Unit fixed = literal == null ? null : Unit.ofSpark(literal);
        return batch -> {
            Column in = operand.evaluate(batch);
            VarcharColumn units = literal == null ? (VarcharColumn) unit.evaluate(batch) : null;
            LongColumn.Builder out = LongColumn.builder(ColumnType.TIMESTAMP, in.size());
            for (int i = 0; i < in.size(); i++) {
                Unit row = units == null ? fixed : units.isNull(i) ? null : Unit.ofSpark(units.getString(i));
                if (in.isNull(i) || row == null) {
                    out.appendNull();
                } else {
                    out.append(row.truncate(micros(in, i)));
                }
            }
            return out.build();
        };
    }

    /**
     * Spark's to_timestamp(text[, pattern]): without a pattern as a cast to TIMESTAMP reads text, with one by a
     * {@link DateTimeFormatter} pattern (fields it lacks default to 1970-01-01 00:00 UTC); NULL for text that does not
     * parse.
     *
     * @param literal the pattern when it is a literal, else null
     */
    static Evaluator toTimestamp(Evaluator text, Evaluator pattern, String literal) {
        DateTimeFormatter fixed = literal == null ? null : formatter(literal);
        return batch -> {
            VarcharColumn in = (VarcharColumn) text.evaluate(batch);
            VarcharColumn patterns = pattern == null || fixed != null ? null : (VarcharColumn) pattern.evaluate(batch);
            LongColumn.Builder out = LongColumn.builder(ColumnType.TIMESTAMP, in.size());
            CivilTime.Parser parser = new CivilTime.Parser();
            String lastPattern = null;
            DateTimeFormatter formatter = fixed;
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || (patterns != null && patterns.isNull(i))) {
                    out.appendNull();
                    continue;
                }
                if (patterns != null && !patterns.getString(i).equals(lastPattern)) {
                    lastPattern = patterns.getString(i);
                    formatter = formatter(lastPattern);
                }
                long micros = pattern == null ? parser.timestamp(in, i) : parse(formatter, in.getString(i));
                if (micros == CivilTime.INVALID) {
                    out.appendNull();
                } else {
                    out.append(micros);
                }
            }
            return out.build();
        };
    }

    /**
     * DATE_FORMAT(timestamp, pattern): the timestamp in UTC as text by a {@link DateTimeFormatter} pattern.
     *
     * @param literal the pattern when it is a literal, else null
     */
    static Evaluator dateFormat(Evaluator timestamp, Evaluator pattern, String literal) {
        DateTimeFormatter fixed = literal == null ? null : printer(literal);
        return batch -> {
            LongColumn in = (LongColumn) timestamp.evaluate(batch);
            VarcharColumn patterns = fixed != null ? null : (VarcharColumn) pattern.evaluate(batch);
            VarcharColumn.Builder out = VarcharColumn.builder(in.size());
            String lastPattern = null;
            DateTimeFormatter formatter = fixed;
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || (patterns != null && patterns.isNull(i))) {
                    out.appendNull();
                    continue;
                }
                if (patterns != null && !patterns.getString(i).equals(lastPattern)) {
                    lastPattern = patterns.getString(i);
                    formatter = printer(lastPattern);
                }
                long micros = in.getLong(i);
                java.time.Instant instant = java.time.Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
                out.append(formatter.format(instant));
            }
            return out.build();
        };
    }

    private static DateTimeFormatter printer(String pattern) {
        try {
            return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "DATE_FORMAT pattern '" + pattern + "' is not a valid pattern: " + e.getMessage(), e);
        }
    }

    private static DateTimeFormatter formatter(String pattern) {
        try {
            return new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(pattern)
                    .parseDefaulting(ChronoField.ERA, 1)
                    .toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "TO_TIMESTAMP pattern '" + pattern + "' is not a valid pattern: " + e.getMessage(), e);
        }
    }

    /** Microseconds since the epoch of text in a pattern, or {@link CivilTime#INVALID}. */
    private static long parse(DateTimeFormatter formatter, String text) {
        TemporalAccessor parsed;
        try {
            parsed = formatter.parse(text);
        } catch (DateTimeException e) {
            // Spark's to_timestamp: text that does not parse is NULL, not an error.
            return CivilTime.INVALID;
        }
        LocalDate date = parsed.query(TemporalQueries.localDate());
        LocalTime time = parsed.query(TemporalQueries.localTime());
        ZoneOffset offset = parsed.query(TemporalQueries.offset());
        long days = date == null ? 0 : date.toEpochDay();
        long ofDay = time == null ? 0 : time.toNanoOfDay() / 1000;
        long shift = offset == null ? 0 : offset.getTotalSeconds() * MICROS_PER_SECOND;
        return days * MICROS_PER_DAY + ofDay - shift;
    }

    /**
     * A DATE or TIMESTAMP plus {@code sign} times a constant interval: {@code millis} for a day-time interval (Calcite
     * keeps those in milliseconds) or {@code months} for a year-month one (days past the new month's end clamp to it).
     */
    static Evaluator plusInterval(ColumnType result, Evaluator operand, long amount, boolean months, int sign) {
        return batch -> {
            Column in = operand.evaluate(batch);
            NumberBuilder out = new NumberBuilder(result, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                } else if (months) {
                    appendMicros(out, CivilTime.plusMonthsMicros(micros(in, i), sign * amount));
                } else {
                    appendMicros(out, micros(in, i) + sign * amount * 1000);
                }
            }
            return out.build();
        };
    }

    /** Spark's date_add(date, days) (or date_sub with {@code sign} -1): a DATE; a TIMESTAMP counts as its date. */
    static Evaluator dateAdd(Evaluator date, Evaluator days, int sign) {
        return batch -> {
            Column in = date.evaluate(batch);
            Column amounts = days.evaluate(batch);
            IntColumn.Builder out = IntColumn.builder(ColumnType.DATE, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || amounts.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(CivilTime.daysOfMicros(micros(in, i)) + sign * (int) ColumnTypes.longAt(amounts, i));
                }
            }
            return out.build();
        };
    }

    /** Spark's datediff(end, start): days from start to end, by their dates. */
    static Evaluator dateDiff(Evaluator end, Evaluator start) {
        return batch -> {
            Column ends = end.evaluate(batch);
            Column starts = start.evaluate(batch);
            IntColumn.Builder out = IntColumn.builder(ColumnType.INT, ends.size());
            for (int i = 0; i < ends.size(); i++) {
                if (ends.isNull(i) || starts.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(CivilTime.daysOfMicros(micros(ends, i)) - CivilTime.daysOfMicros(micros(starts, i)));
                }
            }
            return out.build();
        };
    }

    /** A DATE or TIMESTAMP value as microseconds since the epoch. */
    private static long micros(Column column, int position) {
        if (column.type() == ColumnType.DATE) {
            return ((IntColumn) column).getInt(position) * MICROS_PER_DAY;
        }
        if (column.type() == ColumnType.TIMESTAMP) {
            return ((LongColumn) column).getLong(position);
        }
        throw new IllegalArgumentException("not a DATE or TIMESTAMP column: " + column.type());
    }

    private static void appendMicros(NumberBuilder out, long micros) {
        out.appendLong(out.type() == ColumnType.DATE ? CivilTime.daysOfMicros(micros) : micros);
    }
}
