package io.brook.engine.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    private static final Path FILE = Path.of("/data/events.json");
    private static final Schema EVENTS = Schema.of(
            new Field("id", ColumnType.BIGINT, true),
            new Field("score", ColumnType.DOUBLE, true),
            new Field("ok", ColumnType.BOOLEAN, true),
            new Field("name", ColumnType.VARCHAR, true),
            new Field("day", ColumnType.DATE, true),
            new Field("at", ColumnType.TIMESTAMP, true));

    private static FileOptions options(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return FileOptions.forRead(FileFormat.JSON, map);
    }

    private static List<List<Object>> read(String text, FileOptions options) {
        return JsonCodec.INSTANCE.read(FILE, text, EVENTS, options).rows();
    }

    @Test
    void convertsEachValueToItsColumnTypeAndMissingFieldsToNull() {
        // Given
        String text = """
                {"id":1,"score":2.5,"ok":true,"name":"a","day":"2026-12-01","at":"2026-12-01T14:00:00.123456Z"}

                {"id":2,"score":3,"name":{"nested":[1]},"at":"2026-12-01 16:00:00+02:00"}
                """;

        // When
        List<List<Object>> rows = read(text, options());

        // Then
        assertThat(rows)
                .containsExactly(
                        Arrays.asList(1L, 2.5, true, "a", 20788, 1_796_133_600_123_456L),
                        Arrays.asList(2L, 3.0, null, "{\"nested\":[1]}", null, 1_796_133_600_000_000L));
    }

    @Test
    void aValueThatDoesNotConvertIsNullInPermissiveMode() {
        // Given: text for a number, a fraction for a BIGINT, a number for a boolean, a bad date
        String text = """
                {"id":"7","score":"x","ok":1,"name":5,"day":"2026-13-01","at":"yesterday"}
                {"id":1.5}
                """;

        // When
        List<List<Object>> rows = read(text, options());

        // Then: everything that does not fit is NULL; a number read as VARCHAR is its text
        assertThat(rows)
                .containsExactly(
                        Arrays.asList(null, null, null, "5", null, null),
                        Arrays.asList(null, null, null, null, null, null));
    }

    @Test
    void failFastNamesTheFileLineAndColumnOfABadValue() {
        // Given
        String text = "{\"id\":1}\n{\"id\":\"seven\"}\n";

        // When / Then
        assertThatThrownBy(() -> read(text, options("MODE", "failfast")))
                .isInstanceOf(BrookException.class)
                .hasMessage("file /data/events.json line 2: column 'id' (BIGINT) cannot hold \"seven\"; mode FAILFAST"
                        + " stops at the first bad value (PERMISSIVE, the default, reads it as NULL)");
    }

    @Test
    void aMalformedLineIsARowOfNullsOrDroppedOrAnErrorByMode() {
        // Given
        String text = "{\"id\":1}\n{\"id\":2\n[3]\n";

        // When
        List<List<Object>> permissive = read(text, options());
        List<List<Object>> dropped = read(text, options("mode", "DROPMALFORMED"));

        // Then
        assertThat(permissive).hasSize(3);
        assertThat(permissive.get(1)).containsOnlyNulls();
        assertThat(permissive.get(2)).containsOnlyNulls();
        assertThat(dropped).containsExactly(Arrays.asList(1L, null, null, null, null, null));
        assertThatThrownBy(() -> read(text, options("mode", "FAILFAST")))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("file /data/events.json line 2: malformed record: not JSON");
    }

    @Test
    void infersTheUnionOfFieldsSortedByNameWideningConflicts() {
        // Given
        Map<Path, String> texts = new LinkedHashMap<>();
        texts.put(Path.of("a.json"), "{\"z\":1,\"n\":1,\"flag\":true,\"mixed\":1}\n{\"n\":null,\"empty\":null}\n");
        texts.put(Path.of("b.json"), "{\"n\":2.5,\"mixed\":\"x\",\"s\":\"t\"}\nnot json\n");

        // When
        Schema schema = JsonCodec.INSTANCE.infer(texts, options());

        // Then
        assertThat(schema)
                .isEqualTo(Schema.of(
                        new Field("empty", ColumnType.VARCHAR, true),
                        new Field("flag", ColumnType.BOOLEAN, true),
                        new Field("mixed", ColumnType.VARCHAR, true),
                        new Field("n", ColumnType.DOUBLE, true),
                        new Field("s", ColumnType.VARCHAR, true),
                        new Field("z", ColumnType.BIGINT, true)));
    }

    @Test
    void writesIsoTimestampsWithMicrosecondsAndLeavesOutNulls() throws Exception {
        // Given
        Batch batch = JsonCodec.INSTANCE.read(
                FILE,
                "{\"id\":1,\"day\":\"1969-12-31\",\"at\":\"1969-12-31T23:59:59.5Z\",\"name\":\"q\\\"\"}\n",
                EVENTS,
                options());
        StringWriter out = new StringWriter();

        // When
        JsonCodec.INSTANCE.write(out, batch, options());

        // Then
        assertThat(out.toString())
                .isEqualTo(
                        "{\"id\":1,\"name\":\"q\\\"\",\"day\":\"1969-12-31\",\"at\":\"1969-12-31T23:59:59.500000Z\"}\n");
        assertThat(JsonCodec.INSTANCE
                        .read(FILE, out.toString(), EVENTS, options())
                        .rows())
                .isEqualTo(batch.rows());
    }

    @Test
    void everyWrittenLineStartsWithItsObject() throws Exception {
        // Given
        Batch batch = JsonCodec.INSTANCE.read(FILE, "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", EVENTS, options());
        StringWriter out = new StringWriter();

        // When
        JsonCodec.INSTANCE.write(out, batch, options());

        // Then: JSON Lines as Spark writes them, without the space Jackson puts between root values
        assertThat(out.toString()).isEqualTo("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
    }

    @Test
    void infersArraysOfScalarsAndKeepsOtherArraysAsText() {
        // Given
        Map<Path, String> texts = new LinkedHashMap<>();
        texts.put(
                Path.of("a.json"),
                "{\"ids\":[1,2],\"tags\":[],\"objects\":[{\"a\":1}],\"mixed\":[1],\"nulls\":[null]}\n");
        texts.put(Path.of("b.json"), "{\"ids\":[2.5,null],\"tags\":[\"x\"],\"mixed\":\"one\",\"nested\":[[1]]}\n");

        // When
        Schema schema = JsonCodec.INSTANCE.infer(texts, options());

        // Then: elements widen as columns do; an array and a scalar widen to text
        assertThat(schema)
                .isEqualTo(Schema.of(
                        Field.array("ids", ColumnType.DOUBLE, true),
                        new Field("mixed", ColumnType.VARCHAR, true),
                        new Field("nested", ColumnType.VARCHAR, true),
                        Field.array("nulls", ColumnType.VARCHAR, true),
                        new Field("objects", ColumnType.VARCHAR, true),
                        Field.array("tags", ColumnType.VARCHAR, true)));
    }

    @Test
    void anArrayColumnReadsJsonArraysAndRefusesOtherValuesByMode() {
        // Given
        Schema schema = Schema.of(Field.array("ids", ColumnType.BIGINT, true));
        String text = "{\"ids\":[1,null,3]}\n{\"ids\":7}\n{\"ids\":[1,\"x\"]}\n{}\n";

        // When
        List<List<Object>> rows =
                JsonCodec.INSTANCE.read(FILE, text, schema, options()).rows();

        // Then: a value that is not an array, or an element that does not convert, is a bad value
        assertThat(rows)
                .containsExactly(
                        List.of(Arrays.asList(1L, null, 3L)),
                        Arrays.asList((Object) null),
                        Arrays.asList((Object) null),
                        Arrays.asList((Object) null));
        assertThatThrownBy(() -> JsonCodec.INSTANCE.read(FILE, text, schema, options("mode", "FAILFAST")))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("file /data/events.json line 2: column 'ids' (ARRAY<BIGINT>) cannot hold 7");
    }
}
