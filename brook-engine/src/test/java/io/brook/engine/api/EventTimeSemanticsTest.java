package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.stream.StreamingQueryProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Event-time semantics as Spark documents them, as a table of cases: input batches, and the output of every micro-batch
 * (including the batches without data that run when the watermark moves). Times are seconds; rows print times as
 * seconds too. Watermark delay 10 s throughout: after a batch, the watermark is the largest time seen minus 10 s, and
 * the next batch runs with it. Each case also runs as a batch query over its on-time rows, which must give the final
 * result.
 */
class EventTimeSemanticsTest {
    private static final Schema EVENTS =
            Schema.of(new Field("time", ColumnType.TIMESTAMP, false), new Field("word", ColumnType.VARCHAR, false));

    private final Brook brook = Brook.local();

    @AfterEach
    void close() {
        brook.close();
    }

    /** One input row: a time in seconds, a word, and whether Spark would drop it as late. */
    record Event(long seconds, String word, boolean late) {
        static Event onTime(long seconds, String word) {
            return new Event(seconds, word, false);
        }

        static Event late(long seconds, String word) {
            return new Event(seconds, word, true);
        }

        Row row() {
            return Row.of(seconds * 1_000_000L, word);
        }
    }

    record Case(
            String name,
            UnaryOperator<Dataset<Row>> query,
            String outputMode,
            List<List<Event>> inputs,
            Map<Long, List<String>> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final UnaryOperator<Dataset<Row>> TUMBLING = events -> events.withWatermark("time", "10 seconds")
            .groupBy(window(col("time"), "10 seconds"), col("word"))
            .agg(count("*").as("count"));

    private static final UnaryOperator<Dataset<Row>> SLIDING = events -> events.withWatermark("time", "10 seconds")
            .groupBy(window(col("time"), "10 seconds", "5 seconds"), col("word"))
            .agg(count("*").as("count"));

    private static final UnaryOperator<Dataset<Row>> SESSIONS = events -> events.withWatermark("time", "10 seconds")
            .groupBy(functions.session_window(col("time"), "5 seconds"), col("word"))
            .agg(count("*").as("count"));

    private static final List<List<Event>> TUMBLING_INPUT = List.of(
            List.of(Event.onTime(1, "a"), Event.onTime(5, "a"), Event.onTime(12, "b")),
            List.of(Event.onTime(25, "a")),
            List.of(Event.late(3, "a"), Event.onTime(18, "b")),
            List.of(Event.onTime(40, "c")));

    static Stream<Case> cases() {
        return Stream.of(
                new Case(
                        "tumbling windows, append: a window is emitted once, when the watermark passes its end",
                        TUMBLING,
                        "append",
                        TUMBLING_INPUT,
                        batches(
                                0, List.of(), // data: watermark becomes 12 - 10 = 2
                                1, List.of(), // no data, watermark 2: nothing ends by 2
                                2, List.of(), // data (25): watermark becomes 15
                                3, List.of("[0,10,a,2]"), // no data, watermark 15 closes [0,10)
                                4, List.of(), // data: (3, a) is late for [0,10) and dropped; [10,20) b is now 2
                                5, List.of(), // data (40): watermark becomes 30
                                6, List.of("[10,20,b,2]", "[20,30,a,1]"))),
                new Case(
                        "tumbling windows, update: changed windows every batch, closed ones evicted",
                        TUMBLING,
                        "update",
                        TUMBLING_INPUT,
                        batches(
                                0, List.of("[0,10,a,2]", "[10,20,b,1]"),
                                1, List.of(),
                                2, List.of("[20,30,a,1]"),
                                3, List.of(),
                                4, List.of("[10,20,b,2]"),
                                5, List.of("[40,50,c,1]"),
                                6, List.of())),
                new Case(
                        "tumbling windows, complete: the whole table every batch, nothing late, no batch without data",
                        TUMBLING,
                        "complete",
                        TUMBLING_INPUT.stream()
                                .map(batch -> batch.stream()
                                        .map(event -> Event.onTime(event.seconds(), event.word()))
                                        .toList())
                                .toList(),
                        batches(
                                0, List.of("[0,10,a,2]", "[10,20,b,1]"),
                                1, List.of("[0,10,a,2]", "[10,20,b,1]", "[20,30,a,1]"),
                                2, List.of("[0,10,a,3]", "[10,20,b,2]", "[20,30,a,1]"),
                                3, List.of("[0,10,a,3]", "[10,20,b,2]", "[20,30,a,1]", "[40,50,c,1]"))),
                new Case(
                        "sliding windows, append: a row counts in every window that contains it",
                        SLIDING,
                        "append",
                        List.of(List.of(Event.onTime(7, "a")), List.of(Event.onTime(26, "a"))),
                        batches(
                                0, List.of(), // watermark becomes -3
                                1, List.of(), // no data
                                2, List.of(), // watermark becomes 16
                                3, List.of("[0,10,a,1]", "[5,15,a,1]"))),
                new Case(
                        "session windows, append: a session closes when the watermark passes its last event plus the"
                                + " gap, and a new event can merge two sessions",
                        SESSIONS,
                        "append",
                        List.of(
                                List.of(
                                        Event.onTime(1, "a"),
                                        Event.onTime(3, "a"),
                                        Event.onTime(10, "a"),
                                        Event.onTime(2, "b")),
                                List.of(Event.onTime(6, "a")),
                                List.of(Event.onTime(30, "c"))),
                        batches(
                                0, List.of(), // a: [1,8) and [10,15); b: [2,7); watermark becomes 0
                                1, List.of(), // no data: nothing ends by 0
                                2, List.of(), // (6, a) stretches [1,8) to [1,11), which merges with [10,15)
                                3, List.of(), // watermark becomes 20
                                4, List.of("[a,1,15,4]", "[b,2,7,1]"))),
                new Case(
                        "deduplication with a watermark: each key once, late rows dropped, old keys evicted",
                        events -> events.withWatermark("time", "10 seconds").dropDuplicates("word", "time"),
                        "append",
                        List.of(
                                List.of(Event.onTime(1, "a"), Event.onTime(1, "a"), Event.onTime(5, "b")),
                                List.of(Event.onTime(1, "a"), Event.onTime(20, "a")),
                                List.of(Event.late(5, "b"), Event.onTime(20, "a"), Event.onTime(21, "c"))),
                        batches(
                                0, List.of("[1,a]", "[5,b]"), // watermark becomes -5
                                1, List.of(), // no data
                                2, List.of("[20,a]"), // (1, a) was seen; watermark becomes 10
                                3, List.of(), // no data: keys at 10 or before leave the state
                                4, List.of("[21,c]"), // (5, b) is late; (20, a) was seen
                                5, List.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void streamingOutputPerBatchFollowsSparksSemantics(Case semantics) throws Exception {
        // Given
        MemoryStream input = MemoryStream.of(brook, EVENTS);
        Map<Long, List<String>> outputs = new TreeMap<>();
        List<StreamingQueryProgress> progress = new ArrayList<>();
        StreamingQuery query = semantics
                .query()
                .apply(input.toDF())
                .writeStream()
                .outputMode(semantics.outputMode())
                .foreachBatch((batch, batchId) -> {
                    synchronized (outputs) {
                        outputs.put(batchId, rows(batch));
                    }
                })
                .start();

        // When
        for (List<Event> batch : semantics.inputs()) {
            input.addData(batch.stream().map(Event::row).toList());
            query.processAllAvailable();
        }

        // Then
        synchronized (outputs) {
            assertThat(outputs).isEqualTo(semantics.expected());
        }
        long late = semantics.inputs().stream()
                .flatMap(List::stream)
                .filter(Event::late)
                .count();
        long dropped = query.recentProgress().stream()
                .flatMap(report -> report.stateOperators().stream())
                .mapToLong(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
                .sum();
        assertThat(dropped).isEqualTo(late);
        progress.addAll(query.recentProgress());
        assertThat(progress).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSameQueryAsABatchGivesTheFinalResult(Case semantics) throws Exception {
        // Given: the on-time rows as a bounded Dataset
        List<Row> onTime = semantics.inputs().stream()
                .flatMap(List::stream)
                .filter(event -> !event.late())
                .map(Event::row)
                .toList();

        // When
        List<String> batchResult = rows(semantics.query().apply(brook.createDataFrame(onTime, EVENTS)));

        // Then: the streaming result table after the last batch holds the same rows, for the windows it has closed
        Map<String, String> latest = new LinkedHashMap<>();
        for (List<String> output : semantics.expected().values()) {
            if (semantics.outputMode().equals("complete")) {
                latest.clear();
            }
            for (String row : output) {
                latest.put(row.substring(0, row.lastIndexOf(',')), row);
            }
        }
        assertThat(batchResult).containsAll(latest.values());
        if (!semantics.outputMode().equals("append")) {
            assertThat(latest.values()).containsExactlyInAnyOrderElementsOf(batchResult);
        }
    }

    @Test
    void appendModeWithoutAnEventTimeKeyIsRefusedAndAWatermarkNeedsATimestamp() {
        // Given
        Dataset<Row> events = MemoryStream.of(brook, EVENTS).toDF();

        // When / Then
        assertThatThrownBy(() -> events.withWatermark("time", "10 seconds")
                        .groupBy("word")
                        .count()
                        .writeStream()
                        .outputMode("append")
                        .start())
                .hasMessageStartingWith("append output mode is not supported when there are streaming aggregations"
                        + " without a watermark");
        assertThatThrownBy(() ->
                        events.withWatermark("word", "10 seconds").writeStream().start())
                .hasMessageStartingWith("withWatermark needs a TIMESTAMP column; 'word' is VARCHAR");
        assertThatThrownBy(() -> window(col("time"), "5 seconds", "10 seconds"))
                .hasMessage("a window needs a size and a slide > 0 with slide <= size; got size '5 seconds', slide '10"
                        + " seconds'");
    }

    @Test
    void aRestartKeepsTheWatermarkSoClosedWindowsStayClosed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        // Given: a query that saw time 25 (watermark 15) stops
        java.nio.file.Path checkpoint = temp.resolve("checkpoint");
        List<List<Row>> inputs = List.of(
                List.of(Event.onTime(1, "a").row(), Event.onTime(25, "a").row()),
                List.of(Event.onTime(3, "a").row(), Event.onTime(26, "b").row()));
        Map<Long, List<String>> before = runAppend(checkpoint, inputs.subList(0, 1));

        // When: it restarts with a late row for the closed window [0,10) and a new row
        Map<Long, List<String>> after = runAppend(checkpoint, inputs);

        // Then: [0,10) was emitted once, before the restart; after it, the late row is dropped and nothing is
        // re-emitted, and the watermark moving to 16 runs one batch without data (which closes nothing)
        assertThat(before).isEqualTo(batches(0, List.of(), 1, List.of("[0,10,a,1]")));
        assertThat(after).isEqualTo(batches(2, List.of(), 3, List.of()));
        String lastCommit =
                java.nio.file.Files.readString(checkpoint.resolve("commits").resolve("2"));
        assertThat(lastCommit).contains("\"nextBatchWatermarkMs\":16000");
    }

    private Map<Long, List<String>> runAppend(java.nio.file.Path checkpoint, List<List<Row>> inputs) throws Exception {
        try (Brook session = Brook.local()) {
            MemoryStream input = MemoryStream.of(session, EVENTS);
            for (List<Row> batch : inputs) {
                input.addData(batch);
            }
            Map<Long, List<String>> outputs = new TreeMap<>();
            StreamingQuery query = TUMBLING.apply(input.toDF())
                    .writeStream()
                    .outputMode("append")
                    .option("checkpointLocation", checkpoint.toString())
                    .option("maxFilesPerTrigger", "1")
                    .foreachBatch((batch, batchId) -> {
                        synchronized (outputs) {
                            outputs.put(batchId, rows(batch));
                        }
                    })
                    .start();
            query.processAllAvailable();
            query.stop();
            synchronized (outputs) {
                return new TreeMap<>(outputs);
            }
        }
    }

    private static Map<Long, List<String>> batches(Object... idsAndRows) {
        Map<Long, List<String>> result = new TreeMap<>();
        for (int i = 0; i < idsAndRows.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> rows = (List<String>) idsAndRows[i + 1];
            result.put(((Integer) idsAndRows[i]).longValue(), rows);
        }
        return result;
    }

    /** Rows sorted, with instants as epoch seconds. */
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
}
