package io.brook.engine.api;

import static io.brook.engine.api.functions.approx_count_distinct;
import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.first;
import static io.brook.engine.api.functions.last;
import static io.brook.engine.api.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * first, last and approx_count_distinct, on bounded Datasets and on streams, where a group's value must survive the
 * trip through the state store between micro-batches.
 */
class AggregateFunctionsTest {
    private static final Schema VISITS = Schema.of(
            new Field("user", ColumnType.VARCHAR, false),
            new Field("page", ColumnType.VARCHAR, true),
            new Field("clicks", ColumnType.BIGINT, true));

    private final Brook brook = Brook.local();

    @AfterEach
    void close() {
        brook.close();
    }

    /** Each batch's output, by batch id, as foreachBatch saw it (sorted rows, instants as epoch seconds). */
    private static final class Outputs {
        final Map<Long, List<String>> batches = new TreeMap<>();

        synchronized void add(Dataset<Row> batch, long batchId) {
            batches.put(batchId, rows(batch));
        }

        synchronized Map<Long, List<String>> snapshot() {
            return new TreeMap<>(batches);
        }
    }

    private static List<String> rows(Dataset<Row> dataset) {
        return dataset.collectAsList().stream()
                .map(row -> {
                    List<String> values = new ArrayList<>();
                    for (Object value : row.values()) {
                        values.add(
                                value instanceof Instant instant
                                        ? Long.toString(instant.getEpochSecond())
                                        : String.valueOf(value));
                    }
                    return "[" + String.join(",", values) + "]";
                })
                .sorted()
                .toList();
    }

    @Test
    void firstAndLastTakeTheFirstAndLastRowOfEachGroupOrTheirNonNullValues() {
        // Given
        Dataset<Row> visits = brook.createDataFrame(
                List.of(
                        Row.of("ann", null, 3L),
                        Row.of("bob", "home", null),
                        Row.of("ann", "cart", 2L),
                        Row.of("ann", "home", null),
                        Row.of("bob", null, 5L)),
                VISITS);

        // When
        List<String> result = rows(visits.groupBy("user")
                .agg(
                        first("page"),
                        first("page", true),
                        last(col("clicks")),
                        last(col("clicks"), true),
                        first(col("clicks")).as("opening")));

        // Then
        assertThat(result).containsExactly("[ann,null,cart,null,2,3]", "[bob,home,home,5,5,null]");
        assertThat(visits.groupBy("user").agg(first("page")).columns()).containsExactly("user", "first(page)");
    }

    @Test
    void firstAndLastWithoutGroupsAndOfEveryTypeKeepTheValueAsItWas() {
        // Given
        Schema schema = Schema.of(
                new Field("d", ColumnType.DOUBLE, true),
                new Field("b", ColumnType.BOOLEAN, true),
                new Field("i", ColumnType.INT, true),
                new Field("t", ColumnType.TIMESTAMP, true));
        Dataset<Row> frame = brook.createDataFrame(
                List.of(Row.of(-0.5, true, 7, 1_000_000L), Row.of(2.25, false, -3, 5_000_000L)), schema);

        // When
        List<String> result =
                rows(frame.agg(first("d"), last("d"), first("b"), last("b"), first("i"), last("i"), last("t")));

        // Then
        assertThat(result).containsExactly("[-0.5,2.25,true,false,7,-3,5]");
    }

    @Test
    void approxCountDistinctCountsSmallSetsExactlyAndIgnoresNulls() {
        // Given
        Dataset<Row> visits = brook.createDataFrame(
                List.of(
                        Row.of("ann", "home", 1L),
                        Row.of("ann", "", 1L),
                        Row.of("ann", "home", 2L),
                        Row.of("ann", null, null),
                        Row.of("bob", null, null)),
                VISITS);

        // When
        List<String> result = rows(
                visits.groupBy("user").agg(approx_count_distinct("page"), approx_count_distinct(col("clicks"), 0.01)));

        // Then: the empty string is a value; a group of nulls counts 0
        assertThat(result).containsExactly("[ann,2,2]", "[bob,0,0]");
        assertThat(visits.agg(approx_count_distinct("page")).columns()).containsExactly("approx_count_distinct(page)");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.01, 0.2})
    void approxCountDistinctOf100kValuesIsWithinThreeRelativeStandardDeviations(double rsd) {
        // Given: 100 000 distinct numbers and as many distinct texts, each number twice
        Schema schema = Schema.of(new Field("n", ColumnType.BIGINT, false), new Field("s", ColumnType.VARCHAR, false));
        List<Row> rows = new ArrayList<>();
        for (long n = 0; n < 200_000; n++) {
            rows.add(Row.of(n % 100_000, "value-" + (n * 7919 % 100_000)));
        }
        Dataset<Row> frame = brook.createDataFrame(rows, schema);

        // When
        Row result = frame.agg(approx_count_distinct(col("n"), rsd), approx_count_distinct(col("s"), rsd))
                .collectAsList()
                .get(0);

        // Then
        for (int i = 0; i < 2; i++) {
            long estimate = (Long) result.get(i);
            assertThat(Math.abs(estimate - 100_000) / 100_000.0)
                    .as("estimate %d at rsd %s", estimate, rsd)
                    .isLessThan(3 * rsd);
        }
    }

    @Test
    void approxCountDistinctRefusesAnRsdWithoutAPrecisionBetween4And21Bits() {
        // When / Then
        assertThatThrownBy(() -> approx_count_distinct(col("page"), 0.4))
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_EXPRESSION))
                .hasMessage("approx_count_distinct takes a relative standard deviation from 0.00077 to 0.39"
                        + " (HyperLogLog with 4 to 21 bits of precision); got 0.4");
        assertThatThrownBy(() -> approx_count_distinct(col("page"), 0.0005)).hasMessageEndingWith("got 5.0E-4");
        assertThatThrownBy(() -> approx_count_distinct(col("page"), 0.0)).hasMessageEndingWith("got 0.0");
    }

    @Test
    void aStreamingAggregationCarriesFirstLastAndTheSketchAcrossBatches() throws Exception {
        // Given
        MemoryStream input = MemoryStream.of(brook, VISITS);
        Dataset<Row> summary = input.toDF()
                .groupBy("user")
                .agg(
                        first("page"),
                        last("page"),
                        first("clicks", true),
                        last("clicks", true),
                        approx_count_distinct("page"));
        Outputs update = new Outputs();
        Outputs complete = new Outputs();
        StreamingQuery updating = summary.writeStream()
                .outputMode("update")
                .foreachBatch(update::add)
                .start();
        StreamingQuery completing = summary.writeStream()
                .outputMode("complete")
                .foreachBatch(complete::add)
                .start();

        // When
        input.addData(Row.of("ann", "a1", null), Row.of("ann", "a2", 1L), Row.of("bob", null, 2L));
        updating.processAllAvailable();
        completing.processAllAvailable();
        input.addData(Row.of("ann", "a3", null), Row.of("bob", "b1", 3L), Row.of("cid", "c1", null));
        updating.processAllAvailable();
        completing.processAllAvailable();
        input.addData(Row.of("bob", null, null), Row.of("ann", "a1", 4L));
        updating.processAllAvailable();
        completing.processAllAvailable();

        // Then: first is of the earliest batch, last of the latest; a null row is a first or last value
        assertThat(update.snapshot())
                .isEqualTo(Map.of(
                        0L, List.of("[ann,a1,a2,1,1,2]", "[bob,null,null,2,2,0]"),
                        1L, List.of("[ann,a1,a3,1,1,3]", "[bob,null,b1,2,3,1]", "[cid,c1,c1,null,null,1]"),
                        2L, List.of("[ann,a1,a1,1,4,3]", "[bob,null,null,2,3,1]")));
        assertThat(complete.snapshot().get(2L))
                .containsExactly("[ann,a1,a1,1,4,3]", "[bob,null,null,2,3,1]", "[cid,c1,c1,null,null,1]");
    }

    @Test
    void anAppendModeWindowEmitsItsFirstLastAndDistinctCountOnceTheWatermarkClosesIt() throws Exception {
        // Given: 10-second windows, a watermark 10 seconds behind the latest time
        Schema events =
                Schema.of(new Field("time", ColumnType.TIMESTAMP, false), new Field("word", ColumnType.VARCHAR, false));
        MemoryStream input = MemoryStream.of(brook, events);
        Outputs append = new Outputs();
        StreamingQuery query = input.toDF()
                .withWatermark("time", "10 seconds")
                .groupBy(window(col("time"), "10 seconds"))
                .agg(first("word"), last("word"), approx_count_distinct("word"))
                .writeStream()
                .outputMode("append")
                .foreachBatch(append::add)
                .start();

        // When: [0,10) gets rows in two batches; time 25 moves the watermark to 15
        input.addData(Row.of(1_000_000L, "x"), Row.of(2_000_000L, "y"), Row.of(12_000_000L, "z"));
        query.processAllAvailable();
        input.addData(Row.of(3_000_000L, "x"), Row.of(25_000_000L, "w"));
        query.processAllAvailable();

        // Then: batches 1 and 3 run without data for a new watermark (2, then 15); batch 3 emits [0,10) alone
        assertThat(append.snapshot())
                .isEqualTo(Map.of(0L, List.of(), 1L, List.of(), 2L, List.of(), 3L, List.of("[0,10,x,x,2]")));
    }
}
