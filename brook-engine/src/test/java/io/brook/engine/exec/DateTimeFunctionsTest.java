package io.brook.engine.exec;

import static io.brook.engine.exec.ExpressionHarness.days;
import static io.brook.engine.exec.ExpressionHarness.micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** EXTRACT, FLOOR/CEIL to a unit, DATE_TRUNC, TO_TIMESTAMP, intervals and Spark's date arithmetic, in UTC. */
class DateTimeFunctionsTest {
    private static final Schema SCHEMA =
            Schema.of(new Field("ts", ColumnType.TIMESTAMP, true), new Field("d", ColumnType.DATE, false));

    private static final ExpressionHarness TABLE = new ExpressionHarness(Batch.of(
            SCHEMA,
            LongColumn.builder(ColumnType.TIMESTAMP, 3)
                    .append(micros("2024-03-15T13:45:30.123456Z"))
                    .append(micros("1969-12-31T23:59:59.500Z"))
                    .appendNull()
                    .build(),
            IntColumn.of(ColumnType.DATE, days("2024-02-29"), days("2024-01-31"), days("1970-01-01"))));

    private static final ExpressionHarness TEXT = new ExpressionHarness(Batch.of(
            Schema.of(new Field("text", ColumnType.VARCHAR, true)),
            VarcharColumn.of(
                    "2024-03-15 13:45:30",
                    "2024-03-15T13:45:30.5Z",
                    " 2024-3-5 ",
                    "2024-02-30 00:00:00",
                    "not a time",
                    null,
                    "2024-03-15T13:45:30+02:00",
                    "15/03/2024 13:45",
                    "31/02/2024 10:00",
                    "2024-03-15 13:45:30 -01:30")));

    private static List<Object> extract(TimeUnitRange unit, String field) {
        return TABLE.values(b -> b.call(SqlStdOperatorTable.EXTRACT, b.literal(unit), b.field(field)));
    }

    private static List<Object> timestamps(String... instants) {
        return Arrays.stream(instants)
                .map(instant -> instant == null ? null : (Object) micros(instant))
                .toList();
    }

    private static RexNode interval(RelBuilder b, long value, TimeUnit start, TimeUnit end) {
        return b.getRexBuilder()
                .makeIntervalLiteral(
                        BigDecimal.valueOf(value), new SqlIntervalQualifier(start, end, SqlParserPos.ZERO));
    }

    @Test
    void extractReadsCalendarFieldsOfTimestampsIncludingBeforeTheEpoch() {
        // When, Then
        assertThat(extract(TimeUnitRange.YEAR, "ts")).containsExactly(2024L, 1969L, null);
        assertThat(extract(TimeUnitRange.QUARTER, "ts")).containsExactly(1L, 4L, null);
        assertThat(extract(TimeUnitRange.MONTH, "ts")).containsExactly(3L, 12L, null);
        assertThat(extract(TimeUnitRange.WEEK, "ts")).containsExactly(11L, 1L, null);
        assertThat(extract(TimeUnitRange.DAY, "ts")).containsExactly(15L, 31L, null);
        assertThat(extract(TimeUnitRange.DOW, "ts")).containsExactly(6L, 4L, null);
        assertThat(extract(TimeUnitRange.ISODOW, "ts")).containsExactly(5L, 3L, null);
        assertThat(extract(TimeUnitRange.DOY, "ts")).containsExactly(75L, 365L, null);
        assertThat(extract(TimeUnitRange.HOUR, "ts")).containsExactly(13L, 23L, null);
        assertThat(extract(TimeUnitRange.MINUTE, "ts")).containsExactly(45L, 59L, null);
        assertThat(extract(TimeUnitRange.SECOND, "ts")).containsExactly(30L, 59L, null);
        assertThat(extract(TimeUnitRange.MILLISECOND, "ts")).containsExactly(30123L, 59500L, null);
        assertThat(extract(TimeUnitRange.MICROSECOND, "ts")).containsExactly(30123456L, 59500000L, null);
        assertThat(extract(TimeUnitRange.EPOCH, "ts")).containsExactly(1710510330L, -1L, null);
    }

    @Test
    void extractReadsCalendarFieldsOfDates() {
        // When, Then
        assertThat(extract(TimeUnitRange.YEAR, "d")).containsExactly(2024L, 2024L, 1970L);
        assertThat(extract(TimeUnitRange.MONTH, "d")).containsExactly(2L, 1L, 1L);
        assertThat(extract(TimeUnitRange.DAY, "d")).containsExactly(29L, 31L, 1L);
        assertThat(extract(TimeUnitRange.DOY, "d")).containsExactly(60L, 31L, 1L);
        assertThat(extract(TimeUnitRange.DOW, "d")).containsExactly(5L, 4L, 5L);
    }

    @Test
    void floorAndCeilToAUnitFollowCalcitesWeeksFromSunday() {
        // When
        var hour = TABLE.values(b -> b.call(SqlStdOperatorTable.FLOOR, b.field("ts"), b.literal(TimeUnitRange.HOUR)));
        var week = TABLE.values(b -> b.call(SqlStdOperatorTable.FLOOR, b.field("ts"), b.literal(TimeUnitRange.WEEK)));
        var quarter =
                TABLE.values(b -> b.call(SqlStdOperatorTable.FLOOR, b.field("ts"), b.literal(TimeUnitRange.QUARTER)));
        var second =
                TABLE.values(b -> b.call(SqlStdOperatorTable.FLOOR, b.field("ts"), b.literal(TimeUnitRange.SECOND)));
        var ceilDay = TABLE.values(b -> b.call(SqlStdOperatorTable.CEIL, b.field("ts"), b.literal(TimeUnitRange.DAY)));
        var ceilMonth =
                TABLE.values(b -> b.call(SqlStdOperatorTable.CEIL, b.field("ts"), b.literal(TimeUnitRange.MONTH)));
        var dateMonth =
                TABLE.values(b -> b.call(SqlStdOperatorTable.FLOOR, b.field("d"), b.literal(TimeUnitRange.MONTH)));

        // Then
        assertThat(hour).isEqualTo(timestamps("2024-03-15T13:00:00Z", "1969-12-31T23:00:00Z", null));
        assertThat(week).isEqualTo(timestamps("2024-03-10T00:00:00Z", "1969-12-28T00:00:00Z", null));
        assertThat(quarter).isEqualTo(timestamps("2024-01-01T00:00:00Z", "1969-10-01T00:00:00Z", null));
        assertThat(second).isEqualTo(timestamps("2024-03-15T13:45:30Z", "1969-12-31T23:59:59Z", null));
        assertThat(ceilDay).isEqualTo(timestamps("2024-03-16T00:00:00Z", "1970-01-01T00:00:00Z", null));
        assertThat(ceilMonth).isEqualTo(timestamps("2024-04-01T00:00:00Z", "1970-01-01T00:00:00Z", null));
        assertThat(dateMonth).containsExactly(days("2024-02-01"), days("2024-01-01"), days("1970-01-01"));
    }

    @Test
    void dateTruncTakesSparksUnitNamesAndStartsWeeksOnMonday() {
        // When
        var week = TABLE.values(b -> b.call(BrookOperators.DATE_TRUNC, b.literal("week"), b.field("ts")));
        var hour = TABLE.values(b -> b.call(BrookOperators.DATE_TRUNC, b.literal("HOUR"), b.field("ts")));
        var year = TABLE.values(b -> b.call(BrookOperators.DATE_TRUNC, b.literal("yyyy"), b.field("ts")));
        var month = TABLE.values(b -> b.call(BrookOperators.DATE_TRUNC, b.literal("mon"), b.field("d")));
        var unknown = TABLE.values(b -> b.call(BrookOperators.DATE_TRUNC, b.literal("fortnight"), b.field("ts")));

        // Then
        assertThat(week).isEqualTo(timestamps("2024-03-11T00:00:00Z", "1969-12-29T00:00:00Z", null));
        assertThat(hour).isEqualTo(timestamps("2024-03-15T13:00:00Z", "1969-12-31T23:00:00Z", null));
        assertThat(year).isEqualTo(timestamps("2024-01-01T00:00:00Z", "1969-01-01T00:00:00Z", null));
        assertThat(month).isEqualTo(timestamps("2024-02-01T00:00:00Z", "2024-01-01T00:00:00Z", "1970-01-01T00:00:00Z"));
        assertThat(unknown).containsExactly(null, null, null);
    }

    @Test
    void toTimestampReadsTimestampTextAndIsNullForTextThatDoesNotParse() {
        // When
        var parsed = TEXT.values(b -> b.call(BrookOperators.TO_TIMESTAMP, b.field("text")));

        // Then
        assertThat(parsed)
                .isEqualTo(timestamps(
                        "2024-03-15T13:45:30Z",
                        "2024-03-15T13:45:30.500Z",
                        "2024-03-05T00:00:00Z",
                        null,
                        null,
                        null,
                        "2024-03-15T11:45:30Z",
                        null,
                        null,
                        "2024-03-15T15:15:30Z"));
    }

    @Test
    void toTimestampWithAPatternParsesStrictly() {
        // When
        var parsed =
                TEXT.values(b -> b.call(BrookOperators.TO_TIMESTAMP, b.field("text"), b.literal("dd/MM/yyyy HH:mm")));

        // Then
        assertThat(parsed)
                .isEqualTo(timestamps(null, null, null, null, null, null, null, "2024-03-15T13:45:00Z", null, null));
    }

    @Test
    void intervalsOfTimeAndOfMonthsAddToTimestampsAndDates() {
        // When
        var plusHour = TABLE.values(b ->
                b.call(SqlStdOperatorTable.DATETIME_PLUS, b.field("ts"), interval(b, 3_600_000, TimeUnit.HOUR, null)));
        var minusDays = TABLE.values(b -> b.getRexBuilder()
                .makeCall(
                        b.field("ts").getType(),
                        SqlStdOperatorTable.MINUS,
                        List.of(b.field("ts"), interval(b, 2 * 86_400_000, TimeUnit.DAY, null))));
        var plusMonths = TABLE.values(b -> b.call(
                SqlStdOperatorTable.DATETIME_PLUS, b.field("ts"), interval(b, 14, TimeUnit.YEAR, TimeUnit.MONTH)));
        var dateMonth = TABLE.values(
                b -> b.call(SqlStdOperatorTable.DATETIME_PLUS, b.field("d"), interval(b, 1, TimeUnit.MONTH, null)));

        // Then
        assertThat(plusHour).isEqualTo(timestamps("2024-03-15T14:45:30.123456Z", "1970-01-01T00:59:59.500Z", null));
        assertThat(minusDays).isEqualTo(timestamps("2024-03-13T13:45:30.123456Z", "1969-12-29T23:59:59.500Z", null));
        assertThat(plusMonths).isEqualTo(timestamps("2025-05-15T13:45:30.123456Z", "1971-02-28T23:59:59.500Z", null));
        assertThat(dateMonth).containsExactly(days("2024-03-29"), days("2024-02-29"), days("1970-02-01"));
    }

    @Test
    void dateAddDateSubAndDatediffCountDays() {
        // When
        var added = TABLE.values(b -> b.call(BrookOperators.DATE_ADD, b.field("d"), b.literal(3)));
        var subtracted = TABLE.values(b -> b.call(BrookOperators.DATE_SUB, b.field("ts"), b.literal(1)));
        var difference = TABLE.values(b -> b.call(BrookOperators.DATEDIFF, b.field("d"), b.field("ts")));

        // Then
        assertThat(added).containsExactly(days("2024-03-03"), days("2024-02-03"), days("1970-01-04"));
        assertThat(subtracted).containsExactly(days("2024-03-14"), days("1969-12-30"), null);
        assertThat(difference).containsExactly(-15, days("2024-01-31") + 1, null);
    }

    @Test
    void aUnitBrookCannotExtractIsRefused() {
        // When, Then
        assertThatThrownBy(() -> extract(TimeUnitRange.CENTURY, "ts"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("Brook cannot evaluate EXTRACT(FLAG(CENTURY), $0)");
    }
}
