package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.api.Row;
import io.brook.sql.LiveResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlJsonTest {
    @Test
    void rowsSurviveTheRoundTripSoTheyRenderAsOnTheServer() {
        // Given
        List<Row> rows = List.of(
                Row.of(
                        "a",
                        1,
                        2L,
                        0.5,
                        true,
                        Instant.parse("2026-12-01T10:00:03.250Z"),
                        LocalDate.parse("2026-12-01"),
                        new byte[] {0x4B, 0x61},
                        List.of("x", "y"),
                        Row.of("k", 7L)),
                Row.of(null, null, null, null, null, null, null, null, null, null));
        List<String> columns = List.of("s", "i", "l", "d", "b", "ts", "day", "bytes", "list", "struct");
        List<StatementResult.ColumnInfo> types = List.of(
                new StatementResult.ColumnInfo("s", "VARCHAR"),
                new StatementResult.ColumnInfo("i", "INT"),
                new StatementResult.ColumnInfo("l", "BIGINT"),
                new StatementResult.ColumnInfo("d", "DOUBLE"),
                new StatementResult.ColumnInfo("b", "BOOLEAN"),
                new StatementResult.ColumnInfo("ts", "TIMESTAMP"),
                new StatementResult.ColumnInfo("day", "DATE"),
                new StatementResult.ColumnInfo("bytes", "VARBINARY"),
                new StatementResult.ColumnInfo("list", "ARRAY<VARCHAR>"),
                new StatementResult.ColumnInfo("struct", "STRUCT<key: VARCHAR, value: BIGINT>"));
        StatementResult sent = new StatementResult(StatementResult.Kind.ROWS, null, types, rows, null);

        // When
        String json = SqlJson.response(new ScriptResponse(List.of(sent), null));
        StatementResult read = SqlJson.readResponse(json).statements().get(0);

        // Then
        assertThat(json)
                .contains("[\"a\",1,2,0.5,true,\"2026-12-01T10:00:03.250Z\",\"2026-12-01\",\"S2E=\",[\"x\",\"y\"],"
                        + "[\"k\",7]]");
        assertThat(read.columnNames()).isEqualTo(columns);
        assertThat(read.rows()).isEqualTo(rows);
        assertThat(read.render()).isEqualTo(sent.render());
    }

    @Test
    void aLiveSnapshotSurvivesTheRoundTrip() {
        // Given
        LiveResult.Snapshot snapshot =
                new LiveResult.Snapshot(List.of("page", "hits"), List.of(Row.of("/home", 3L)), 4, 120, true);

        // When
        LiveResult.Snapshot read = SqlJson.readSnapshot(SqlJson.snapshot(snapshot));

        // Then
        assertThat(read).isEqualTo(snapshot);
        assertThat(read.render()).isEqualTo(snapshot.render());
    }

    @Test
    void anErrorKeepsItsPositionAndStatus() {
        // Given
        BrookException brook =
                new BrookException(ErrorCode.UNRESOLVED_COLUMN, "line 3:14: column 'pgae' not found\nSELECT pgae\n  ^");

        // When
        SqlError error = SqlError.of(brook);
        SqlError internal = SqlError.of(new IllegalStateException("bug"));
        SqlError lineOnly = SqlError.of(new BrookException(ErrorCode.INVALID_OPTION, "line 2: unknown setting"));

        // Then
        assertThat(error).isEqualTo(new SqlError("UNRESOLVED_COLUMN", "USER", brook.getMessage(), 3, 14));
        assertThat(error.httpStatus()).isEqualTo(400);
        assertThat(error.toException()).isInstanceOf(BrookException.class).hasMessage(brook.getMessage());
        assertThat(internal).isEqualTo(new SqlError("INTERNAL_ERROR", "INTERNAL", "IllegalStateException: bug", 0, 0));
        assertThat(internal.httpStatus()).isEqualTo(500);
        assertThat(lineOnly.line()).isEqualTo(2);
        assertThat(lineOnly.column()).isZero();
    }

    @Test
    void aRequestMustBeAnObjectWithStringSqlAndStringVariables() {
        assertThat(SqlJson.readRequest("{\"sql\": \"SHOW SOURCES;\", \"variables\": {\"A\": \"1\"}}"))
                .isEqualTo(new ScriptRequest("SHOW SOURCES;", Map.of("A", "1")));
        assertThatThrownBy(() -> SqlJson.readRequest("[1]"))
                .hasMessage("the body is not a JSON object; send {\"sql\": \"SHOW SOURCES;\"}");
        assertThatThrownBy(() -> SqlJson.readRequest("{\"sql\": \"x\", \"variables\": {\"A\": 1}}"))
                .hasMessage("variable 'A' is not a string");
    }
}
