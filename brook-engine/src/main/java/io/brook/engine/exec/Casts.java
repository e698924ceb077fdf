package io.brook.engine.exec;

import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.VarcharColumn;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * CAST between all column types with Spark's (non-ANSI) semantics: text that is not a value of the target type becomes
 * NULL rather than an error; DOUBLE to an integer truncates; BIGINT and TIMESTAMP convert through seconds since the
 * epoch; a DECIMAL target (held as DOUBLE) rounds half up to its scale and is NULL past its precision.
 */
final class Casts {
    private Casts() {}

    /** Whether {@link #of} converts these types; never arrays (ExpressionCompiler refuses those casts itself). */
    static boolean supports(ColumnType from, ColumnType to) {
        if (!from.isScalar() || !to.isScalar()) {
            return false;
        }
        if (from == ColumnType.VARBINARY || to == ColumnType.VARBINARY) {
            // Bytes convert to and from text only (Spark also casts integers to their big-endian bytes; Brook not yet).
            return from == to || from == ColumnType.VARCHAR || to == ColumnType.VARCHAR;
        }
        if (from == to || to == ColumnType.VARCHAR || from == ColumnType.VARCHAR) {
            return true;
        }
        boolean fromNumber = ColumnTypes.isNumeric(from) || from == ColumnType.BOOLEAN;
        boolean toNumber = ColumnTypes.isNumeric(to) || to == ColumnType.BOOLEAN;
        if (fromNumber && toNumber) {
            return true;
        }
        if ((from == ColumnType.DATE && to == ColumnType.TIMESTAMP)
                || (from == ColumnType.TIMESTAMP && to == ColumnType.DATE)) {
            return true;
        }
        return (ColumnTypes.isNumeric(from) && to == ColumnType.TIMESTAMP)
                || (from == ColumnType.TIMESTAMP && ColumnTypes.isNumeric(to));
    }

    /** A cast of an operand of Calcite type {@code source} to Calcite type {@code target}; check {@link #supports}. */
    static Evaluator of(RelDataType source, RelDataType target, Evaluator operand) {
        ColumnType from = ColumnTypes.of(source);
        ColumnType to = ColumnTypes.of(target);
        Decimal decimal = target.getSqlTypeName() == SqlTypeName.DECIMAL
                ? new Decimal(target.getPrecision(), target.getScale())
                : null;
        int sourceScale = source.getSqlTypeName() == SqlTypeName.DECIMAL ? source.getScale() : -1;
        return batch -> {
            Column in = operand.evaluate(batch);
            Column out = convert(in, from, to, sourceScale);
            return decimal == null ? out : decimal.fit(out);
        };
    }

    /** A column converted to another type (numbers widened or narrowed), for results whose branches differ in type. */
    static Column convert(Column in, ColumnType to) {
        return in.type() == to ? in : convert(in, in.type(), to, -1);
    }

    private static Column convert(Column in, ColumnType from, ColumnType to, int sourceScale) {
        if (from == to) {
            return in;
        }
        if (from == ColumnType.VARBINARY) {
            if (to != ColumnType.VARCHAR) {
                throw new IllegalArgumentException("cannot cast VARBINARY to " + to);
            }
            return decodeUtf8((VarcharColumn) in);
        }
        if (from == ColumnType.VARCHAR) {
            return fromVarchar((VarcharColumn) in, to);
        }
        if (to == ColumnType.VARCHAR) {
            return toVarchar(in, sourceScale);
        }
        int size = in.size();
        if (to == ColumnType.BOOLEAN) {
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, size);
            for (int i = 0; i < size; i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(ColumnTypes.doubleAt(in, i) != 0);
                }
            }
            return out.build();
        }
        NumberBuilder out = new NumberBuilder(to, size);
        for (int i = 0; i < size; i++) {
            if (in.isNull(i)) {
                out.appendNull();
            } else if (from == ColumnType.BOOLEAN) {
                out.appendLong(((BooleanColumn) in).getBoolean(i) ? 1 : 0);
            } else if (from == ColumnType.DATE) {
                out.appendLong(((IntColumn) in).getInt(i) * CivilTime.MICROS_PER_DAY);
            } else if (from == ColumnType.TIMESTAMP) {
                long micros = ((LongColumn) in).getLong(i);
                if (to == ColumnType.DATE) {
                    out.appendLong(CivilTime.daysOfMicros(micros));
                } else if (to == ColumnType.DOUBLE) {
                    out.appendDouble(micros / (double) CivilTime.MICROS_PER_SECOND);
                } else {
                    out.appendLong(Math.floorDiv(micros, CivilTime.MICROS_PER_SECOND));
                }
            } else if (to == ColumnType.TIMESTAMP) {
                if (from == ColumnType.DOUBLE) {
                    out.appendLong((long) (ColumnTypes.doubleAt(in, i) * CivilTime.MICROS_PER_SECOND));
                } else {
                    out.appendLong(ColumnTypes.longAt(in, i) * CivilTime.MICROS_PER_SECOND);
                }
            } else if (from == ColumnType.DOUBLE) {
                out.appendDouble(ColumnTypes.doubleAt(in, i));
            } else {
                out.appendLong(ColumnTypes.longAt(in, i));
            }
        }
        return out.build();
    }

    private static VarcharColumn toVarchar(Column in, int sourceScale) {
        int size = in.size();
        VarcharColumn.Builder out = VarcharColumn.builder(size);
        byte[] scratch = new byte[40];
        byte[] digits = new byte[20];
        for (int i = 0; i < size; i++) {
            if (in.isNull(i)) {
                out.appendNull();
                continue;
            }
            switch (in.type()) {
                case BOOLEAN -> out.append(((BooleanColumn) in).getBoolean(i) ? "true" : "false");
                case INT, BIGINT -> out.appendUtf8(digits, 0, formatLong(ColumnTypes.longAt(in, i), digits));
                case DOUBLE -> {
                    double value = ColumnTypes.doubleAt(in, i);
                    out.append(
                            sourceScale >= 0 && Double.isFinite(value)
                                    ? BigDecimal.valueOf(value)
                                            .setScale(sourceScale, RoundingMode.HALF_UP)
                                            .toPlainString()
                                    : Double.toString(value));
                }
                case DATE -> out.appendUtf8(scratch, 0, CivilTime.formatDate(((IntColumn) in).getInt(i), scratch, 0));
                case TIMESTAMP ->
                    out.appendUtf8(scratch, 0, CivilTime.formatTimestamp(((LongColumn) in).getLong(i), scratch, 0));
                case VARCHAR, VARBINARY, ARRAY, STRUCT ->
                    throw new IllegalStateException(in.type() + " is not converted to VARCHAR here");
            }
        }
        return out.build();
    }

    /** Writes a long's decimal digits at the start of {@code out} (which has room for 20); returns their length. */
    private static int formatLong(long value, byte[] out) {
        int at = out.length;
        long rest = value;
        do {
            out[--at] = (byte) ('0' + Math.abs(rest % 10));
            rest /= 10;
        } while (rest != 0);
        if (value < 0) {
            out[--at] = '-';
        }
        int length = out.length - at;
        System.arraycopy(out, at, out, 0, length);
        return length;
    }

    private static Column fromVarchar(VarcharColumn in, ColumnType to) {
        int size = in.size();
        switch (to) {
            case BOOLEAN -> {
                BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, size);
                for (int i = 0; i < size; i++) {
                    Boolean value = in.isNull(i) ? null : parseBoolean(in.getString(i));
                    if (value == null) {
                        out.appendNull();
                    } else {
                        out.append(value);
                    }
                }
                return out.build();
            }
            case INT, BIGINT -> {
                NumberBuilder out = new NumberBuilder(to, size);
                long min = to == ColumnType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
                long max = to == ColumnType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
                for (int i = 0; i < size; i++) {
                    if (in.isNull(i) || !parseLong(in, i, min, max, out)) {
                        out.appendNull();
                    }
                }
                return out.build();
            }
            case DOUBLE -> {
                NumberBuilder out = new NumberBuilder(to, size);
                for (int i = 0; i < size; i++) {
                    if (in.isNull(i) || !parseDouble(in.getString(i), out)) {
                        out.appendNull();
                    }
                }
                return out.build();
            }
            case DATE, TIMESTAMP -> {
                NumberBuilder out = new NumberBuilder(to, size);
                CivilTime.Parser parser = new CivilTime.Parser();
                for (int i = 0; i < size; i++) {
                    long value = in.isNull(i)
                            ? CivilTime.INVALID
                            : to == ColumnType.DATE ? parser.date(in, i) : parser.timestamp(in, i);
                    if (value == CivilTime.INVALID) {
                        out.appendNull();
                    } else {
                        out.appendLong(value);
                    }
                }
                return out.build();
            }
            case VARCHAR -> {
                return in;
            }
            case VARBINARY -> {
                // The UTF-8 bytes as they are, as Spark's CAST(string AS BINARY).
                VarcharColumn.Builder out = VarcharColumn.builder(ColumnType.VARBINARY, size);
                for (int i = 0; i < size; i++) {
                    if (in.isNull(i)) {
                        out.appendNull();
                    } else {
                        out.appendPart(in, i, 0, in.byteLength(i));
                    }
                }
                return out.build();
            }
            case ARRAY, STRUCT -> throw new IllegalStateException("VARCHAR is not cast to " + to + "; see supports()");
        }
        throw new IllegalStateException("unknown column type " + to);
    }

    /**
     * VARBINARY to VARCHAR as Spark does it: the bytes read as UTF-8, where a malformed sequence becomes U+FFFD, so every
     * VARCHAR value stays valid UTF-8. Valid values are copied without decoding.
     */
    private static VarcharColumn decodeUtf8(VarcharColumn in) {
        if (in.isAscii()) {
            return in.withType(ColumnType.VARCHAR);
        }
        int size = in.size();
        int firstInvalid = 0;
        while (firstInvalid < size && (in.isNull(firstInvalid) || isValidUtf8(in, firstInvalid))) {
            firstInvalid++;
        }
        if (firstInvalid == size) {
            // The common case: the bytes are already UTF-8 text, so the values are shared, not copied.
            return in.withType(ColumnType.VARCHAR);
        }
        VarcharColumn.Builder out = VarcharColumn.builder(size);
        for (int i = 0; i < size; i++) {
            if (in.isNull(i)) {
                out.appendNull();
            } else if (isValidUtf8(in, i)) {
                out.appendPart(in, i, 0, in.byteLength(i));
            } else {
                out.append(in.getString(i));
            }
        }
        return out.build();
    }

    /** Whether a value is well-formed UTF-8: no stray continuation, overlong form, surrogate, or code point past 10FFFF. */
    static boolean isValidUtf8(VarcharColumn in, int position) {
        int length = in.byteLength(position);
        int i = 0;
        while (i < length) {
            int lead = in.byteAt(position, i) & 0xff;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int count;
            int min;
            int codePoint;
            if (lead >= 0xc2 && lead <= 0xdf) {
                count = 1;
                min = 0x80;
                codePoint = lead & 0x1f;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                count = 2;
                min = 0x800;
                codePoint = lead & 0x0f;
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                count = 3;
                min = 0x10000;
                codePoint = lead & 0x07;
            } else {
                return false;
            }
            if (i + count >= length) {
                return false;
            }
            for (int k = 1; k <= count; k++) {
                int next = in.byteAt(position, i + k) & 0xff;
                if ((next & 0xc0) != 0x80) {
                    return false;
                }
                codePoint = (codePoint << 6) | (next & 0x3f);
            }
            if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
                return false;
            }
            i += count + 1;
        }
        return true;
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "t", "true", "y", "yes", "1" -> Boolean.TRUE;
            case "f", "false", "n", "no", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * Parses an integer as Spark does: whitespace around, an optional sign, digits, and an optional fraction that is
     * dropped. Appends it and returns true, or returns false for anything else, including a value outside the range.
     */
    private static boolean parseLong(VarcharColumn in, int position, long min, long max, NumberBuilder out) {
        int end = in.byteLength(position);
        int i = 0;
        while (end > 0 && (in.byteAt(position, end - 1) & 0xff) <= ' ') {
            end--;
        }
        while (i < end && (in.byteAt(position, i) & 0xff) <= ' ') {
            i++;
        }
        boolean negative = false;
        if (i < end && (in.byteAt(position, i) == '-' || in.byteAt(position, i) == '+')) {
            negative = in.byteAt(position, i) == '-';
            i++;
        }
        int firstDigit = i;
        long value = 0;
        // Accumulate negatively, so that the minimum value parses without overflow.
        while (i < end && in.byteAt(position, i) >= '0' && in.byteAt(position, i) <= '9') {
            int digit = in.byteAt(position, i) - '0';
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return false;
            }
            value = value * 10 - digit;
            i++;
        }
        boolean hasDigits = i > firstDigit;
        if (i < end && in.byteAt(position, i) == '.') {
            i++;
            int fractionStart = i;
            while (i < end && in.byteAt(position, i) >= '0' && in.byteAt(position, i) <= '9') {
                i++;
            }
            hasDigits |= i > fractionStart;
        }
        if (!hasDigits || i != end) {
            return false;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return false;
            }
            value = -value;
        }
        if (value < min || value > max) {
            return false;
        }
        out.appendLong(value);
        return true;
    }

    /**
     * Parses a double as Spark does (Java's syntax, plus {@code inf} and {@code infinity} in any case); appends it and
     * returns true, or returns false for text that is not a number.
     */
    private static boolean parseDouble(String text, NumberBuilder out) {
        String trimmed = text.trim();
        switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity" -> out.appendDouble(Double.POSITIVE_INFINITY);
            case "-inf", "-infinity" -> out.appendDouble(Double.NEGATIVE_INFINITY);
            case "nan" -> out.appendDouble(Double.NaN);
            default -> {
                if (trimmed.isEmpty() || !isNumberStart(trimmed.charAt(0))) {
                    return false;
                }
                try {
                    out.appendDouble(Double.parseDouble(trimmed));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isNumberStart(char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    }

    /** A DECIMAL(precision, scale) target: values rounded half up to the scale, NULL when they need more digits. */
    private record Decimal(int precision, int scale) {
        Column fit(Column in) {
            if (in.type() != ColumnType.DOUBLE) {
                return in;
            }
            double factor = Math.pow(10, scale);
            double limit = Math.pow(10, precision - scale);
            NumberBuilder out = new NumberBuilder(ColumnType.DOUBLE, in.size());
            for (int i = 0; i < in.size(); i++) {
                double value = in.isNull(i) ? 0 : ColumnTypes.doubleAt(in, i);
                double rounded = Arithmetic.roundHalfUp(value, scale, factor);
                if (in.isNull(i) || !Double.isFinite(rounded) || Math.abs(rounded) >= limit) {
                    out.appendNull();
                } else {
                    out.appendDouble(rounded);
                }
            }
            return out.build();
        }
    }
}
