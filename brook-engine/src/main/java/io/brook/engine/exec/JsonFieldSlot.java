package io.brook.engine.exec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.VarcharColumn;
import java.io.IOException;
import java.util.Arrays;

/**
 * Where the value of one wanted JSON path goes while {@link JsonFieldReader} reads a row, and the column it builds over
 * a batch. A row's value is held until {@link #endRow}, because a later duplicate name replaces it and malformed JSON
 * clears the whole row. One per path and batch; not thread-safe.
 */
abstract class JsonFieldSlot {
    /**
     * The slot of a path read as {@code type}: VARCHAR for the value's text ({@code get_json_object}), another scalar
     * type for {@code CAST(get_json_object(...) AS type)} read straight from the token, or null for presence only.
     */
    static JsonFieldSlot of(ColumnType type, int size) {
        if (type == null) {
            return new Presence(size);
        }
        return type == ColumnType.VARCHAR ? new Text(size) : new Typed(type, size);
    }

    /** Whether {@link #of} reads this type from tokens (others are read as text and cast). */
    static boolean readsTyped(ColumnType type) {
        return switch (type) {
            case BOOLEAN, INT, BIGINT, DOUBLE, DATE, TIMESTAMP -> true;
            default -> false;
        };
    }

    /** A value that is not JSON null, the parser on its scalar token. */
    abstract void scalar(JsonParser parser, JsonToken token) throws IOException;

    /** A value that is not JSON null, as text: a scalar's text from a tree, or an object's or array's JSON text. */
    abstract void text(String text);

    /** The path holds an object or array (not null); only presence slots note it. */
    void present() {}

    /** Forgets the row's value so far: a new row, a duplicate name, or a row that is not JSON. */
    abstract void clear();

    /** Appends the row's value, or null when it has none. */
    abstract void endRow();

    abstract Column build();

    /** Whether the path holds a value: a non-null empty text where it does, null elsewhere. */
    private static final class Presence extends JsonFieldSlot {
        private static final byte[] EMPTY = new byte[0];
        private final VarcharColumn.Builder out;
        private boolean present;

        Presence(int size) {
            out = VarcharColumn.builder(size);
        }

        @Override
        void scalar(JsonParser parser, JsonToken token) {
            present = true;
        }

        @Override
        void text(String text) {
            present = true;
        }

        @Override
        void present() {
            present = true;
        }

        @Override
        void clear() {
            present = false;
        }

        @Override
        void endRow() {
            if (present) {
                out.appendUtf8(EMPTY);
            } else {
                out.appendNull();
            }
            present = false;
        }

        @Override
        Column build() {
            return out.build();
        }
    }

    /** The row's value as UTF-16 text in a reused buffer: no String per value. */
    private abstract static class TextBuffer extends JsonFieldSlot {
        char[] chars = new char[64];
        /** The text's length, or -1 for no value. */
        int length = -1;

        @Override
        void scalar(JsonParser parser, JsonToken token) throws IOException {
            int count = parser.getTextLength();
            if (chars.length < count) {
                chars = Arrays.copyOf(chars, Math.max(count, chars.length * 2));
            }
            System.arraycopy(parser.getTextCharacters(), parser.getTextOffset(), chars, 0, count);
            length = count;
        }

        @Override
        void text(String text) {
            if (chars.length < text.length()) {
                chars = new char[Math.max(text.length(), chars.length * 2)];
            }
            text.getChars(0, text.length(), chars, 0);
            length = text.length();
        }

        @Override
        void clear() {
            length = -1;
        }
    }

    /** The value's text, as {@code get_json_object} gives it. */
    private static final class Text extends TextBuffer {
        private final VarcharColumn.Builder out;

        Text(int size) {
            out = VarcharColumn.builder(size);
        }

        @Override
        void endRow() {
            if (length < 0) {
                out.appendNull();
            } else {
                out.appendChars(chars, 0, length);
            }
            length = -1;
        }

        @Override
        Column build() {
            return out.build();
        }
    }

    /**
     * The value cast to a type, with exactly {@link Casts}' result for the value's text: tokens whose text the cast
     * reads one obvious way (an integer for an integral type, a number for DOUBLE, true or false for BOOLEAN, a string
     * for DATE and TIMESTAMP) are converted here; any other value keeps its text and goes through the cast itself.
     */
    private static final class Typed extends TextBuffer {
        private final ColumnType type;
        private final NumberBuilder numbers;
        private final BooleanColumn.Builder booleans;
        private final CivilTime.Parser times;
        private final long min;
        private final long max;
        private Kind kind = Kind.NONE;
        private long longValue;
        private double doubleValue;

        private enum Kind {
            NONE,
            LONG,
            DOUBLE,
            TEXT
        }

        Typed(ColumnType type, int size) {
            this.type = type;
            this.booleans = type == ColumnType.BOOLEAN ? BooleanColumn.builder(ColumnType.BOOLEAN, size) : null;
            this.numbers = booleans == null ? new NumberBuilder(type, size) : null;
            this.times = type == ColumnType.DATE || type == ColumnType.TIMESTAMP ? new CivilTime.Parser() : null;
            this.min = type == ColumnType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
            this.max = type == ColumnType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
        }

        @Override
        void scalar(JsonParser parser, JsonToken token) throws IOException {
            switch (type) {
                case INT, BIGINT -> {
                    if (token == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        longValue = parser.getLongValue();
                        kind = longValue < min || longValue > max ? Kind.NONE : Kind.LONG;
                        return;
                    }
                }
                case DOUBLE -> {
                    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                        doubleValue = parser.getDoubleValue();
                        kind = Kind.DOUBLE;
                        return;
                    }
                }
                case BOOLEAN -> {
                    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                        longValue = token == JsonToken.VALUE_TRUE ? 1 : 0;
                        kind = Kind.LONG;
                        return;
                    }
                }
                case DATE, TIMESTAMP -> {
                    if (token == JsonToken.VALUE_STRING) {
                        char[] text = parser.getTextCharacters();
                        int offset = parser.getTextOffset();
                        int length = parser.getTextLength();
                        longValue = type == ColumnType.DATE
                                ? times.date(text, offset, length)
                                : times.timestamp(text, offset, length);
                        kind = longValue == CivilTime.INVALID ? Kind.NONE : Kind.LONG;
                        return;
                    }
                }
                default -> throw new IllegalStateException("JSON fields are not read as " + type);
            }
            super.scalar(parser, token);
            kind = Kind.TEXT;
        }

        @Override
        void text(String text) {
            super.text(text);
            kind = Kind.TEXT;
        }

        @Override
        void clear() {
            super.clear();
            kind = Kind.NONE;
        }

        @Override
        void endRow() {
            if (kind == Kind.TEXT) {
                castText();
            } else if (booleans != null) {
                if (kind == Kind.LONG) {
                    booleans.append(longValue != 0);
                } else {
                    booleans.appendNull();
                }
            } else if (kind == Kind.LONG) {
                numbers.appendLong(longValue);
            } else if (kind == Kind.DOUBLE) {
                numbers.appendDouble(doubleValue);
            } else {
                numbers.appendNull();
            }
            clear();
        }

        /** The rare value read as text (a number in a string, a fraction for an integer): cast as CAST does. */
        private void castText() {
            VarcharColumn text =
                    VarcharColumn.builder(1).appendChars(chars, 0, length).build();
            Column value = Casts.convert(text, type);
            if (value.isNull(0)) {
                if (booleans != null) {
                    booleans.appendNull();
                } else {
                    numbers.appendNull();
                }
            } else if (booleans != null) {
                booleans.append(((BooleanColumn) value).getBoolean(0));
            } else if (type == ColumnType.DOUBLE) {
                numbers.appendDouble(ColumnTypes.doubleAt(value, 0));
            } else {
                numbers.appendLong(ColumnTypes.longAt(value, 0));
            }
        }

        @Override
        Column build() {
            return booleans != null ? booleans.build() : numbers.build();
        }
    }
}
