package io.brook.engine.api;

import static io.brook.engine.api.functions.avg;
import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.countDistinct;
import static io.brook.engine.api.functions.expr;
import static io.brook.engine.api.functions.lit;
import static io.brook.engine.api.functions.max;
import static io.brook.engine.api.functions.min;
import static io.brook.engine.api.functions.sum;
import static io.brook.engine.api.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Dataset API over bounded data: each transformation and action gives what Spark gives for the same code. */
class DatasetTest {
    private static final Schema CLICKS = Schema.of(
            new Field("user", ColumnType.VARCHAR, false),
            new Field("page", ColumnType.VARCHAR, true),
            new Field("clicks", ColumnType.BIGINT, true));

    private final Brook brook = Brook.local();

    private Dataset<Row> clicks() {
        return brook.createDataFrame(
                List.of(
                        Row.of("ann", "home", 3L),
                        Row.of("bob", "home", 7L),
                        Row.of("ann", "cart", null),
                        Row.of("cid", null, 1L),
                        Row.of("ann", "home", 2L)),
                CLICKS);
    }

    @Test
    void selectFilterAndWithColumnComputeColumnsPerRow() {
        // Given
        Dataset<Row> frame = clicks();

        // When
        List<Row> rows = frame.filter(col("clicks").gt(1))
                .withColumn("double", col("clicks").multiply(2))
                .select(col("user"), col("double"), col("clicks").divide(2).as("half"))
                .collectAsList();

        // Then
        assertThat(rows).containsExactly(Row.of("ann", 6L, 1.5), Row.of("bob", 14L, 3.5), Row.of("ann", 4L, 1.0));
    }

    @Test
    void sqlExpressionsParseAgainstTheDatasetsColumns() {
        // Given
        Dataset<Row> frame = clicks();

        // When
        List<Row> rows = frame.filter("clicks >= 2 AND `user` <> 'bob'")
                .selectExpr("`user`", "clicks * 10 AS tens", "clicks + 1")
                .collectAsList();

        // Then
        assertThat(rows).containsExactly(Row.of("ann", 30L, 4L), Row.of("ann", 20L, 3L));
        assertThat(frame.selectExpr("clicks * 10 AS tens", "clicks + 1").columns())
                .containsExactly("tens", "clicks + 1");
    }

    @Test
    void anUnknownColumnNamesTheClosestOneWithLineColumnAndCaret() {
        // Given
        Dataset<Row> frame = clicks();

        // When / Then
        assertThatThrownBy(() -> frame.selectExpr("clikcs + 1").collectAsList())
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNRESOLVED_COLUMN))
                .hasMessage(
                        "line 1:1: column 'clikcs' not found; did you mean 'clicks'? (columns: user, page, clicks)\n"
                                + "clikcs + 1\n"
                                + "^");
        assertThatThrownBy(() -> frame.select(col("pgae")))
                .hasMessage("column 'pgae' not found; did you mean 'page'? (columns: user, page, clicks)");
        assertThatThrownBy(() -> frame.filter("clicks >"))
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_EXPRESSION))
                .hasMessage("line 1:8: unexpected \"> <end of expression>\"\nclicks >\n       ^");
    }

    @Test
    void dropRenameAndCaseWhenReshapeRows() {
        // Given
        Dataset<Row> frame = clicks();

        // When
        Dataset<Row> shaped = frame.drop("page", "missing")
                .withColumnRenamed("user", "who")
                .withColumn(
                        "size",
                        when(col("clicks").geq(5), lit("big"))
                                .when(col("clicks").isNull(), lit("none"))
                                .otherwise(lit("small")));

        // Then
        assertThat(shaped.columns()).containsExactly("who", "clicks", "size");
        assertThat(shaped.collectAsList())
                .containsExactly(
                        Row.of("ann", 3L, "small"),
                        Row.of("bob", 7L, "big"),
                        Row.of("ann", null, "none"),
                        Row.of("cid", 1L, "small"),
                        Row.of("ann", 2L, "small"));
    }

    @Test
    void groupByAggregatesEachGroupWithSparksNamesAndNullRules() {
        // Given
        Dataset<Row> frame = clicks();

        // When
        Dataset<Row> perUser = frame.groupBy("user")
                .agg(count("*"), sum(col("clicks")), avg(col("clicks")), min("clicks"), max(col("page")))
                .orderBy(col("user"));

        // Then
        assertThat(perUser.columns())
                .containsExactly("user", "count(1)", "sum(clicks)", "avg(clicks)", "min(clicks)", "max(page)");
        assertThat(perUser.collectAsList())
                .containsExactly(
                        Row.of("ann", 3L, 5L, 2.5, 2L, "home"),
                        Row.of("bob", 1L, 7L, 7.0, 7L, "home"),
                        Row.of("cid", 1L, 1L, 1.0, 1L, null));
    }

    @Test
    void groupByAnExpressionAndCountDistinct() {
        // Given
        Dataset<Row> frame = clicks();

        // When
        List<Row> rows = frame.groupBy(col("clicks").gt(2).as("many"))
                .agg(countDistinct(col("user")).as("users"), count(col("page")).as("pages"))
                .orderBy(col("many").desc())
                .collectAsList();

        // Then: nulls last when descending, as Spark orders
        assertThat(rows).containsExactly(Row.of(true, 2L, 2L), Row.of(false, 2L, 1L), Row.of(null, 1L, 1L));
    }

    @Test
    void aGlobalAggregateOfNoRowsIsOneRow() {
        // Given
        Dataset<Row> none = clicks().filter(col("clicks").gt(100));

        // When
        List<Row> rows = none.agg(count("*"), sum(col("clicks"))).collectAsList();

        // Then
        assertThat(rows).containsExactly(Row.of(0L, null));
        assertThat(none.count()).isZero();
        assertThat(clicks().count()).isEqualTo(5);
    }

    @Test
    void distinctUnionOrderByAndLimit() {
        // Given
        Dataset<Row> users = clicks().select("user");

        // When
        List<Row> rows = users.union(users.filter(col("user").equalTo("dee")))
                .union(brook.createDataFrame(
                        List.of(Row.of("dee")), Schema.of(new Field("user", ColumnType.VARCHAR, false))))
                .distinct()
                .orderBy(col("user").desc())
                .limit(3)
                .collectAsList();

        // Then
        assertThat(rows).containsExactly(Row.of("dee"), Row.of("cid"), Row.of("bob"));
    }

    @Test
    void exprAndColumnsMixInOneSelect() {
        // Given
        Dataset<Row> frame = clicks();

        // When
        List<Row> rows = frame.select(
                        expr("upper(`user`) AS shout"), col("clicks").plus(expr("clicks")))
                .limit(2)
                .collectAsList();

        // Then
        assertThat(rows).containsExactly(Row.of("ANN", 6L), Row.of("BOB", 14L));
    }

    @Test
    void aStreamingOnlyActionIsRefusedOnABoundedDatasetAndTheReverse() {
        // Given
        Dataset<Row> bounded = clicks();
        Dataset<Row> stream = MemoryStream.of(brook, CLICKS).toDF();

        // When / Then
        assertThatThrownBy(bounded::writeStream).hasMessageContaining("writeStream() needs a streaming Dataset");
        assertThatThrownBy(stream::collectAsList)
                .hasMessage("collectAsList() is not supported on a streaming Dataset; start it with"
                        + " writeStream()...start()");
        assertThat(stream.isStreaming()).isTrue();
        assertThat(bounded.isStreaming()).isFalse();
    }

    @Test
    void stringAndTimeFunctionsWorkFromColumnsAndFromSql() {
        // Given
        Dataset<Row> logs = brook.createDataFrame(
                List.of(
                        Row.of("GET /home 200", "2026-12-01 14:37:05"),
                        Row.of("POST /cart 500", "2026-12-01 09:05:59")),
                Schema.of(new Field("line", ColumnType.VARCHAR, false), new Field("at", ColumnType.VARCHAR, false)));

        // When
        List<Row> rows = logs.withColumn("ts", functions.to_timestamp(col("at")))
                .select(
                        functions
                                .regexp_extract(col("line"), "^(\\w+) (\\S+)", 2)
                                .as("path"),
                        functions.hour(col("ts")).as("hour"),
                        functions.date_trunc("hour", col("ts")).cast("string").as("hour_start"),
                        expr("upper(substring(line, 1, 3)) AS verb"),
                        col("line").like("%500").as("failed"))
                .collectAsList();

        // Then
        assertThat(rows)
                .containsExactly(
                        Row.of("/home", 14, "2026-12-01 14:00:00", "GET", false),
                        Row.of("/cart", 9, "2026-12-01 09:00:00", "POS", true));
    }

    @Test
    void getJsonObjectReadsPathsOfJsonText() {
        // Given
        Dataset<Row> events = brook.createDataFrame(
                List.of(
                        Row.of("{\"user\":{\"name\":\"ann\"},\"items\":[3,4],\"ms\":12}"),
                        Row.of("not json"),
                        Row.of("{\"items\":[]}")),
                Schema.of(new Field("json", ColumnType.VARCHAR, false)));

        // When
        List<Row> rows = events.select(
                        functions.get_json_object(col("json"), "$.user.name").as("name"),
                        functions.get_json_object(col("json"), "$.items[1]").as("second"),
                        expr("CAST(get_json_object(json, '$.ms') AS BIGINT) + 1 AS ms"),
                        functions.get_json_object(col("json"), "$.items").as("items"))
                .collectAsList();

        // Then
        assertThat(rows)
                .containsExactly(
                        Row.of("ann", "4", 13L, "[3,4]"),
                        Row.of(null, null, null, null),
                        Row.of(null, null, null, "[]"));
        assertThatThrownBy(() -> events.select(functions.get_json_object(col("json"), "user"))
                        .collectAsList())
                .hasMessage("a JSON path starts with '$', e.g. '$.user.name'; got 'user'");
    }

    @Test
    void fromJsonParsesIntoAStructAndToJsonWritesOne() {
        // Given
        Dataset<Row> events = brook.createDataFrame(
                List.of(
                        Row.of("{\"page\":\"home\",\"ms\":12,\"at\":\"2026-12-01T10:00:00Z\",\"ok\":true}"),
                        Row.of("{\"page\":\"cart\",\"ms\":\"seven\"}")),
                Schema.of(new Field("value", ColumnType.VARCHAR, false)));

        // When
        Dataset<Row> parsed = events.select(functions
                        .from_json(col("value"), "page STRING, ms BIGINT, at TIMESTAMP, ok BOOLEAN")
                        .as("data"))
                .select("data.*");
        List<Row> json = parsed.select(functions
                        .to_json(functions.struct(col("page"), col("ms").plus(1).as("next")))
                        .as("json"))
                .collectAsList();

        // Then
        assertThat(parsed.columns()).containsExactly("page", "ms", "at", "ok");
        assertThat(parsed.collectAsList())
                .containsExactly(
                        Row.of("home", 12L, java.time.Instant.parse("2026-12-01T10:00:00Z"), true),
                        Row.of("cart", null, null, null));
        assertThat(json).containsExactly(Row.of("{\"page\":\"home\",\"next\":13}"), Row.of("{\"page\":\"cart\"}"));
        assertThatThrownBy(() -> parsed.select("nope.*"))
                .hasMessage("no struct 'nope' to expand in 'nope.*' (columns: page, ms, at, ok)");
    }

    @Test
    void fromJsonReadsANestedObjectIntoAStructThatIsNullWhereTheObjectIsNullOrMissing() {
        // Given: the Flink Nexmark suite's shape, one struct per event type, the others null
        Dataset<Row> events = brook.createDataFrame(
                List.of(
                        Row.of(
                                "{\"type\":2,\"person\":null,\"bid\":{\"price\":12,\"at\":\"2023-11-14T22:13:20.0001Z\"}}"),
                        Row.of("{\"type\":0,\"person\":{\"name\":\"Ann\"},\"bid\":null}"),
                        Row.of("{\"type\":2,\"bid\":{\"at\":\"2023-11-14T22:13:21Z\"}}")),
                Schema.of(new Field("value", ColumnType.VARCHAR, false)));
        Schema schema = Schema.of(
                new Field("type", ColumnType.INT, true),
                Field.struct("person", List.of(new Field("name", ColumnType.VARCHAR, true)), true),
                Field.struct(
                        "bid",
                        List.of(
                                new Field("price", ColumnType.BIGINT, true),
                                new Field("at", ColumnType.TIMESTAMP, true)),
                        true));

        // When
        Dataset<Row> parsed = events.select(
                        functions.from_json(col("value"), schema).as("data"))
                .select("data.*");

        // Then
        assertThat(parsed.columns()).containsExactly("type", "person", "bid");
        assertThat(parsed.schema().field(2).type()).isEqualTo(ColumnType.STRUCT);
        assertThat(parsed.collectAsList())
                .containsExactly(
                        Row.of(2, null, Row.of(12L, java.time.Instant.parse("2023-11-14T22:13:20.000100Z"))),
                        Row.of(0, Row.of("Ann"), null),
                        Row.of(2, null, Row.of(null, java.time.Instant.parse("2023-11-14T22:13:21Z"))));
        assertThat(parsed.select(col("bid.price"), col("person.name")).collectAsList())
                .containsExactly(Row.of(12L, null), Row.of(null, "Ann"), Row.of(null, null));
    }

    @Test
    void jsonFieldsCastToATypeAreReadFromTheirTokensWithTheCastsOwnResults() {
        // Given: values of every kind at one path, as numbers, strings, literals, objects, arrays, duplicates
        List<String> values = List.of(
                "12",
                "-7",
                "0",
                "2147483648",
                "-2147483649",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "1.75",
                "-0.5",
                "1e3",
                "2E-2",
                "\"42\"",
                "\" 42 \"",
                "\"4.9\"",
                "\"x\"",
                "\"\"",
                "true",
                "false",
                "\"true\"",
                "\"yes\"",
                "\"0\"",
                "null",
                "{\"b\":1}",
                "[1]",
                "\"2023-11-14T22:13:20.000100Z\"",
                "\"2023-11-14 22:13:20\"",
                "\"2023-11-14\"",
                "\" 2024-02-29 \"",
                "\"2023-02-30\"",
                "\"2023-11-14T22:13:20+02:00\"",
                "\"2023-11-14 caf\u00e9\"",
                "1700000000",
                "\"Infinity\"",
                "\"NaN\"");
        List<Row> rows = new java.util.ArrayList<>();
        for (String value : values) {
            rows.add(Row.of("{\"a\":" + value + ",\"arr\":[" + value + "]}"));
        }
        rows.add(Row.of("{\"a\":1,\"a\":\"2\"}"));
        rows.add(Row.of("{\"b\":1}"));
        rows.add(Row.of("not json"));
        Dataset<Row> events = brook.createDataFrame(rows, Schema.of(new Field("json", ColumnType.VARCHAR, false)));
        List<String> types = List.of("bigint", "int", "double", "boolean", "date", "timestamp");

        for (String path : List.of("$.a", "$.arr[0]")) {
            // When: each type read from the token (the text read too, in the same pass), and cast from the text
            List<Column> typed = new java.util.ArrayList<>();
            List<Column> cast = new java.util.ArrayList<>();
            for (String type : types) {
                typed.add(functions.get_json_object(col("json"), path).cast(type));
                cast.add(functions
                        .concat(functions.get_json_object(col("json"), path), lit(""))
                        .cast(type));
            }
            typed.add(functions.get_json_object(col("json"), path));
            cast.add(functions.get_json_object(col("json"), path));
            List<Row> fromTokens = events.select(typed.toArray(Column[]::new)).collectAsList();
            List<Row> fromText = events.select(cast.toArray(Column[]::new)).collectAsList();

            // Then
            assertThat(fromTokens).as(path).containsExactlyElementsOf(fromText);
        }
        assertThat(events.select(functions.get_json_object(col("json"), "$.a").cast("bigint"))
                        .collectAsList()
                        .subList(0, 8))
                .containsExactly(
                        Row.of(12L),
                        Row.of(-7L),
                        Row.of(0L),
                        Row.of(2147483648L),
                        Row.of(-2147483649L),
                        Row.of(Long.MAX_VALUE),
                        Row.of((Object) null),
                        Row.of((Object) null));
    }

    @Test
    void fieldsOfNestedObjectsReadInOnePassAgreeWithPathLookups() {
        // Given
        Dataset<Row> events = brook.createDataFrame(
                List.of(
                        Row.of("{\"user\":{\"name\":\"ann\",\"age\":31,\"where\":{\"city\":\"Oslo\"}},\"n\":1}"),
                        Row.of("{\"user\":null,\"n\":2}"),
                        Row.of("{\"n\":3,\"user\":{\"where\":[1],\"name\":{\"first\":\"bo\"}}}"),
                        Row.of("{\"user\":\"flat\",\"n\":4}"),
                        Row.of("{\"user\":{\"name\":\"cy\"},\"user\":{\"age\":5}}"),
                        Row.of("not json")),
                Schema.of(new Field("json", ColumnType.VARCHAR, false)));

        // When: fields of objects only (one streaming pass), and the same with an array path (a tree per row)
        List<Row> streamed = events.select(
                        functions.get_json_object(col("json"), "$.user.name"),
                        functions.get_json_object(col("json"), "$.user.age"),
                        functions.get_json_object(col("json"), "$.user.where.city"),
                        functions.get_json_object(col("json"), "$.user.where"),
                        functions.get_json_object(col("json"), "$.n"))
                .collectAsList();
        List<Row> looked = events.select(
                        functions.get_json_object(col("json"), "$.user.name"),
                        functions.get_json_object(col("json"), "$.user.age"),
                        functions.get_json_object(col("json"), "$.user.where.city"),
                        functions.get_json_object(col("json"), "$.user.where"),
                        functions.get_json_object(col("json"), "$.n"),
                        functions.get_json_object(col("json"), "$.user.where[0]"))
                .collectAsList();

        // Then
        assertThat(streamed)
                .containsExactly(
                        Row.of("ann", "31", "Oslo", "{\"city\":\"Oslo\"}", "1"),
                        Row.of(null, null, null, null, "2"),
                        Row.of("{\"first\":\"bo\"}", null, null, "[1]", "3"),
                        Row.of(null, null, null, null, "4"),
                        Row.of(null, "5", null, null, null),
                        Row.of(null, null, null, null, null));
        assertThat(looked.stream().map(row -> Row.of(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4))))
                .containsExactlyElementsOf(streamed);
    }

    @Test
    void fieldsOfTheTopLevelObjectReadInOnePassAgreeWithPathLookups() {
        // Given: bytes as a Kafka value holds them, with the cases a streaming read must get right
        Dataset<Row> events = brook.createDataFrame(
                List.of(
                        Row.of((Object)
                                utf8("{\"page\":\"caf\\u00e9\",\"ms\":7,\"tags\":{\"a\":[1,2]},\"skip\":[{}]}")),
                        Row.of((Object) utf8("{\"page\":null,\"ms\":1.50,\"ms\":8}")),
                        Row.of((Object) utf8("[{\"page\":\"in an array\"}]")),
                        Row.of((Object) utf8("{\"page\":\"cut off\",\"ms\":")),
                        Row.of((Object) utf8("  {\"ms\" : true , \"page\" : \"\u00fc\"}  ")),
                        Row.of((Object) null)),
                Schema.of(new Field("value", ColumnType.VARBINARY, true)));
        Column json = col("value").cast("string");

        // When: top-level fields only (one streaming pass), and the same with a nested path (a tree per row)
        List<Row> streamed = events.select(
                        functions.get_json_object(json, "$.page"),
                        functions.get_json_object(json, "$['ms']"),
                        functions.get_json_object(json, "$.tags"))
                .collectAsList();
        List<Row> looked = events.select(
                        functions.get_json_object(json, "$.page"),
                        functions.get_json_object(json, "$['ms']"),
                        functions.get_json_object(json, "$.tags"),
                        functions.get_json_object(json, "$.tags.a[1]"))
                .collectAsList();

        // Then
        assertThat(streamed)
                .containsExactly(
                        Row.of("caf\u00e9", "7", "{\"a\":[1,2]}"),
                        Row.of(null, "8", null),
                        Row.of(null, null, null),
                        Row.of(null, null, null),
                        Row.of("\u00fc", "true", null),
                        Row.of(null, null, null));
        assertThat(looked.stream().map(row -> Row.of(row.get(0), row.get(1), row.get(2))))
                .containsExactlyElementsOf(streamed);
        assertThat(looked.get(0).get(3)).isEqualTo("2");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void typeMistakesAreRefusedNamingTheColumnAndTheFix() {
        // Given
        Dataset<Row> frame = clicks();

        // When / Then
        assertThatThrownBy(() -> frame.select(col("user").plus(1)))
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH))
                .hasMessage("cannot apply + to 'user' (VARCHAR) and '1' (INTEGER): it needs numbers (or a timestamp and"
                        + " an interval); convert with cast(\"bigint\") or cast(\"double\")");
        assertThatThrownBy(() -> frame.filter(col("clicks")))
                .hasMessage("filter needs a boolean; 'clicks' (BIGINT) is not one (compare it, e.g."
                        + " col(\"clicks\").gt(0))");
        assertThatThrownBy(() -> frame.select(col("user").gt(col("clicks"))))
                .hasMessage("cannot compare 'user' (VARCHAR) > 'clicks' (BIGINT): the types differ; cast one to the"
                        + " other's type");
        assertThatThrownBy(() -> frame.groupBy("page").agg(sum(col("user"))))
                .hasMessage("sum needs a number; 'user' (VARCHAR) is not (use cast(\"bigint\") or cast(\"double\"))");
        assertThatThrownBy(() -> frame.select(functions.lower(col("clicks"))))
                .hasMessage("lower needs text; 'clicks' (BIGINT) is not (use cast(\"string\"))");
        assertThat(frame.selectExpr("user", "upper(user) AS shout").limit(1).collectAsList())
                .containsExactly(Row.of("ann", "ANN"));
    }
}
