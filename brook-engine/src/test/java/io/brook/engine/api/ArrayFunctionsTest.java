package io.brook.engine.api;

import static io.brook.engine.api.functions.array_contains;
import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.collect_list;
import static io.brook.engine.api.functions.collect_set;
import static io.brook.engine.api.functions.element_at;
import static io.brook.engine.api.functions.expr;
import static io.brook.engine.api.functions.lit;
import static io.brook.engine.api.functions.size;
import static io.brook.engine.api.functions.split;
import static io.brook.engine.api.functions.struct;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ARRAY columns end to end: split, size, element_at, getItem and array_contains with Spark's results; collect_list and
 * collect_set in batch and streaming aggregations, whose arrays go through the state store between micro-batches; how
 * arrays print and go to files; and what Brook refuses to do with them.
 */
class ArrayFunctionsTest {
    private static final Schema TEXTS =
            Schema.of(new Field("id", ColumnType.INT, false), new Field("s", ColumnType.VARCHAR, true));
    private static final Schema TAGGED = Schema.of(
            new Field("id", ColumnType.INT, false),
            Field.array("tags", ColumnType.VARCHAR, true),
            Field.array("scores", ColumnType.BIGINT, true));
    private static final Schema VISITS =
            Schema.of(new Field("user", ColumnType.VARCHAR, false), new Field("page", ColumnType.VARCHAR, true));

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();

    private Brook session() {
        return session("memory");
    }

    private Brook session(String stateStore) {
        Brook brook = Brook.builder().config("brook.state.store", stateStore).getOrCreate();
        sessions.add(brook);
        return brook;
    }

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    private static List<Object> column(Dataset<Row> dataset, int index) {
        return dataset.collectAsList().stream().map(row -> row.get(index)).toList();
    }

    /** Rows 1-4 of TAGGED: two tags and scores; a null element; empty arrays; null arrays. */
    private Dataset<Row> tagged(Brook brook) {
        return brook.createDataFrame(
                List.of(
                        Row.of(1, List.of("a", "b"), List.of(10L, 20L)),
                        Row.of(2, Arrays.asList("c", null), Arrays.asList(null, 5L)),
                        Row.of(3, List.of(), List.of()),
                        Row.of(4, null, null)),
                TAGGED);
    }

    @Test
    void splitKeepsTrailingEmptyStringsAsSparkDoesAndStopsAtALimit() {
        // Given
        Dataset<Row> texts = session()
                .createDataFrame(
                        List.of(Row.of(1, "oneAtwoBthreeC"), Row.of(2, "a,b,,"), Row.of(3, null), Row.of(4, "")),
                        TEXTS);

        // When
        Dataset<Row> parts = texts.select(
                split(col("s"), "[ABC]"),
                split(col("s"), "[ABC]", 2),
                split(col("s"), ",", 0),
                split(col("s"), ",", -1),
                expr("split(s, ',') AS sql"),
                split(col("s"), ""));

        // Then: Spark's documented results; limit <= 0 never drops trailing empty strings
        List<Row> rows = parts.collectAsList();
        assertThat(rows.get(0).values())
                .containsExactly(
                        List.of("one", "two", "three", ""),
                        List.of("one", "twoBthreeC"),
                        List.of("oneAtwoBthreeC"),
                        List.of("oneAtwoBthreeC"),
                        List.of("oneAtwoBthreeC"),
                        List.of("o", "n", "e", "A", "t", "w", "o", "B", "t", "h", "r", "e", "e", "C"));
        assertThat(rows.get(1).values())
                .containsExactly(
                        List.of("a,b,,"),
                        List.of("a,b,,"),
                        List.of("a", "b", "", ""),
                        List.of("a", "b", "", ""),
                        List.of("a", "b", "", ""),
                        List.of("a", ",", "b", ",", ","));
        assertThat(rows.get(2).values()).containsOnlyNulls();
        assertThat(rows.get(3).values()).containsOnly(List.of(""));
        assertThat(parts.columns())
                .startsWith("split(s, [ABC], -1)", "split(s, [ABC], 2)", "split(s, ,, 0)", "split(s, ,, -1)", "sql");
        assertThat(parts.schema().field(0)).isEqualTo(Field.array("split(s, [ABC], -1)", ColumnType.VARCHAR, true));
    }

    @Test
    void sizeCountsElementsAndIsNullForANullArray() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When
        Dataset<Row> sizes = tagged.select(size(col("tags")), expr("size(scores)"));

        // Then
        assertThat(sizes.collectAsList()).containsExactly(Row.of(2, 2), Row.of(2, 2), Row.of(0, 0), Row.of(null, null));
    }

    @Test
    void elementAtCountsFromOneOrFromTheEndAndGetItemFromZeroBothNullOutOfRange() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When
        Dataset<Row> picked = tagged.select(
                element_at(col("tags"), 1),
                element_at(col("tags"), -1),
                element_at(col("tags"), 3),
                element_at(col("tags"), -3),
                col("tags").getItem(0),
                col("tags").getItem(2),
                col("tags").getItem(-1),
                element_at(col("scores"), 2),
                expr("element_at(scores, -2) AS sql"),
                expr("scores[1] AS bracket"));

        // Then
        assertThat(picked.collectAsList())
                .containsExactly(
                        Row.of("a", "b", null, null, "a", null, null, 20L, 10L, 20L),
                        Row.of("c", null, null, null, "c", null, null, 5L, null, 5L),
                        Row.of(null, null, null, null, null, null, null, null, null, null),
                        Row.of(null, null, null, null, null, null, null, null, null, null));
        assertThat(picked.columns()).startsWith("element_at(tags, 1)", "element_at(tags, -1)");
        assertThat(picked.columns()[4]).isEqualTo("tags[0]");
        assertThat(picked.schema().field(7)).isEqualTo(new Field("element_at(scores, 2)", ColumnType.BIGINT, true));
    }

    @Test
    void caseAndCoalescePickWholeArraysRowByRow() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When
        Dataset<Row> picked = tagged.select(
                expr("CASE WHEN id = 1 THEN tags ELSE split('x,y', ',') END AS chosen"),
                functions.coalesce(col("tags"), split(lit("none"), ",")).as("filled"));

        // Then
        assertThat(picked.collectAsList())
                .containsExactly(
                        Row.of(List.of("a", "b"), List.of("a", "b")),
                        Row.of(List.of("x", "y"), Arrays.asList("c", null)),
                        Row.of(List.of("x", "y"), List.of()),
                        Row.of(List.of("x", "y"), List.of("none")));
    }

    @Test
    void elementAtRefusesIndexZeroWhereItIsWrittenAndInSql() {
        // Given
        Dataset<Row> tagged = tagged(session());
        String message = "element_at: index 0 is invalid; indexes start at 1 for the first element and -1 for the"
                + " last, as in Spark (getItem counts from 0)";

        // When / Then
        assertThatThrownBy(() -> element_at(col("tags"), 0))
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_EXPRESSION))
                .hasMessage(message);
        assertThatThrownBy(() -> tagged.select(expr("element_at(tags, 0)")).collectAsList())
                .isInstanceOf(BrookException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> tagged.select(expr("element_at(tags, id - 1)")).collectAsList())
                .as("an index that is 0 only for some row")
                .hasStackTraceContaining(message);
        assertThatThrownBy(
                        () -> tagged.select(element_at(col("tags"), 1).plus(0)).collectAsList())
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("cannot apply + to 'element_at(tags, 1)' (VARCHAR)");
    }

    @Test
    void arrayContainsIsTrueFalseOrNullAsSqlThreeValuedLogicHasIt() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When
        Dataset<Row> found = tagged.select(
                array_contains(col("tags"), "a"),
                array_contains(col("tags"), "z"),
                array_contains(col("scores"), 5),
                array_contains(col("scores"), lit(20L)),
                expr("array_contains(tags, 'c') AS sql"));

        // Then: an unmatched array with a null element might hold the value: null
        assertThat(found.collectAsList())
                .containsExactly(
                        Row.of(true, false, false, true, false),
                        Row.of(null, null, true, null, true),
                        Row.of(false, false, false, false, false),
                        Row.of(null, null, null, null, null));
        assertThat(found.columns()[0]).isEqualTo("array_contains(tags, a)");
        assertThatThrownBy(() -> tagged.select(array_contains(col("scores"), "5")))
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH))
                .hasMessage("array_contains cannot look for '5' (CHAR) among the BIGINT elements of 'scores'"
                        + " (ARRAY<BIGINT>); cast the value to the elements' type");
        assertThatThrownBy(() -> tagged.select(size(col("id"))))
                .hasMessage("size needs an array; 'id' (INTEGER) is not one (make one with split(...) or"
                        + " collect_list(...))");
    }

    @Test
    void collectListKeepsInputOrderAndCollectSetTheFirstOfEachValueBothSkippingNulls() {
        // Given
        Dataset<Row> visits = session()
                .createDataFrame(
                        List.of(
                                Row.of("ann", "home"),
                                Row.of("bob", null),
                                Row.of("ann", "cart"),
                                Row.of("ann", null),
                                Row.of("ann", "home"),
                                Row.of("ann", "pay")),
                        VISITS);

        // When
        Dataset<Row> collected =
                visits.groupBy("user").agg(collect_list("page"), collect_set(col("page")), collect_list("user"));

        // Then: a group of nulls collects an empty array, as in Spark
        assertThat(collected.orderBy(col("user")).collectAsList())
                .containsExactly(
                        Row.of(
                                "ann",
                                List.of("home", "cart", "home", "pay"),
                                List.of("home", "cart", "pay"),
                                List.of("ann", "ann", "ann", "ann", "ann")),
                        Row.of("bob", List.of(), List.of(), List.of("bob")));
        assertThat(collected.columns())
                .containsExactly("user", "collect_list(page)", "collect_set(page)", "collect_list(user)");
        assertThat(collected.schema().field(1))
                .isEqualTo(new Field("collect_list(page)", ColumnType.ARRAY, false, ColumnType.VARCHAR));
        assertThat(visits.filter(col("page").isNull()).agg(collect_list("page")).collectAsList())
                .containsExactly(Row.of(List.of()));
    }

    @Test
    void collectSetOfNumbersAndTimestampsKeepsTheirTypes() {
        // Given
        Schema schema = Schema.of(
                new Field("k", ColumnType.INT, false),
                new Field("d", ColumnType.DOUBLE, true),
                new Field("t", ColumnType.TIMESTAMP, true),
                new Field("b", ColumnType.BOOLEAN, true));
        Dataset<Row> frame = session()
                .createDataFrame(
                        List.of(
                                Row.of(1, 0.5, 2_000_000L, true),
                                Row.of(1, -0.0, 1_000_000L, false),
                                Row.of(1, 0.0, 2_000_000L, true),
                                Row.of(1, 0.5, null, null)),
                        schema);

        // When
        Row row = frame.groupBy("k")
                .agg(collect_set("d"), collect_set("t"), collect_list("t"), collect_set("b"))
                .collectAsList()
                .get(0);

        // Then: 0.0 and -0.0 are one value to a set, as to a grouping key
        assertThat(row.values())
                .containsExactly(
                        1,
                        List.of(0.5, -0.0),
                        List.of(Instant.ofEpochSecond(2), Instant.ofEpochSecond(1)),
                        List.of(Instant.ofEpochSecond(2), Instant.ofEpochSecond(1), Instant.ofEpochSecond(2)),
                        List.of(true, false));
    }

    /** Each batch's output by batch id, rows sorted, as foreachBatch saw it. */
    private static final class Outputs {
        final Map<Long, List<String>> batches = new TreeMap<>();

        synchronized void add(Dataset<Row> batch, long batchId) {
            batches.put(
                    batchId,
                    batch.collectAsList().stream().map(Row::toString).sorted().toList());
        }

        synchronized Map<Long, List<String>> snapshot() {
            return new TreeMap<>(batches);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aStreamingAggregationCollectsEarlierMicroBatchesValuesFirst(String stateStore) throws Exception {
        // Given
        Brook brook = session(stateStore);
        MemoryStream input = MemoryStream.of(brook, VISITS);
        Dataset<Row> collected = input.toDF().groupBy("user").agg(collect_list("page"), collect_set("page"));
        Outputs update = new Outputs();
        StreamingQuery updating = collected
                .writeStream()
                .outputMode("update")
                .foreachBatch(update::add)
                .start();
        StreamingQuery completing = collected
                .writeStream()
                .outputMode("complete")
                .format("memory")
                .queryName("collected")
                .start();

        // When
        input.addData(Row.of("ann", "b"), Row.of("ann", "a"), Row.of("bob", null));
        updating.processAllAvailable();
        completing.processAllAvailable();
        input.addData(Row.of("ann", "c"), Row.of("ann", "b"), Row.of("cid", "x"), Row.of("ann", "a"));
        updating.processAllAvailable();
        completing.processAllAvailable();

        // Then: the state's values come before the new micro-batch's, in both lists and sets
        assertThat(update.snapshot())
                .isEqualTo(Map.of(
                        0L, List.of("[ann,[b, a],[b, a]]", "[bob,[],[]]"),
                        1L, List.of("[ann,[b, a, c, b, a],[b, a, c]]", "[cid,[x],[x]]")));
        assertThat(brook.table("collected").orderBy(col("user")).collectAsList())
                .containsExactly(
                        Row.of("ann", List.of("b", "a", "c", "b", "a"), List.of("b", "a", "c")),
                        Row.of("bob", List.of(), List.of()),
                        Row.of("cid", List.of("x"), List.of("x")));
    }

    @Test
    void aStreamJoinBuffersRowsWithArraysInItsStateAndEvictsThem() throws Exception {
        // Given: the array sits before the event time, so reading a buffered row's time skips over it
        Brook brook = session();
        Schema posts = Schema.of(
                new Field("post", ColumnType.VARCHAR, false),
                Field.array("tags", ColumnType.VARCHAR, true),
                new Field("postTime", ColumnType.TIMESTAMP, false));
        Schema likes = Schema.of(
                new Field("liked", ColumnType.VARCHAR, false), new Field("likeTime", ColumnType.TIMESTAMP, false));
        MemoryStream postStream = MemoryStream.of(brook, posts);
        MemoryStream likeStream = MemoryStream.of(brook, likes);
        Outputs outputs = new Outputs();
        StreamingQuery query = postStream
                .toDF()
                .withWatermark("postTime", "10 seconds")
                .join(
                        likeStream.toDF().withWatermark("likeTime", "10 seconds"),
                        expr("liked = post AND likeTime >= postTime AND likeTime <= postTime + INTERVAL '30' SECOND"))
                .select(col("post"), col("tags"), col("liked"))
                .writeStream()
                .foreachBatch(outputs::add)
                .start();

        // When: the posts wait in the state for their likes; time 100 moves the watermark past both
        postStream.addData(
                Row.of("p1", Arrays.asList("x", null), 0L),
                Row.of("p2", List.of(), 1_000_000L),
                Row.of("p3", null, 0L));
        query.processAllAvailable();
        likeStream.addData(Row.of("p1", 5_000_000L), Row.of("p2", 6_000_000L), Row.of("p3", 7_000_000L));
        query.processAllAvailable();
        postStream.addData(Row.of("p4", List.of("late"), 100_000_000L));
        likeStream.addData(Row.of("p1", 101_000_000L));
        query.processAllAvailable();

        // Then: the arrays come back from the state as they went in, and the evicted posts no longer match
        List<String> joined = outputs.snapshot().values().stream()
                .flatMap(List::stream)
                .sorted()
                .toList();
        assertThat(joined).containsExactly("[p1,[x, null],p1]", "[p2,[],p2]", "[p3,null,p3]");
        assertThat(query.lastProgress().stateOperators().get(0).numRowsTotal()).isEqualTo(1);
    }

    @Test
    void showPrintsArraysAsSparkDoes() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When
        String table = tagged.showString(20);

        // Then
        assertThat(table)
                .isEqualTo(String.join(
                        "\n",
                        "+--+---------+---------+",
                        "|id|     tags|   scores|",
                        "+--+---------+---------+",
                        "| 1|   [a, b]| [10, 20]|",
                        "| 2|[c, null]|[null, 5]|",
                        "| 3|       []|       []|",
                        "| 4|     null|     null|",
                        "+--+---------+---------+",
                        ""));
    }

    @Test
    void toJsonWritesAnArrayFieldAsAJsonArray() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When
        List<Object> json = column(tagged.select(to_json(struct(col("id"), col("tags"), col("scores")))), 0);

        // Then: null elements are JSON nulls; null arrays are left out as null fields are
        assertThat(json)
                .containsExactly(
                        "{\"id\":1,\"tags\":[\"a\",\"b\"],\"scores\":[10,20]}",
                        "{\"id\":2,\"tags\":[\"c\",null],\"scores\":[null,5]}",
                        "{\"id\":3,\"tags\":[],\"scores\":[]}",
                        "{\"id\":4}");
    }

    @Test
    void theJsonSinkWritesJsonArraysThatReadBackAsArrays() throws Exception {
        // Given
        Brook brook = session();
        Path output = temp.resolve("tagged-json");

        // When
        tagged(brook).write().format("json").save(output.toString());
        Dataset<Row> inferred = brook.read().json(output.toString());
        Dataset<Row> declared = brook.read()
                .schema(functions.schemaOf("id int, tags array<string>, scores array<bigint>"))
                .json(output.toString());

        // Then
        String text;
        try (Stream<Path> files = Files.list(output)) {
            Path part = files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .findFirst()
                    .orElseThrow();
            text = Files.readString(part, StandardCharsets.UTF_8);
        }
        assertThat(text)
                .isEqualTo("{\"id\":1,\"tags\":[\"a\",\"b\"],\"scores\":[10,20]}\n"
                        + "{\"id\":2,\"tags\":[\"c\",null],\"scores\":[null,5]}\n"
                        + "{\"id\":3,\"tags\":[],\"scores\":[]}\n"
                        + "{\"id\":4}\n");
        assertThat(inferred.schema())
                .isEqualTo(Schema.of(
                        new Field("id", ColumnType.BIGINT, true),
                        Field.array("scores", ColumnType.BIGINT, true),
                        Field.array("tags", ColumnType.VARCHAR, true)));
        assertThat(declared.orderBy(col("id")).collectAsList())
                .isEqualTo(tagged(brook).collectAsList());
    }

    @Test
    void theCsvFormatRefusesArrayColumnsBeforeAnythingRuns() {
        // Given
        Brook brook = session();
        Path output = temp.resolve("tagged-csv");

        // When / Then
        assertThatThrownBy(() -> tagged(brook).write().format("csv").save(output.toString()))
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_OPERATION))
                .hasMessage("CSV cannot hold column 'tags' of type array<string> (as in Spark); make it text with"
                        + " to_json(struct(col(\"tags\"))), or use the json or parquet format");
        assertThat(output).doesNotExist();
    }

    @Test
    void parquetWritesArraysAsThreeLevelListsThatReadBack() {
        // Given
        Brook brook = session();
        Path output = temp.resolve("tagged-parquet");
        Schema withTimes =
                Schema.of(new Field("id", ColumnType.INT, true), Field.array("at", ColumnType.TIMESTAMP, true));

        // When
        tagged(brook).write().format("parquet").save(output.toString());
        brook.createDataFrame(List.of(Row.of(1, Arrays.asList(1_000_000L, null))), withTimes)
                .write()
                .parquet(temp.resolve("times").toString());
        Dataset<Row> read = brook.read().parquet(output.toString());

        // Then
        assertThat(read.schema())
                .isEqualTo(Schema.of(
                        new Field("id", ColumnType.INT, true),
                        Field.array("tags", ColumnType.VARCHAR, true),
                        Field.array("scores", ColumnType.BIGINT, true)));
        assertThat(read.orderBy(col("id")).collectAsList())
                .isEqualTo(tagged(brook).collectAsList());
        assertThat(brook.read().parquet(temp.resolve("times").toString()).collectAsList())
                .containsExactly(Row.of(1, Arrays.asList(Instant.ofEpochSecond(1), null)));
        assertThat(brook.read()
                        .schema(Schema.of(Field.array("scores", ColumnType.DOUBLE, true)))
                        .parquet(output.toString())
                        .collectAsList())
                .as("elements widen as columns do")
                .containsExactlyInAnyOrder(
                        Row.of(List.of(10.0, 20.0)),
                        Row.of(Arrays.asList(null, 5.0)),
                        Row.of(List.of()),
                        Row.of((Object) null));
    }

    @Test
    void groupingSortingComparingAndCastingArraysAreRefusedNamingTheColumn() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When / Then
        assertThatThrownBy(() -> tagged.groupBy("tags").count().collectAsList())
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_OPERATION))
                .hasMessage("cannot group by array column 'tags' (ARRAY<VARCHAR>): Brook cannot compare arrays yet;"
                        + " use a scalar made from it instead, such as to_json(struct(col(\"tags\"))), size(...) or"
                        + " element_at(...)");
        assertThatThrownBy(() -> tagged.orderBy(col("scores")).collectAsList())
                .hasMessageStartingWith("cannot sort by array column 'scores' (ARRAY<BIGINT>)");
        assertThatThrownBy(() -> tagged.dropDuplicates("tags").collectAsList())
                .hasMessageStartingWith("cannot drop duplicates by array column 'tags' (ARRAY<VARCHAR>)");
        assertThatThrownBy(() -> tagged.filter(col("tags").equalTo(col("tags"))))
                .hasMessage("cannot compare array column 'tags' (ARRAY<VARCHAR>) with =: Brook does not compare"
                        + " arrays yet; compare size(...), element_at(...) or use array_contains(...)");
        assertThatThrownBy(() -> tagged.filter("tags = split('a', ',')").collectAsList())
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("cannot compare arrays in =($1, SPLIT('a', ','))");
        assertThatThrownBy(() -> tagged.select(col("tags").cast("string")))
                .hasMessage("cannot cast array column 'tags' (ARRAY<VARCHAR>) to string: Brook does not cast arrays"
                        + " yet; cast its elements (element_at(...), getItem(...)), or make JSON text of it with"
                        + " to_json(struct(...))");
        assertThatThrownBy(() -> tagged.agg(functions.max(col("scores"))).collectAsList())
                .hasMessage("cannot aggregate array column 'scores' with max: Brook aggregates arrays only with"
                        + " count(...) yet; aggregate their elements, or their size(...)");
        assertThat(tagged.agg(functions.count(col("tags"))).collectAsList()).containsExactly(Row.of(3L));
    }

    @Test
    void arraysOfArraysAreRefusedNamingTheColumn() {
        // Given
        Dataset<Row> texts = session().createDataFrame(List.of(Row.of(1, "a,b")), TEXTS);

        // When / Then
        assertThatThrownBy(() -> texts.groupBy("id")
                        .agg(collect_list(split(col("s"), ",")))
                        .collectAsList())
                .hasMessageContaining("column 'collect_list(split(s, ,, -1))' has type")
                .hasMessageEndingWith(", which Brook cannot hold yet: arrays hold BOOLEAN, INT, BIGINT, DOUBLE,"
                        + " VARCHAR, VARBINARY, DATE or TIMESTAMP elements, or structs of those, not arrays or maps");
        assertThatThrownBy(() -> functions.schemaOf("m array<array<int>>"))
                .hasMessage("column 'm' in schema 'm array<array<int>>' is an array of arrays, which Brook cannot hold"
                        + " yet; arrays hold scalar elements");
    }

    @Test
    void printSchemaShowsTheElementType() {
        // Given
        Dataset<Row> tagged = tagged(session());

        // When
        String tree = Tables.schema(tagged.schema());

        // Then
        assertThat(tree)
                .isEqualTo("root\n"
                        + " |-- id: int (nullable = false)\n"
                        + " |-- tags: array (nullable = true)\n"
                        + " |    |-- element: varchar (containsNull = true)\n"
                        + " |-- scores: array (nullable = true)\n"
                        + " |    |-- element: bigint (containsNull = true)\n");
    }
}
