package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.element_at;
import static io.brook.engine.api.functions.expr;
import static io.brook.engine.api.functions.size;
import static io.brook.engine.api.functions.to_json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STRUCT columns end to end: field access from the Java API and SQL, arrays of structs (Kafka's headers), how they
 * print and go to JSON, and what Brook refuses to do with them.
 */
class StructColumnsTest {
    private static final List<Field> HEADER =
            List.of(new Field("key", ColumnType.VARCHAR, true), new Field("value", ColumnType.VARBINARY, true));
    private static final Schema MESSAGES = Schema.of(
            new Field("id", ColumnType.INT, false),
            Field.struct(
                    "point",
                    List.of(new Field("x", ColumnType.INT, true), new Field("label", ColumnType.VARCHAR, true)),
                    true),
            Field.arrayOf("headers", Field.struct("element", HEADER, true), true));

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();

    private Brook session() {
        Brook brook = Brook.builder().getOrCreate();
        sessions.add(brook);
        return brook;
    }

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Row 1: two headers; row 2: a header with a null value and a null point field; row 3: nulls. */
    private static Dataset<Row> messages(Brook brook) {
        return brook.createDataFrame(
                List.of(
                        Row.of(1, Row.of(10, "a"), List.of(Row.of("k1", bytes("v1")), Row.of("k2", new byte[] {1, 2}))),
                        Row.of(2, Row.of(20, null), List.of(Row.of("k3", null))),
                        Row.of(3, null, null)),
                MESSAGES);
    }

    @Test
    void fieldsOfStructsAndOfArrayElementsReadFromTheApiAndFromSql() {
        // Given
        Dataset<Row> messages = messages(session());

        // When
        Dataset<Row> read = messages.select(
                col("point").getField("x"),
                col("point").getField("label"),
                col("headers").getItem(0).getField("key"),
                element_at(col("headers"), -1).getField("value"),
                size(col("headers")),
                expr("headers[1].key AS second"),
                expr("point['x'] + 1 AS next"),
                expr("point.label"),
                expr("point.x * 2 AS twice"),
                expr("CAST(headers[0].value AS STRING) AS firstValue"));

        // Then
        List<Row> rows = read.collectAsList();
        assertThat(read.columns())
                .containsExactly(
                        "point.x",
                        "point.label",
                        "headers[0].key",
                        "element_at(headers, -1).value",
                        "size(headers)",
                        "second",
                        "next",
                        "label",
                        "twice",
                        "firstValue");
        assertThat(rows.get(0).values().subList(0, 3)).containsExactly(10, "a", "k1");
        assertThat(rows.get(0).getBinary(3)).containsExactly(1, 2);
        assertThat(rows.get(0).values().subList(4, 9)).containsExactly(2, "k2", 11, "a", 20);
        assertThat(rows.get(0).get(9)).isEqualTo("v1");
        assertThat(rows.get(1)).isEqualTo(Row.of(20, null, "k3", null, 1, null, 21, null, 40, null));
        assertThat(rows.get(2)).isEqualTo(Row.of(null, null, null, null, null, null, null, null, null, null));
        assertThat(read.schema().field(2)).isEqualTo(new Field("headers[0].key", ColumnType.VARCHAR, true));
    }

    @Test
    void colWithADotReadsAStructFieldAndStarExpandsAStructColumn() {
        // Given
        Dataset<Row> messages = messages(session());

        // When
        Dataset<Row> dotted = messages.select(col("point.label"), col("id"));
        Dataset<Row> expanded = messages.select("id", "point.*");

        // Then
        assertThat(dotted.collectAsList()).containsExactly(Row.of("a", 1), Row.of(null, 2), Row.of(null, 3));
        assertThat(expanded.columns()).containsExactly("id", "x", "label");
        assertThat(expanded.collectAsList())
                .containsExactly(Row.of(1, 10, "a"), Row.of(2, 20, null), Row.of(3, null, null));
    }

    @Test
    void structsComeBackAsRowsAndArraysOfThemAsListsOfRows() {
        // Given
        Dataset<Row> messages = messages(session());

        // When
        List<Row> rows = messages.select(col("point"), col("headers").getItem(1), col("headers"))
                .collectAsList();

        // Then
        assertThat(rows.get(0).get(0)).isEqualTo(Row.of(10, "a"));
        Row point = (Row) rows.get(0).get(0);
        assertThat((Integer) point.getAs("x")).isEqualTo(10);
        assertThat(rows.get(0).get(1)).isEqualTo(Row.of("k2", new byte[] {1, 2}));
        assertThat(rows.get(1).get(1)).isNull();
        assertThat(rows.get(1).get(2)).isEqualTo(List.of(Row.of("k3", null)));
        assertThat(rows.get(2).values()).containsOnlyNulls();
        assertThat(messages.schema().field(2).sparkTypeName()).isEqualTo("array<struct<key:string,value:binary>>");
    }

    @Test
    void showPrintsStructsInBracesAndBinaryValuesInHexAsSparkDoes() {
        // Given
        Dataset<Row> messages = messages(session());

        // When
        String table = messages.showString(20);

        // Then
        assertThat(table)
                .isEqualTo("+--+----------+------------------------------+\n"
                        + "|id|     point|                       headers|\n"
                        + "+--+----------+------------------------------+\n"
                        + "| 1|   {10, a}|[{k1, [76 31]}, {k2, [01 02]}]|\n"
                        + "| 2|{20, null}|                  [{k3, null}]|\n"
                        + "| 3|      null|                          null|\n"
                        + "+--+----------+------------------------------+\n");
    }

    @Test
    void caseAndCoalescePickWholeStructsRowByRow() {
        // Given
        Dataset<Row> messages = messages(session());

        // When
        Dataset<Row> picked = messages.select(
                expr("CASE WHEN id = 1 THEN NULL ELSE point END AS p"),
                functions
                        .coalesce(col("headers").getItem(1), col("headers").getItem(0))
                        .as("h"));

        // Then
        assertThat(picked.collectAsList())
                .containsExactly(
                        Row.of(null, Row.of("k2", new byte[] {1, 2})),
                        Row.of(Row.of(20, null), Row.of("k3", null)),
                        Row.of(null, null));
    }

    @Test
    void printSchemaShowsStructFieldsAsSparkDoes() {
        // When
        String tree = Tables.schema(MESSAGES);

        // Then
        assertThat(tree)
                .isEqualTo("root\n"
                        + " |-- id: int (nullable = false)\n"
                        + " |-- point: struct (nullable = true)\n"
                        + " |    |-- x: int (nullable = true)\n"
                        + " |    |-- label: varchar (nullable = true)\n"
                        + " |-- headers: array (nullable = true)\n"
                        + " |    |-- element: struct (containsNull = true)\n"
                        + " |    |    |-- key: varchar (nullable = true)\n"
                        + " |    |    |-- value: varbinary (nullable = true)\n");
    }

    @Test
    void toJsonAndTheJsonSinkWriteStructsAsObjectsWithoutNullFields() throws Exception {
        // Given
        Brook brook = session();
        Path output = temp.resolve("messages-json");

        // When
        List<Row> json = messages(brook).select(to_json(col("point"))).collectAsList();
        messages(brook).select(col("id"), col("point")).write().format("json").save(output.toString());
        Dataset<Row> declared = brook.read()
                .schema(Schema.of(new Field("id", ColumnType.INT, true), MESSAGES.field(1)))
                .json(output.toString());

        // Then
        assertThat(json.get(0)).isEqualTo(Row.of("{\"x\":10,\"label\":\"a\"}"));
        assertThat(json.get(1)).isEqualTo(Row.of("{\"x\":20}"));
        assertThat(json.get(2).get(0)).isNull();
        String text;
        try (Stream<Path> files = Files.list(output)) {
            Path part = files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow();
            text = Files.readString(part, StandardCharsets.UTF_8);
        }
        assertThat(text)
                .isEqualTo("{\"id\":1,\"point\":{\"x\":10,\"label\":\"a\"}}\n"
                        + "{\"id\":2,\"point\":{\"x\":20}}\n"
                        + "{\"id\":3}\n");
        assertThat(declared.orderBy(col("id")).collectAsList())
                .containsExactly(Row.of(1, Row.of(10, "a")), Row.of(2, Row.of(20, null)), Row.of(3, null));
    }

    @Test
    void theJsonSinkWritesArraysOfStructsWithBinaryAsBase64() throws Exception {
        // Given
        Brook brook = session();
        Path output = temp.resolve("headers-json");

        // When
        messages(brook).select(col("id"), col("headers")).write().format("json").save(output.toString());

        // Then
        String text;
        try (Stream<Path> files = Files.list(output)) {
            Path part = files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow();
            text = Files.readString(part, StandardCharsets.UTF_8);
        }
        assertThat(text)
                .isEqualTo(
                        "{\"id\":1,\"headers\":[{\"key\":\"k1\",\"value\":\"djE=\"},{\"key\":\"k2\",\"value\":\"AQI=\"}]}\n"
                                + "{\"id\":2,\"headers\":[{\"key\":\"k3\"}]}\n"
                                + "{\"id\":3}\n");
    }

    @Test
    void groupingSortingComparingCastingAndCsvOrParquetFilesRefuseStructsNamingTheColumn() {
        // Given
        Brook brook = session();
        Dataset<Row> messages = messages(brook);

        // When / Then
        assertThatThrownBy(() -> messages.groupBy(col("point")).count().collectAsList())
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_OPERATION))
                .hasMessage("cannot group by struct column 'point' (STRUCT<x: INT, label: VARCHAR>): Brook cannot"
                        + " compare structs yet; use its fields instead, such as col(\"point\").getField(\"x\")");
        assertThatThrownBy(() -> messages.orderBy(col("point")).collectAsList())
                .hasMessageStartingWith("cannot sort by struct column 'point'");
        assertThatThrownBy(() ->
                        messages.filter(col("point").equalTo(col("point"))).collectAsList())
                .hasMessageStartingWith("cannot compare struct column 'point'");
        assertThatThrownBy(() -> messages.select(col("point").cast("string")).collectAsList())
                .hasMessageStartingWith("cannot cast struct column 'point'");
        assertThatThrownBy(() -> messages.select(col("point").getField("y")).collectAsList())
                .hasMessage("struct column 'point' has no field 'y'; it has x, label");
        assertThatThrownBy(() -> messages.select(col("id").getField("x")).collectAsList())
                .hasMessage("getField(\"x\") needs a struct column; 'id' is INTEGER NOT NULL");
        assertThatThrownBy(() ->
                        messages.write().format("csv").save(temp.resolve("csv").toString()))
                .hasMessage("CSV cannot hold column 'point' of type struct<x:int,label:string> (as in Spark); make"
                        + " it text with to_json(struct(col(\"point\"))), or use the json or parquet format");
        assertThatThrownBy(() -> messages.select(col("headers"))
                        .write()
                        .format("parquet")
                        .save(temp.resolve("parquet").toString()))
                .hasMessage("Parquet files in Brook cannot hold column 'headers' of type"
                        + " array<struct<key:string,value:binary>> yet (struct groups are not written or read); make"
                        + " it text with to_json(struct(col(\"headers\"))), or use the json format");
        assertThat(messages.select(functions.to_json(functions.struct(col("headers"))))
                        .collectAsList()
                        .get(0))
                .isEqualTo(Row.of(
                        "{\"headers\":[{\"key\":\"k1\",\"value\":\"djE=\"},{\"key\":\"k2\",\"value\":\"AQI=\"}]}"));
        List<Object> sizes = Arrays.asList(messages.select(size(col("headers"))).collectAsList().stream()
                .map(row -> row.get(0))
                .toArray());
        assertThat(sizes).containsExactly(2, 1, null);
    }
}
