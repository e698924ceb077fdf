package io.brook.engine.exec;

import static io.brook.engine.exec.ExpressionHarness.days;
import static io.brook.engine.exec.ExpressionHarness.micros;
import static io.brook.engine.exec.ExpressionHarness.nullable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/** Casts between all column types with Spark's non-ANSI semantics: text that is not a value becomes NULL. */
class CastsTest {
    private static final ExpressionHarness TABLE = new ExpressionHarness(Batch.of(
            Schema.of(
                    new Field("n", ColumnType.INT, true),
                    new Field("x", ColumnType.DOUBLE, false),
                    new Field("flag", ColumnType.BOOLEAN, true),
                    new Field("ts", ColumnType.TIMESTAMP, true),
                    new Field("d", ColumnType.DATE, false)),
            IntColumn.builder(ColumnType.INT, 6)
                    .append(42)
                    .append(-7)
                    .append(0)
                    .append(Integer.MAX_VALUE)
                    .append(Integer.MIN_VALUE)
                    .appendNull()
                    .build(),
            DoubleColumn.of(ColumnType.DOUBLE, 1.5, -2.25, 1e10, 0.1, 12345.6, 2.675),
            BooleanColumn.builder(ColumnType.BOOLEAN, 6)
                    .append(true)
                    .append(false)
                    .appendNull()
                    .append(true)
                    .append(false)
                    .append(true)
                    .build(),
            LongColumn.builder(ColumnType.TIMESTAMP, 6)
                    .append(micros("2024-03-15T13:45:30.123456Z"))
                    .append(micros("2024-03-15T13:45:00Z"))
                    .append(micros("1969-12-31T23:59:59.500Z"))
                    .appendNull()
                    .append(0)
                    .append(micros("2024-01-01T00:00:00.100Z"))
                    .build(),
            IntColumn.of(
                    ColumnType.DATE,
                    days("2024-02-29"),
                    days("1969-12-31"),
                    0,
                    days("2024-01-01"),
                    days("0999-01-01"),
                    days("2024-12-31"))));

    private static final ExpressionHarness TEXT = new ExpressionHarness(Batch.of(
            Schema.of(new Field("number", ColumnType.VARCHAR, true), new Field("when", ColumnType.VARCHAR, true)),
            VarcharColumn.of(" 42 ", "-7.9", "abc", "", "9999999999", null, "1e3"),
            VarcharColumn.of(
                    "2024-03-15", "2024-3-5 10:00", "2024-13-01", "2024-03-15T13:45:30.5", "20240315", null, "2024")));

    private static List<Object> cast(ExpressionHarness table, String field, SqlTypeName type) {
        return table.values(b -> b.getRexBuilder().makeCast(nullable(b, type), b.field(field)));
    }

    private static List<Object> timestamps(String... instants) {
        return Arrays.stream(instants)
                .map(instant -> instant == null ? null : (Object) micros(instant))
                .toList();
    }

    @Test
    void bytesCastToTextReplacingEachMalformedSequenceAndTextCastsToItsUtf8() {
        // Given: valid UTF-8, a stray continuation byte, an overlong '/', a UTF-8 surrogate, a cut-off 3-byte sequence
        ExpressionHarness bytes = new ExpressionHarness(Batch.of(
                Schema.of(new Field("b", ColumnType.VARBINARY, true)),
                VarcharColumn.binary(
                        "ok é €".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        new byte[] {'a', (byte) 0x80, 'b'},
                        new byte[] {(byte) 0xc0, (byte) 0xaf},
                        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                        new byte[] {'x', (byte) 0xe2, (byte) 0x82},
                        null)));

        // When
        var text = cast(bytes, "b", SqlTypeName.VARCHAR);
        var back = bytes.values(b -> b.getRexBuilder()
                .makeCast(
                        ExpressionHarness.nullable(b, SqlTypeName.VARBINARY),
                        b.getRexBuilder().makeCast(ExpressionHarness.nullable(b, SqlTypeName.VARCHAR), b.field("b"))));

        // Then
        assertThat(text).containsExactly("ok é €", "a\uFFFDb", "\uFFFD\uFFFD", "\uFFFD", "x\uFFFD", null);
        assertThat(back.get(0)).isEqualTo("ok é €".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(back.get(1)).isEqualTo(new byte[] {'a', (byte) 0xef, (byte) 0xbf, (byte) 0xbd, 'b'});
        assertThat(back.get(5)).isNull();
    }

    @Test
    void textThatIsNotANumberCastsToNull() {
        // When
        var ints = cast(TEXT, "number", SqlTypeName.INTEGER);
        var longs = cast(TEXT, "number", SqlTypeName.BIGINT);
        var doubles = cast(TEXT, "number", SqlTypeName.DOUBLE);

        // Then
        assertThat(ints).containsExactly(42, -7, null, null, null, null, null);
        assertThat(longs).containsExactly(42L, -7L, null, null, 9999999999L, null, null);
        assertThat(doubles).containsExactly(42.0, -7.9, null, null, 9.999999999E9, null, 1000.0);
    }

    @Test
    void numbersCastToTheirDecimalText() {
        // When
        var ints = cast(TABLE, "n", SqlTypeName.VARCHAR);
        var doubles = cast(TABLE, "x", SqlTypeName.VARCHAR);

        // Then
        assertThat(ints).containsExactly("42", "-7", "0", "2147483647", "-2147483648", null);
        assertThat(doubles).containsExactly("1.5", "-2.25", "1.0E10", "0.1", "12345.6", "2.675");
    }

    @Test
    void booleansCastToAndFromTextAndNumbers() {
        // Given
        ExpressionHarness words = new ExpressionHarness(Batch.of(
                Schema.of(new Field("word", ColumnType.VARCHAR, true)),
                VarcharColumn.of("true", " YES ", "0", "f", "maybe", null)));

        // When
        var parsed = cast(words, "word", SqlTypeName.BOOLEAN);
        var text = cast(TABLE, "flag", SqlTypeName.VARCHAR);
        var numbers = cast(TABLE, "flag", SqlTypeName.INTEGER);
        var truth = cast(TABLE, "n", SqlTypeName.BOOLEAN);

        // Then
        assertThat(parsed).containsExactly(true, true, false, false, null, null);
        assertThat(text).containsExactly("true", "false", null, "true", "false", "true");
        assertThat(numbers).containsExactly(1, 0, null, 1, 0, 1);
        assertThat(truth).containsExactly(true, true, false, true, true, null);
    }

    @Test
    void textCastsToDatesAndTimestampsInUtcOrNull() {
        // When
        var dates = cast(TEXT, "when", SqlTypeName.DATE);
        var timestamps = cast(TEXT, "when", SqlTypeName.TIMESTAMP);

        // Then
        assertThat(dates)
                .containsExactly(
                        days("2024-03-15"),
                        days("2024-03-05"),
                        null,
                        days("2024-03-15"),
                        null,
                        null,
                        days("2024-01-01"));
        assertThat(timestamps)
                .isEqualTo(timestamps(
                        "2024-03-15T00:00:00Z",
                        "2024-03-05T10:00:00Z",
                        null,
                        "2024-03-15T13:45:30.500Z",
                        null,
                        null,
                        "2024-01-01T00:00:00Z"));
    }

    @Test
    void datesAndTimestampsCastToTextAsSparkWritesThem() {
        // When
        var timestamps = cast(TABLE, "ts", SqlTypeName.VARCHAR);
        var dates = cast(TABLE, "d", SqlTypeName.VARCHAR);

        // Then
        assertThat(timestamps)
                .containsExactly(
                        "2024-03-15 13:45:30.123456",
                        "2024-03-15 13:45:00",
                        "1969-12-31 23:59:59.5",
                        null,
                        "1970-01-01 00:00:00",
                        "2024-01-01 00:00:00.1");
        assertThat(dates)
                .containsExactly("2024-02-29", "1969-12-31", "1970-01-01", "2024-01-01", "0999-01-01", "2024-12-31");
    }

    @Test
    void timestampsCastToTheirDateAndDatesToMidnight() {
        // When
        var dates = cast(TABLE, "ts", SqlTypeName.DATE);
        var midnights = cast(TABLE, "d", SqlTypeName.TIMESTAMP);

        // Then
        assertThat(dates)
                .containsExactly(
                        days("2024-03-15"), days("2024-03-15"), days("1969-12-31"), null, 0, days("2024-01-01"));
        assertThat(midnights)
                .isEqualTo(timestamps(
                        "2024-02-29T00:00:00Z",
                        "1969-12-31T00:00:00Z",
                        "1970-01-01T00:00:00Z",
                        "2024-01-01T00:00:00Z",
                        "0999-01-01T00:00:00Z",
                        "2024-12-31T00:00:00Z"));
    }

    @Test
    void bigintsAndTimestampsConvertThroughSecondsSinceTheEpoch() {
        // When
        var seconds = cast(TABLE, "ts", SqlTypeName.BIGINT);
        var instants = cast(TABLE, "n", SqlTypeName.TIMESTAMP);

        // Then
        assertThat(seconds).containsExactly(1710510330L, 1710510300L, -1L, null, 0L, 1704067200L);
        assertThat(instants.get(0)).isEqualTo(42_000_000L);
        assertThat(instants.get(1)).isEqualTo(-7_000_000L);
        assertThat(instants.get(5)).isNull();
    }

    @Test
    void decimalTargetsRoundHalfUpToTheirScaleAndAreNullPastTheirPrecision() {
        // When
        var cents = TABLE.values(b -> b.getRexBuilder().makeCast(nullable(b, SqlTypeName.DECIMAL, 6, 2), b.field("x")));
        var text = TABLE.values(b -> b.getRexBuilder()
                .makeCast(
                        nullable(b, SqlTypeName.VARCHAR),
                        b.getRexBuilder().makeCast(nullable(b, SqlTypeName.DECIMAL, 6, 2), b.field("x"))));

        // Then
        assertThat(cents).containsExactly(1.5, -2.25, null, 0.1, null, 2.68);
        assertThat(text).containsExactly("1.50", "-2.25", null, "0.10", null, "2.68");
    }

    @Test
    void aCastBetweenTypesWithoutAConversionIsRefused() {
        // When, Then
        assertThatThrownBy(() -> cast(TABLE, "d", SqlTypeName.INTEGER))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("Brook cannot evaluate CAST($4):INTEGER of type INTEGER yet");
    }
}
