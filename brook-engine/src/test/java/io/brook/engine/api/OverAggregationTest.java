package io.brook.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.exec.PhysicalPlanner;
import io.brook.engine.stream.StreamingQueryProgress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL {@code OVER} aggregations: bounded queries with every supported frame, checked against answers worked out by
 * hand (nulls, ties, null partition keys); streams ordered by event time, whose rows come out once the watermark passes
 * them with the same values as the bounded query over the same rows, across restarts; and what a stream refuses.
 */
class OverAggregationTest {
    private static final Schema EVENTS = Schema.of(
            new Field("k", ColumnType.VARCHAR, true),
            new Field("ts", ColumnType.TIMESTAMP, false),
            new Field("v", ColumnType.INT, true));

    private final Brook brook = Brook.local();

    @BeforeEach
    void views() {
        // Partition a has a null value and two rows at 3 s; c has only a null value; one partition has a null key.
        brook.createDataFrame(
                        List.of(
                                event("a", 3, 7),
                                event("a", 1, 10),
                                event("b", 2, 4),
                                event("a", 2, null),
                                event(null, 1, 3),
                                event("a", 3, 5),
                                event("c", 1, null),
                                event("b", 1, 4),
                                event("a", 5, 1),
                                event(null, 2, 6)),
                        EVENTS)
                .createOrReplaceTempView("t");
    }

    @AfterEach
    void close() {
        brook.close();
    }

    private static Row event(String key, long seconds, Integer value) {
        return Row.of(key, seconds * 1_000_000L, value);
    }

    private List<String> rows(String sql) {
        return render(brook.sql(sql).collectAsList());
    }

    private static List<String> render(List<Row> rows) {
        List<String> rendered = new ArrayList<>();
        for (Row row : rows) {
            rendered.add(row.toString().replace("1970-01-01T00:00:", "").replace("Z", ""));
        }
        return rendered;
    }

    // Bounded

    @Test
    void runningAggregatesGivePeersTheSameValueWithTheDefaultRangeFrame() {
        assertThat(rows("SELECT k, ts, v, sum(v) OVER w, count(v) OVER w, count(*) OVER w, min(v) OVER w, max(v)"
                        + " OVER w, avg(v) OVER w FROM t WINDOW w AS (PARTITION BY k ORDER BY ts)"
                        + " ORDER BY k, ts, v"))
                .containsExactly(
                        "[a,01,10,10,1,1,10,10,10.0]",
                        "[a,02,null,10,1,2,10,10,10.0]",
                        "[a,03,5,22,3,4,5,10,7.333333333333333]",
                        "[a,03,7,22,3,4,5,10,7.333333333333333]",
                        "[a,05,1,23,4,5,1,10,5.75]",
                        "[b,01,4,4,1,1,4,4,4.0]",
                        "[b,02,4,8,2,2,4,4,4.0]",
                        "[c,01,null,null,0,1,null,null,null]",
                        "[null,01,3,3,1,1,3,3,3.0]",
                        "[null,02,6,9,2,2,3,6,4.5]");
    }

    @Test
    void rowsFramesRunRowByRowAndSlide() {
        assertThat(rows("SELECT k, ts, v,"
                        + " sum(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),"
                        + " sum(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),"
                        + " avg(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),"
                        + " count(*) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),"
                        + " max(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),"
                        + " sum(v) OVER (PARTITION BY k ORDER BY ts, v ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)"
                        + " FROM t ORDER BY k, ts, v"))
                .containsExactly(
                        "[a,01,10,10,10,10.0,1,10,10]",
                        "[a,02,null,10,10,10.0,2,10,5]",
                        "[a,03,5,15,15,7.5,3,10,12]",
                        "[a,03,7,22,12,6.0,3,7,8]",
                        "[a,05,1,23,13,4.333333333333333,3,7,1]",
                        "[b,01,4,4,4,4.0,1,4,8]",
                        "[b,02,4,8,8,4.0,2,4,4]",
                        "[c,01,null,null,null,null,1,null,null]",
                        "[null,01,3,3,3,3.0,1,3,9]",
                        "[null,02,6,9,9,4.5,2,6,6]");
    }

    @Test
    void withoutOrderByTheFrameIsTheWholePartition() {
        assertThat(rows("SELECT k, ts, v, sum(v) OVER (PARTITION BY k), count(*) OVER (PARTITION BY k), max(v) OVER"
                        + " (), sum(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND"
                        + " UNBOUNDED FOLLOWING) FROM t ORDER BY k, ts, v"))
                .containsExactly(
                        "[a,01,10,23,5,10,23]",
                        "[a,02,null,23,5,10,23]",
                        "[a,03,5,23,5,10,23]",
                        "[a,03,7,23,5,10,23]",
                        "[a,05,1,23,5,10,23]",
                        "[b,01,4,8,2,10,8]",
                        "[b,02,4,8,2,10,8]",
                        "[c,01,null,null,1,10,null]",
                        "[null,01,3,9,2,10,9]",
                        "[null,02,6,9,2,10,9]");
    }

    @Test
    void ranksCountRowsAndPeers() {
        // Nulls sort high (Brook's ORDER BY), so first when descending; b's two 4s are peers.
        assertThat(rows("SELECT k, ts, v, row_number() OVER (PARTITION BY k ORDER BY ts, v), rank() OVER"
                        + " (PARTITION BY k ORDER BY ts), dense_rank() OVER (PARTITION BY k ORDER BY ts), rank() OVER"
                        + " (PARTITION BY k ORDER BY v DESC), dense_rank() OVER (PARTITION BY k ORDER BY v DESC)"
                        + " FROM t ORDER BY k, ts, v"))
                .containsExactly(
                        "[a,01,10,1,1,1,2,2]",
                        "[a,02,null,2,2,2,1,1]",
                        "[a,03,5,3,3,3,4,4]",
                        "[a,03,7,4,3,3,3,3]",
                        "[a,05,1,5,5,4,5,5]",
                        "[b,01,4,1,1,1,1,1]",
                        "[b,02,4,2,2,2,1,1]",
                        "[c,01,null,1,1,1,1,1]",
                        "[null,01,3,1,1,1,2,2]",
                        "[null,02,6,2,2,2,1,1]");
    }

    @Test
    void refusesFramesItCannotComputeSayingWhichItCan() {
        assertThatThrownBy(() -> rows("SELECT sum(v) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '1'"
                        + " SECOND PRECEDING AND CURRENT ROW) FROM t"))
                .isInstanceOf(BrookException.class)
                .hasMessage("the OVER frame RANGE BETWEEN INTERVAL '1' SECOND PRECEDING AND CURRENT ROW is not"
                        + " supported yet; supported: ROWS or RANGE BETWEEN UNBOUNDED PRECEDING AND"
                        + " CURRENT ROW, ROWS BETWEEN n PRECEDING AND CURRENT ROW (or m FOLLOWING), UNBOUNDED"
                        + " PRECEDING AND UNBOUNDED FOLLOWING, and no ORDER BY (the whole partition)");
    }

    // Streaming

    private MemoryStream liveView(Brook session) {
        MemoryStream stream = MemoryStream.of(session, EVENTS);
        stream.toDF().withWatermark("ts", "5 seconds").createOrReplaceTempView("live");
        return stream;
    }

    /** A running total (RANGE, by event time) and an average of the last three rows, in one query: two groups. */
    private static final String STREAMED = "SELECT k, ts, v, sum(v) OVER (PARTITION BY k ORDER BY ts) AS total,"
            + " avg(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS last3 FROM ";

    /** What the streamed query gives for these rows, hand-computed; the far-ahead row z@100 s is never emitted. */
    private static final List<String> STREAMED_ANSWER = List.of(
            "[a,01,1,1,1.0]",
            "[a,02,2,3,1.5]",
            "[a,03,3,6,2.0]",
            "[a,04,4,10,3.0]",
            "[a,05,5,15,4.0]",
            "[a,08,8,23,5.666666666666667]",
            "[b,02,2,2,2.0]",
            "[b,04,4,6,3.0]",
            "[b,12,12,18,6.0]");

    private static List<List<Row>> streamedSteps() {
        // Out of order within the 5-second delay; the last step moves the watermark to 95 s.
        return List.of(
                List.of(event("a", 1, 1), event("a", 3, 3), event("b", 2, 2), event("a", 2, 2)),
                List.of(event("a", 8, 8), event("b", 4, 4), event("a", 5, 5)),
                List.of(event("a", 4, 4), event("b", 12, 12)),
                List.of(event("z", 100, 100)));
    }

    private List<String> boundedAnswer(List<List<Row>> steps) {
        List<Row> all = new ArrayList<>();
        steps.forEach(all::addAll);
        brook.createDataFrame(all, EVENTS).createOrReplaceTempView("all_events");
        return sorted(render(brook.sql(STREAMED + "all_events WHERE k <> 'z'").collectAsList()));
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }

    @Test
    void streamsRunningAndSlidingAggregatesInEventTimeOrderOnceTheWatermarkPasses() throws Exception {
        // Given
        MemoryStream stream = liveView(brook);
        StreamingQuery query = brook.sql(STREAMED + "live")
                .writeStream()
                .format("memory")
                .queryName("over_out")
                .outputMode("append")
                .start();
        List<List<Row>> steps = streamedSteps();

        // When
        stream.addData(steps.get(0));
        query.processAllAvailable();
        List<String> afterFirst = render(brook.table("over_out").collectAsList());
        for (List<Row> step : steps.subList(1, steps.size())) {
            stream.addData(step);
            query.processAllAvailable();
        }

        // Then: nothing before the watermark passed; then every row once, as the bounded query gives
        assertThat(afterFirst).isEmpty();
        List<String> streamed = sorted(render(brook.table("over_out").collectAsList()));
        assertThat(streamed).containsExactlyElementsOf(STREAMED_ANSWER);
        assertThat(streamed).containsExactlyElementsOf(boundedAnswer(steps));
        assertThat(droppedByWatermark(query)).isZero();
        query.stop();
    }

    @Test
    void streamsOneWindowOverTheWholeStreamGivingRowsOfOneTimeTheSameRangeValue() throws Exception {
        // Given: no PARTITION BY; two rows at 2 s, the second arriving in the next batch
        MemoryStream stream = liveView(brook);
        StreamingQuery query = brook.sql("SELECT k, ts, count(*) OVER (ORDER BY ts) AS n, max(k) OVER (ORDER BY ts)"
                        + " AS top FROM live")
                .writeStream()
                .format("memory")
                .queryName("over_all")
                .start();

        // When
        stream.addData(event("a", 1, 1), event("b", 2, 2));
        query.processAllAvailable();
        stream.addData(event("a", 2, 3), event("c", 4, 4));
        query.processAllAvailable();
        stream.addData(event("z", 100, 5));
        query.processAllAvailable();

        // Then
        assertThat(sorted(render(brook.table("over_all").collectAsList())))
                .containsExactly("[a,01,1,a]", "[a,02,3,b]", "[b,02,3,b]", "[c,04,4,c]");
        query.stop();
    }

    @Test
    void runsOverTheWindowsOfAnEventTimeAggregationByTheirPropagatedWatermark() throws Exception {
        // Given: a running total of 10-second window counts, ordered by the window end
        MemoryStream stream = liveView(brook);
        StreamingQuery query = brook.sql("SELECT window_end, n, sum(n) OVER (ORDER BY window_end) AS so_far FROM"
                        + " (SELECT window_start, window_end, count(*) AS n FROM TABLE(TUMBLE(TABLE live,"
                        + " DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end)")
                .writeStream()
                .format("memory")
                .queryName("over_windows")
                .start();

        // When
        stream.addData(event("a", 1, 1), event("a", 12, 1), event("a", 3, 1));
        query.processAllAvailable();
        stream.addData(event("a", 25, 1), event("a", 15, 1));
        query.processAllAvailable();
        stream.addData(event("z", 100, 1));
        query.processAllAvailable();

        // Then
        assertThat(sorted(render(brook.table("over_windows").collectAsList())))
                .containsExactly("[10,2,2]", "[20,2,4]", "[30,1,5]");
        assertThat(droppedByWatermark(query)).isZero();
        query.stop();
    }

    @Test
    void aStreamWhoseSourceEndsGivesTheWholeBoundedAnswer(@TempDir Path temp) throws Exception {
        // Given: 10,000 Nexmark events, 200 a second of event time, due at once (each look at the clock is a second
        // later); per auction, the running total, highest and number of bids and the average of the last three
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(5_000);
        try (Brook session = Brook.builder().clock(() -> clock.getAndAdd(1000)).getOrCreate()) {
            session.readStream()
                    .format("nexmark")
                    .option("eventsPerSecond", 200)
                    .option("events", 10_000)
                    .option("maxEventsPerTrigger", 1_500)
                    .load()
                    .withWatermark("dateTime", "4 seconds")
                    .createOrReplaceTempView("live_events");
            session.read()
                    .format("nexmark")
                    .option("eventsPerSecond", 200)
                    .option("events", 10_000)
                    .load()
                    .createOrReplaceTempView("all_events");
            String query =
                    "SELECT n.bid.auction AS auction, n.`dateTime`, n.bid.price AS price, sum(n.bid.price) OVER w"
                            + " AS spent, max(n.bid.price) OVER w AS top, count(*) OVER w AS bids FROM %s n WHERE"
                            + " n.event_type = 2 WINDOW w AS (PARTITION BY n.bid.auction ORDER BY n.`dateTime`)";

            // When
            List<Row> streamed = new ArrayList<>();
            StreamingQuery running = session.sql(String.format(query, "live_events"))
                    .writeStream()
                    .trigger(io.brook.engine.stream.Trigger.AvailableNow())
                    .option("checkpointLocation", temp.resolve("checkpoint").toString())
                    .foreachBatch((batch, batchId) -> {
                        List<Row> rows = batch.collectAsList();
                        synchronized (streamed) {
                            streamed.addAll(rows);
                        }
                    })
                    .start();
            running.awaitTermination();

            // Then: the final watermark let every row out, with the bounded query's values
            List<String> expected = sorted(
                    render(session.sql(String.format(query, "all_events")).collectAsList()));
            assertThat(expected).hasSizeGreaterThan(1000);
            synchronized (streamed) {
                assertThat(sorted(render(streamed))).isEqualTo(expected);
            }
            assertThat(droppedByWatermark(running)).isZero();
        }
    }

    @Test
    void dropsAndCountsRowsLateOnArrival() throws Exception {
        // Given: the watermark is at 3 s after the first two steps
        MemoryStream stream = liveView(brook);
        StreamingQuery query = brook.sql(STREAMED + "live")
                .writeStream()
                .format("memory")
                .queryName("over_late")
                .start();
        List<List<Row>> steps = streamedSteps();
        stream.addData(steps.get(0));
        query.processAllAvailable();
        stream.addData(steps.get(1));
        query.processAllAvailable();

        // When: a row at 3 s (at the watermark) and one at 2 s arrive, then the rest
        stream.addData(event("a", 3, 1000), event("b", 2, 1000));
        query.processAllAvailable();
        for (List<Row> step : steps.subList(2, steps.size())) {
            stream.addData(step);
            query.processAllAvailable();
        }

        // Then
        assertThat(droppedByWatermark(query)).isEqualTo(2);
        assertThat(sorted(render(brook.table("over_late").collectAsList()))).containsExactlyElementsOf(STREAMED_ANSWER);
        query.stop();
    }

    @Test
    void survivesARestartFromItsCheckpoint(@TempDir Path temp) throws Exception {
        // Given: a run that saw the first three steps and emitted what the watermark passed (3 s)
        List<List<Row>> steps = streamedSteps();
        Path checkpoint = temp.resolve("checkpoint");
        Map<Long, List<Row>> outputs = new TreeMap<>();
        runStreamed(checkpoint, steps, 0, 3, outputs);
        assertThat(outputs.values().stream().mapToInt(List::size).sum()).isPositive();

        // When: it starts again on the same checkpoint and reads the rest
        runStreamed(checkpoint, steps, 3, steps.size(), outputs);

        // Then: each row once, with the running state carried over
        List<Row> all = new ArrayList<>();
        outputs.values().forEach(all::addAll);
        assertThat(sorted(render(all))).containsExactlyElementsOf(STREAMED_ANSWER);
    }

    private static void runStreamed(
            Path checkpoint, List<List<Row>> steps, int from, int to, Map<Long, List<Row>> outputs) throws Exception {
        try (Brook session = Brook.local()) {
            MemoryStream stream = MemoryStream.of(session, EVENTS);
            stream.toDF().withWatermark("ts", "5 seconds").createOrReplaceTempView("live");
            // A restarted query's source must hold what its checkpoint says it read.
            for (int step = 0; step < from; step++) {
                stream.addData(steps.get(step));
            }
            StreamingQuery query = session.sql(STREAMED + "live")
                    .writeStream()
                    .option("checkpointLocation", checkpoint.toString())
                    .foreachBatch((batch, batchId) -> {
                        List<Row> rows = batch.collectAsList();
                        synchronized (outputs) {
                            outputs.put(batchId, rows);
                        }
                    })
                    .start();
            query.processAllAvailable();
            for (int step = from; step < to; step++) {
                stream.addData(steps.get(step));
                query.processAllAvailable();
            }
            query.stop();
        }
    }

    @Test
    void checkpointsAndExplainsEachWindowGroupAsAStateOperator() {
        liveView(brook);
        assertThat(PhysicalPlanner.stateSignature(brook.sql(STREAMED + "live").logicalPlan()))
                .containsExactly(
                        "over keys=[VARCHAR] order=[1] frame=RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
                                + " calls=[count BIGINT, sum BIGINT] rows=[VARCHAR, TIMESTAMP, INT]",
                        "over keys=[VARCHAR] order=[1] frame=ROWS BETWEEN 2 PRECEDING AND CURRENT ROW"
                                + " calls=[count BIGINT, sum BIGINT] rows=[VARCHAR, TIMESTAMP, INT, BIGINT, BIGINT]");
    }

    @Test
    void refusesInAStreamWhatOnlyABoundedQueryCanDo() {
        liveView(brook);
        assertThatThrownBy(() -> start("SELECT sum(v) OVER (PARTITION BY k ORDER BY v) FROM live"))
                .isInstanceOf(BrookException.class)
                .hasMessage("OVER over a stream must ORDER BY one event-time column (a column with withWatermark(...)),"
                        + " ascending, as in Flink; got ORDER BY v");
        assertThatThrownBy(() -> start("SELECT count(*) OVER (PARTITION BY k) FROM live"))
                .isInstanceOf(BrookException.class)
                .hasMessage("OVER over a stream must ORDER BY one event-time column (a column with withWatermark(...)),"
                        + " ascending, as in Flink; got no ORDER BY");
        assertThatThrownBy(() -> start("SELECT rank() OVER (PARTITION BY k ORDER BY ts) FROM live"))
                .isInstanceOf(BrookException.class)
                .hasMessage("row_number, rank and dense_rank OVER a stream are not supported: a rank is known only"
                        + " once the whole partition is; in a stream, use sum, count, min, max or avg OVER (PARTITION"
                        + " BY ... ORDER BY an event-time column ...)");
        assertThatThrownBy(() -> start("SELECT sum(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 1 PRECEDING AND"
                        + " 1 FOLLOWING) FROM live"))
                .isInstanceOf(BrookException.class)
                .hasMessage("OVER over a stream supports the frames ROWS or RANGE BETWEEN UNBOUNDED PRECEDING AND"
                        + " CURRENT ROW and ROWS BETWEEN n PRECEDING AND CURRENT ROW (a frame that reaches past the"
                        + " current row would hold it back); got ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING");
    }

    @Test
    void refusesAnOverOfAStreamingAggregationOutsideAppendMode() {
        liveView(brook);
        Dataset<Row> running = brook.sql("SELECT window_end, sum(n) OVER (ORDER BY window_end) FROM (SELECT"
                + " window_start, window_end, count(*) AS n FROM TABLE(TUMBLE(TABLE live, DESCRIPTOR(ts), INTERVAL"
                + " '10' SECOND)) GROUP BY window_start, window_end)");
        assertThatThrownBy(() -> running.writeStream()
                        .format("memory")
                        .queryName("refused")
                        .outputMode("update")
                        .start())
                .isInstanceOf(BrookException.class)
                .hasMessage("OVER over a streaming aggregation is not supported in update output mode: the"
                        + " aggregation's rows change from batch to batch; use outputMode(\"append\") with the"
                        + " aggregation over event-time windows and withWatermark(...)");
    }

    private void start(String sql) throws Exception {
        StreamingQuery query = brook.sql(sql)
                .writeStream()
                .format("memory")
                .queryName("refused")
                .start();
        query.stop();
    }

    private static long droppedByWatermark(StreamingQuery query) {
        return query.recentProgress().stream()
                .flatMap(progress -> progress.stateOperators().stream())
                .mapToLong(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
                .sum();
    }
}
