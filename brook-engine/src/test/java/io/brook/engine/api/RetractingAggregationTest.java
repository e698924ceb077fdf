package io.brook.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An aggregation over the result of another streaming aggregation in update mode: the first emits, for each group it
 * changed in a micro-batch, a retraction of its earlier row and the new row; the second takes the retractions back
 * (count, sum and avg subtract, min and max keep every value). After each micro-batch the memory sink, which keeps the
 * latest row per key, must equal the same SQL run as a bounded query over all rows so far, and an answer computed
 * here in plain Java.
 */
class RetractingAggregationTest {
    private static final Schema INPUT = Schema.of(
            new Field("k", ColumnType.VARCHAR, false),
            new Field("k2", ColumnType.VARCHAR, false),
            new Field("x", ColumnType.BIGINT, false));

    private static final String MAX_THEN_SUM = "SELECT k2, sum(v) AS total, count(*) AS n, max(v) AS top"
            + " FROM (SELECT k, k2, max(x) AS v FROM s GROUP BY k, k2) GROUP BY k2";

    /** Per k2 over the inner rows' v: sum, count, max. */
    private static final Summary SUM_COUNT_MAX = values -> List.of(
            values.stream().mapToLong(Long::longValue).sum(),
            (long) values.size(),
            values.stream().mapToLong(Long::longValue).max().orElseThrow());

    /** Micro-batches in which inner maxima rise (a, c), stay (b) and new inner groups come (d, e). */
    private static final List<List<Row>> RISING = List.of(
            List.of(Row.of("a", "g1", 5L), Row.of("b", "g1", 3L), Row.of("c", "g2", 7L)),
            List.of(Row.of("a", "g1", 9L), Row.of("b", "g1", 1L), Row.of("d", "g2", 2L)),
            List.of(Row.of("c", "g2", 10L), Row.of("e", "g1", 4L)),
            List.of(Row.of("a", "g1", 2L), Row.of("d", "g2", 11L), Row.of("f", "g3", 1L)));

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    private Brook session(String stateStore) {
        Brook brook = Brook.builder()
                .config("brook.state.store", stateStore)
                .config("brook.sql.shuffle.partitions", "3")
                .getOrCreate();
        sessions.add(brook);
        return brook;
    }

    @FunctionalInterface
    private interface Summary {
        List<Object> of(List<Long> innerValues);
    }

    /** The expected rows: the inner aggregation in plain Java, then the outer one per k2, as sorted strings. */
    private static List<String> expected(List<Row> rows, boolean innerMax, Summary summary) {
        Map<String, Long> inner = new TreeMap<>(); // k|k2 -> max or min of x
        for (Row row : rows) {
            inner.merge(row.get(0) + "|" + row.get(1), (Long) row.get(2), innerMax ? Math::max : Math::min);
        }
        Map<String, List<Long>> byK2 = new TreeMap<>();
        inner.forEach((key, value) -> byK2.computeIfAbsent(key.split("\\|")[1], k -> new ArrayList<>())
                .add(value));
        List<String> expected = new ArrayList<>();
        byK2.forEach((k2, values) -> {
            List<Object> row = new ArrayList<>(List.of(k2));
            row.addAll(summary.of(values));
            expected.add(Row.of(row.toArray()).toString());
        });
        return expected;
    }

    private static List<String> sorted(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().toList();
    }

    /** The same SQL over the rows so far as a bounded query. */
    private static List<String> bounded(Brook brook, String sql, List<Row> rows) {
        brook.createDataFrame(rows, INPUT).createOrReplaceTempView("s");
        return sorted(brook.sql(sql).collectAsList());
    }

    private static StreamingQuery start(Brook brook, MemoryStream input, String sql, String sink, Path checkpoint) {
        input.toDF().createOrReplaceTempView("s");
        DataStreamWriter writer = brook.sql(sql)
                .writeStream()
                .outputMode("update")
                .format("memory")
                .queryName(sink);
        if (checkpoint != null) {
            writer = writer.option("checkpointLocation", checkpoint.toString());
        }
        return writer.start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void anAggregationOverAnUpdatingAggregationTakesBackReplacedRowsInEveryMicroBatch(String stateStore)
            throws Exception {
        // Given
        Brook brook = session(stateStore);
        MemoryStream input = MemoryStream.of(brook, INPUT);
        StreamingQuery query = start(brook, input, MAX_THEN_SUM, "totals", null);
        List<Row> seen = new ArrayList<>();

        for (List<Row> batch : RISING) {
            // When
            input.addData(batch);
            query.processAllAvailable();
            seen.addAll(batch);

            // Then
            List<String> expected = expected(seen, true, SUM_COUNT_MAX);
            assertThat(sorted(brook.table("totals").collectAsList()))
                    .as("after %s rows", seen.size())
                    .isEqualTo(expected);
            try (Brook batchSession = Brook.local()) {
                assertThat(bounded(batchSession, MAX_THEN_SUM, seen)).isEqualTo(expected);
            }
        }
        assertThat(sorted(brook.table("totals").collectAsList()))
                .containsExactly("[g1,16,3,9]", "[g2,21,2,11]", "[g3,1,1,1]");
        assertThat(query.exception()).isNull();
    }

    @Test
    void aMaximumTakenBackRevealsTheNextHighestValueAndAverageAndMinimumFollow() throws Exception {
        // Given: inner minima fall, so the outer maximum falls back to a value it held before
        String sql = "SELECT k2, max(v) AS top, min(v) AS bottom, avg(v) AS mean, sum(v) AS total"
                + " FROM (SELECT k, k2, min(x) AS v FROM s GROUP BY k, k2) GROUP BY k2";
        Summary summary = values -> List.of(
                values.stream().mapToLong(Long::longValue).max().orElseThrow(),
                values.stream().mapToLong(Long::longValue).min().orElseThrow(),
                values.stream().mapToLong(Long::longValue).average().orElseThrow(),
                values.stream().mapToLong(Long::longValue).sum());
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, INPUT);
        StreamingQuery query = start(brook, input, sql, "extremes", null);
        List<List<Row>> batches = List.of(
                List.of(Row.of("a", "g", 9L), Row.of("b", "g", 5L), Row.of("c", "g", 7L)),
                List.of(Row.of("a", "g", 1L)),
                List.of(Row.of("c", "g", 0L), Row.of("b", "g", 6L)),
                List.of(Row.of("d", "g", 8L)));
        List<Row> seen = new ArrayList<>();

        for (List<Row> batch : batches) {
            // When
            input.addData(batch);
            query.processAllAvailable();
            seen.addAll(batch);

            // Then
            List<String> expected = expected(seen, false, summary);
            assertThat(sorted(brook.table("extremes").collectAsList()))
                    .as("after %s rows", seen.size())
                    .isEqualTo(expected);
            try (Brook batchSession = Brook.local()) {
                assertThat(bounded(batchSession, sql, seen)).isEqualTo(expected);
            }
        }
        // 9, 5, 7 -> 1, 5, 7 (max 7) -> 1, 5, 0 (max 5) -> with d: 8
        assertThat(sorted(brook.table("extremes").collectAsList())).containsExactly("[g,8,0,3.5,14]");
    }

    @Test
    void aFirstAggregationRowThatDidNotChangeIsNeitherTakenBackNorSentAgain() throws Exception {
        // Given: the second aggregation's changed rows per micro-batch
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, INPUT);
        input.toDF().createOrReplaceTempView("s");
        Map<Long, List<String>> outputs = new TreeMap<>();
        StreamingQuery query = brook.sql(MAX_THEN_SUM)
                .writeStream()
                .outputMode("update")
                .foreachBatch((batch, batchId) -> {
                    synchronized (outputs) {
                        outputs.put(batchId, sorted(batch.collectAsList()));
                    }
                })
                .start();

        // When: a's maximum stays 5, then rises to 6
        input.addData(Row.of("a", "g1", 5L), Row.of("b", "g1", 3L));
        query.processAllAvailable();
        input.addData(Row.of("a", "g1", 4L));
        query.processAllAvailable();
        input.addData(Row.of("a", "g1", 6L));
        query.processAllAvailable();

        // Then: the micro-batch that changed no maximum changed no total
        synchronized (outputs) {
            assertThat(outputs).isEqualTo(Map.of(0L, List.of("[g1,8,2,5]"), 1L, List.of(), 2L, List.of("[g1,9,2,6]")));
        }
    }

    @Test
    void aGroupWhoseRowsAreAllTakenBackIsDeletedFromTheUpdateModeResult() throws Exception {
        // Given: a filter between the aggregations lets a retraction through but not the row that replaces it
        String sql = "SELECT k2, count(*) AS n FROM (SELECT k, k2, max(x) AS v FROM s GROUP BY k, k2)"
                + " WHERE v < 10 GROUP BY k2";
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, INPUT);
        StreamingQuery query = start(brook, input, sql, "small", null);

        // When
        input.addData(Row.of("a", "g1", 5L), Row.of("b", "g2", 3L), Row.of("c", "g2", 4L));
        query.processAllAvailable();
        List<String> before = sorted(brook.table("small").collectAsList());
        input.addData(Row.of("a", "g1", 50L), Row.of("b", "g2", 30L));
        query.processAllAvailable();

        // Then: g1 has no row under 10 left, g2 one
        assertThat(before).containsExactly("[g1,1]", "[g2,2]");
        assertThat(sorted(brook.table("small").collectAsList())).containsExactly("[g2,1]");
        try (Brook batchSession = Brook.local()) {
            assertThat(bounded(
                            batchSession,
                            sql,
                            List.of(
                                    Row.of("a", "g1", 5L),
                                    Row.of("b", "g2", 3L),
                                    Row.of("c", "g2", 4L),
                                    Row.of("a", "g1", 50L),
                                    Row.of("b", "g2", 30L))))
                    .containsExactly("[g2,1]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aRestartedQueryCarriesOnFromTheCheckpointedStateOfBothAggregations(String stateStore) throws Exception {
        // Given: two micro-batches run, then the query stops
        Path checkpoint = temp.resolve("restart-" + stateStore);
        Brook first = session(stateStore);
        MemoryStream input = MemoryStream.of(first, INPUT);
        StreamingQuery query = start(first, input, MAX_THEN_SUM, "before", checkpoint);
        for (List<Row> batch : RISING.subList(0, 2)) {
            input.addData(batch);
            query.processAllAvailable();
        }
        query.stop();

        // When: a new session resumes from the checkpoint (the memory stream's earlier data again, then the rest)
        Brook second = session(stateStore);
        MemoryStream resumedInput = MemoryStream.of(second, INPUT);
        resumedInput.addData(RISING.get(0));
        resumedInput.addData(RISING.get(1));
        StreamingQuery resumed = start(second, resumedInput, MAX_THEN_SUM, "after", checkpoint);
        List<Row> seen = new ArrayList<>(RISING.get(0));
        seen.addAll(RISING.get(1));
        for (List<Row> batch : RISING.subList(2, RISING.size())) {
            resumedInput.addData(batch);
            resumed.processAllAvailable();
            seen.addAll(batch);
        }

        // Then: only the new micro-batches ran, and the groups they changed carry the earlier batches' values
        assertThat(resumed.lastProgress().batchId()).isEqualTo(3);
        assertThat(sorted(second.table("after").collectAsList()))
                .isEqualTo(expected(seen, true, SUM_COUNT_MAX))
                .containsExactly("[g1,16,3,9]", "[g2,21,2,11]", "[g3,1,1,1]");
    }

    @Test
    void inCompleteModeTheSecondAggregationsWholeResultLeavesOutGroupsWithNoRowsLeft() throws Exception {
        // Given: how many words have each count
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, INPUT);
        StreamingQuery query = input.toDF()
                .groupBy("k")
                .count()
                .groupBy("count")
                .count()
                .writeStream()
                .outputMode("complete")
                .format("memory")
                .queryName("histogram")
                .start();

        // When
        input.addData(Row.of("a", "g", 1L), Row.of("b", "g", 1L), Row.of("a", "g", 1L));
        query.processAllAvailable();
        List<String> first = sorted(brook.table("histogram").collectAsList());
        input.addData(Row.of("c", "g", 1L), Row.of("a", "g", 1L));
        query.processAllAvailable();

        // Then: a went from 2 to 3, so no word has count 2 any more
        assertThat(first).containsExactly("[1,1]", "[2,1]");
        assertThat(sorted(brook.table("histogram").collectAsList())).containsExactly("[1,2]", "[3,1]");
    }

    @Test
    void aFunctionThatCannotTakeRowsBackIsRefusedOverAnUpdatingResult() {
        // Given
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, INPUT);

        // When, then
        assertThatThrownBy(() -> start(
                        brook,
                        input,
                        "SELECT k2, count(DISTINCT v) FROM (SELECT k, k2, max(x) AS v FROM s GROUP BY k, k2)"
                                + " GROUP BY k2",
                        "distinct",
                        null))
                .isInstanceOfSatisfying(
                        BrookException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_IN_STREAMING))
                .hasMessage("count(DISTINCT ...) cannot aggregate an updating result (the rows of another streaming"
                        + " aggregation, which it must take back when they change): over such a result, use count,"
                        + " sum, avg, min or max (not distinct), or write the first aggregation to a topic and"
                        + " aggregate that in a second query; got COUNT(DISTINCT $1)");
    }
}
