package io.brook.engine;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.expr;
import static io.brook.engine.api.functions.max;
import static io.brook.engine.api.functions.session_window;
import static io.brook.engine.api.functions.sum;
import static io.brook.engine.api.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.MemoryStream;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.stream.StreamingQueryProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chains of stateful operators in append mode, as the Nexmark queries need them: an aggregation over an aggregation
 * joined with it (q5), an aggregation joined with its own input stream on a time range (q7), and a join of two
 * aggregations of two streams (q8). Events come over several micro-batches, none late; then an event far ahead moves
 * the watermark past every window. The streaming output must be exactly the same plan's answer as a bounded query, and
 * the answer computed in plain Java, for every window the watermark has closed; and no aggregated row may be dropped
 * as late by the operator after it.
 */
class ChainedStatefulTest {
    private static final long SECOND = 1_000_000L;
    private static final long FAR = 1_000 * SECOND;
    /** The windows compared: all end by then; the far event's windows end after it and are never closed. */
    private static final long CUTOFF = 900 * SECOND;

    private static final int STEPS = 6;

    private static final Schema BIDS = Schema.of(
            new Field("auction", ColumnType.BIGINT, false),
            new Field("price", ColumnType.BIGINT, false),
            new Field("dateTime", ColumnType.TIMESTAMP, false));
    private static final Schema PERSONS = Schema.of(
            new Field("id", ColumnType.BIGINT, false),
            new Field("name", ColumnType.VARCHAR, false),
            new Field("dateTime", ColumnType.TIMESTAMP, false));
    private static final Schema AUCTIONS = Schema.of(
            new Field("seller", ColumnType.BIGINT, false),
            new Field("itemName", ColumnType.VARCHAR, false),
            new Field("dateTime", ColumnType.TIMESTAMP, false));

    private final Brook brook = Brook.local();

    @AfterEach
    void close() {
        brook.close();
    }

    /** q5: the auctions with the most bids in each sliding window. */
    private static Dataset<Row> hotItems(Dataset<Row> bids) {
        Dataset<Row> counts = bids.withWatermark("dateTime", "5 seconds")
                .groupBy(col("auction"), window(col("dateTime"), "10 seconds", "2 seconds"))
                .agg(count("*").as("num"));
        Dataset<Row> maxima =
                counts.groupBy("window_start", "window_end").agg(max("num").as("maxn"));
        return counts.join(
                maxima,
                counts.col("window_start")
                        .equalTo(maxima.col("window_start"))
                        .and(counts.col("window_end").equalTo(maxima.col("window_end")))
                        .and(counts.col("num").geq(maxima.col("maxn"))));
    }

    /** q7: the bids with the highest price of their tumbling window. */
    private static Dataset<Row> highestBids(Dataset<Row> bids) {
        Dataset<Row> watermarked = bids.withWatermark("dateTime", "5 seconds");
        Dataset<Row> maxima = watermarked
                .groupBy(window(col("dateTime"), "10 seconds"))
                .agg(max("price").as("maxprice"));
        return watermarked.join(
                maxima,
                watermarked
                        .col("price")
                        .equalTo(maxima.col("maxprice"))
                        .and(watermarked.col("dateTime").geq(maxima.col("window_start")))
                        .and(watermarked.col("dateTime").lt(maxima.col("window_end"))));
    }

    /** q8: the persons who opened auctions in the window they appeared in. */
    private static Dataset<Row> newSellers(Dataset<Row> persons, Dataset<Row> auctions) {
        Dataset<Row> people = persons.withWatermark("dateTime", "5 seconds")
                .groupBy(col("id"), col("name"), window(col("dateTime"), "10 seconds"))
                .agg(count("*").as("events"));
        Dataset<Row> sellers = auctions.withWatermark("dateTime", "5 seconds")
                .groupBy(col("seller"), window(col("dateTime"), "10 seconds"))
                .agg(count("*").as("auctions"));
        return people.join(
                sellers,
                people.col("id")
                        .equalTo(sellers.col("seller"))
                        .and(people.col("window_start").equalTo(sellers.col("window_start")))
                        .and(people.col("window_end").equalTo(sellers.col("window_end"))));
    }

    @Test
    void anAggregationOverAnAggregationJoinedWithItIsExact() throws Exception {
        // Given
        List<List<Row>> steps = bids(new Random(5));
        MemoryStream stream = MemoryStream.of(brook, BIDS);

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(hotItems(stream.toDF()), outputs);
        for (List<Row> step : steps) {
            stream.addData(step);
            query.processAllAvailable();
        }
        query.stop();

        // Then
        List<Row> all = steps.stream().flatMap(List::stream).toList();
        List<String> expected = hotItemsInJava(all);
        assertThat(expected).hasSizeGreaterThan(30);
        assertThat(render(outputs, 1)).isEqualTo(expected);
        assertThat(render(hotItems(brook.createDataFrame(all, BIDS)).collectAsList(), 1))
                .isEqualTo(expected);
        assertThat(droppedByWatermark(query)).isZero();
    }

    @Test
    void theNextAggregationEmitsInTheBatchWhoseWatermarkClosesTheWindow() throws Exception {
        // Given: word counts per 10-s window (watermark delay 10 s), then the words per window in total
        Schema events =
                Schema.of(new Field("time", ColumnType.TIMESTAMP, false), new Field("word", ColumnType.VARCHAR, false));
        MemoryStream stream = MemoryStream.of(brook, events);
        Dataset<Row> totals = stream.toDF()
                .withWatermark("time", "10 seconds")
                .groupBy(window(col("time"), "10 seconds"), col("word"))
                .agg(count("*").as("count"))
                .groupBy("window_start", "window_end")
                .agg(sum("count").as("words"));

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(totals, outputs);
        for (List<Long> seconds : List.of(List.of(1L, 5L, 12L), List.of(25L), List.of(40L))) {
            stream.addData(seconds.stream()
                    .map(second -> Row.of(second * SECOND, second < 10 || second == 25 ? "a" : "b"))
                    .toList());
            query.processAllAvailable();
        }
        query.stop();

        // Then: as the single aggregation would emit (see EventTimeSemanticsTest), with no batch of delay
        Map<Long, List<String>> perBatch = new TreeMap<>();
        synchronized (outputs) {
            outputs.forEach((batchId, rows) -> perBatch.put(batchId, render(rows, 1)));
        }
        assertThat(perBatch)
                .isEqualTo(Map.of(
                        0L, List.of(), // data: the watermark becomes 12 - 10 = 2
                        1L, List.of(), // no data, watermark 2
                        2L, List.of(), // data (25): the watermark becomes 15
                        3L, List.of("[0,10000000,2]"), // watermark 15 closes [0,10) in both aggregations
                        4L, List.of(), // data (40): the watermark becomes 30
                        5L, List.of("[10000000,20000000,1]", "[20000000,30000000,1]")));
    }

    /** Distinct bids (by auction and time) per auction and 10-s window. */
    private static Dataset<Row> distinctBids(Dataset<Row> bids) {
        return bids.withWatermark("dateTime", "5 seconds")
                .dropDuplicates("auction", "dateTime")
                .groupBy(col("auction"), window(col("dateTime"), "10 seconds"))
                .agg(count("*").as("bids"));
    }

    @Test
    void anAggregationOverADeduplicationCountsEachRowOnce() throws Exception {
        // Given: every step's latest bids come again in the next batch
        List<List<Row>> steps = bids(new Random(23));
        List<List<Row>> repeated = new ArrayList<>();
        for (int step = 0; step < steps.size(); step++) {
            repeated.add(steps.get(step));
            List<Row> rows = steps.get(step);
            // The latest of them are not late in the next batch: the state drops them; the others the watermark does.
            List<Row> again = new ArrayList<>(rows);
            again.sort(Comparator.comparingLong(row -> -row.getLong(2)));
            repeated.add(again.subList(0, Math.min(10, again.size())));
        }
        MemoryStream stream = MemoryStream.of(brook, BIDS);

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(distinctBids(stream.toDF()), outputs);
        for (List<Row> step : repeated) {
            stream.addData(step);
            query.processAllAvailable();
        }
        query.stop();

        // Then
        Map<List<Long>, Long> counts = new TreeMap<>(Comparator.comparing(Object::toString));
        java.util.Set<List<Long>> seen = new java.util.HashSet<>(); // [auction, time]
        for (Row bid : steps.stream().flatMap(List::stream).toList()) {
            if (seen.add(List.of(bid.getLong(0), bid.getLong(2)))) {
                counts.merge(List.of(windowStart(bid.getLong(2)), bid.getLong(0)), 1L, Long::sum);
            }
        }
        List<String> expected = new ArrayList<>();
        counts.forEach((key, bids) -> {
            if (key.get(0) + 10 * SECOND <= CUTOFF) {
                expected.add(line(key.get(0), key.get(0) + 10 * SECOND, key.get(1), bids));
            }
        });
        assertThat(expected).hasSizeGreaterThan(STEPS);
        List<Row> all = repeated.stream().flatMap(List::stream).toList();
        assertThat(render(outputs, 1)).isEqualTo(sorted(expected));
        assertThat(render(distinctBids(brook.createDataFrame(all, BIDS)).collectAsList(), 1))
                .isEqualTo(sorted(expected));
    }

    /** Bids per 30-s window, from 10-s window counts re-windowed by their start, renamed on the way. */
    private static Dataset<Row> bidsPerHalfMinute(Dataset<Row> bids) {
        return bids.withWatermark("dateTime", "5 seconds")
                .groupBy(window(col("dateTime"), "10 seconds"))
                .agg(count("*").as("num"))
                .select(col("window_start").as("tenSeconds"), col("num"))
                .groupBy(window(col("tenSeconds"), "30 seconds"))
                .agg(sum("num").as("bids"));
    }

    @Test
    void anAggregationCanWindowAgainByAProjectedWindowStart() throws Exception {
        // Given
        List<List<Row>> steps = bids(new Random(3));
        MemoryStream stream = MemoryStream.of(brook, BIDS);

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(bidsPerHalfMinute(stream.toDF()), outputs);
        for (List<Row> step : steps) {
            stream.addData(step);
            query.processAllAvailable();
        }
        query.stop();

        // Then: the 10-s windows' starts are event time for the 30-s windows (at most 10 s behind the watermark)
        List<Row> all = steps.stream().flatMap(List::stream).toList();
        Map<Long, Long> perWindow = new TreeMap<>();
        for (Row bid : all) {
            long time = bid.getLong(2);
            perWindow.merge(time - Math.floorMod(time, 30 * SECOND), 1L, Long::sum);
        }
        List<String> expected = new ArrayList<>();
        perWindow.forEach((start, bids) -> {
            if (start + 30 * SECOND <= CUTOFF) {
                expected.add(line(start, start + 30 * SECOND, bids));
            }
        });
        assertThat(expected).hasSize(2);
        assertThat(render(outputs, 1)).isEqualTo(sorted(expected));
        assertThat(render(bidsPerHalfMinute(brook.createDataFrame(all, BIDS)).collectAsList(), 1))
                .isEqualTo(sorted(expected));
        assertThat(droppedByWatermark(query)).isZero();
    }

    /** Sessions per person (3-s gap), counted per 10-s window of their end. */
    private static Dataset<Row> sessionsPerWindow(Dataset<Row> persons) {
        return persons.withWatermark("dateTime", "5 seconds")
                .groupBy(session_window(col("dateTime"), "3 seconds"), col("id"))
                .agg(count("*").as("events"))
                .groupBy(window(col("session_end"), "10 seconds"))
                .agg(count("*").as("sessions"), sum("events").as("events"));
    }

    @Test
    void anAggregationOverSessionsCountsEachClosedSessionOnce() throws Exception {
        // Given
        List<List<Row>> steps = persons(new Random(19));
        MemoryStream stream = MemoryStream.of(brook, PERSONS);

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(sessionsPerWindow(stream.toDF()), outputs);
        for (List<Row> step : steps) {
            stream.addData(step);
            query.processAllAvailable();
        }
        query.stop();

        // Then
        List<Row> all = steps.stream().flatMap(List::stream).toList();
        Map<Long, List<Long>> times = new TreeMap<>(); // id -> event times
        for (Row person : all) {
            times.computeIfAbsent(person.getLong(0), id -> new ArrayList<>()).add(person.getLong(2));
        }
        Map<Long, long[]> windows = new TreeMap<>(); // start of the session end's window -> sessions, events
        for (List<Long> personTimes : times.values()) {
            personTimes.sort(null);
            long end = Long.MIN_VALUE;
            long events = 0;
            for (long time : personTimes) {
                if (events > 0 && time >= end) {
                    long[] window = windows.computeIfAbsent(windowStart(end), start -> new long[2]);
                    window[0]++;
                    window[1] += events;
                    events = 0;
                }
                end = Math.max(end, time + 3 * SECOND);
                events++;
            }
            long[] window = windows.computeIfAbsent(windowStart(end), start -> new long[2]);
            window[0]++;
            window[1] += events;
        }
        List<String> expected = new ArrayList<>();
        windows.forEach((start, counts) -> {
            if (start + 10 * SECOND <= CUTOFF) {
                expected.add(line(start, start + 10 * SECOND, counts[0], counts[1]));
            }
        });
        assertThat(expected).hasSizeGreaterThan(STEPS - 1);
        assertThat(render(outputs, 1)).isEqualTo(sorted(expected));
        assertThat(render(sessionsPerWindow(brook.createDataFrame(all, PERSONS)).collectAsList(), 1))
                .isEqualTo(sorted(expected));
        assertThat(droppedByWatermark(query)).isZero();
    }

    @Test
    void anAggregationJoinedWithItsInputOnATimeRangeIsExact() throws Exception {
        // Given
        List<List<Row>> steps = bids(new Random(7));
        MemoryStream stream = MemoryStream.of(brook, BIDS);

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(highestBids(stream.toDF()), outputs);
        for (List<Row> step : steps) {
            stream.addData(step);
            query.processAllAvailable();
        }
        query.stop();

        // Then
        List<Row> all = steps.stream().flatMap(List::stream).toList();
        List<String> expected = highestBidsInJava(all);
        assertThat(expected).hasSizeGreaterThan(STEPS);
        assertThat(render(outputs, 4)).isEqualTo(expected);
        assertThat(render(highestBids(brook.createDataFrame(all, BIDS)).collectAsList(), 4))
                .isEqualTo(expected);
        assertThat(droppedByWatermark(query)).isZero();
        // The join keeps only the far bid (its window is open), and no window; the aggregation only the far window.
        assertThat(query.lastProgress().stateOperators())
                .extracting(StreamingQueryProgress.StateOperatorProgress::numRowsTotal)
                .containsExactly(1L, 0L, 1L);
    }

    @Test
    void aJoinOfTwoStreamsAggregationsIsExact() throws Exception {
        // Given
        Random random = new Random(11);
        List<List<Row>> persons = persons(random);
        List<List<Row>> auctions = auctions(random);
        MemoryStream personStream = MemoryStream.of(brook, PERSONS);
        MemoryStream auctionStream = MemoryStream.of(brook, AUCTIONS);

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(newSellers(personStream.toDF(), auctionStream.toDF()), outputs);
        for (int step = 0; step < persons.size(); step++) {
            personStream.addData(persons.get(step));
            auctionStream.addData(auctions.get(step));
            query.processAllAvailable();
        }
        query.stop();

        // Then
        List<Row> allPersons = persons.stream().flatMap(List::stream).toList();
        List<Row> allAuctions = auctions.stream().flatMap(List::stream).toList();
        List<String> expected = newSellersInJava(allPersons, allAuctions);
        assertThat(expected).hasSizeGreaterThan(STEPS);
        assertThat(render(outputs, 1)).isEqualTo(expected);
        assertThat(render(
                        newSellers(
                                        brook.createDataFrame(allPersons, PERSONS),
                                        brook.createDataFrame(allAuctions, AUCTIONS))
                                .collectAsList(),
                        1))
                .isEqualTo(expected);
        assertThat(droppedByWatermark(query)).isZero();
    }

    @Test
    void aJoinOfTwoAggregationsSurvivesARestartWithItsWatermarks(@TempDir Path temp) throws Exception {
        // Given: a run that saw three steps of both streams stops
        Random random = new Random(13);
        List<List<Row>> persons = persons(random);
        List<List<Row>> auctions = auctions(random);
        Path checkpoint = temp.resolve("checkpoint");
        Map<Long, List<Row>> outputs = new TreeMap<>();
        runNewSellers(checkpoint, persons, auctions, 1, outputs, (personStream, auctionStream, query) -> {
            // Each step in a batch of its own, so that the watermark moves between them.
            for (int step = 1; step < 3; step++) {
                personStream.addData(persons.get(step));
                auctionStream.addData(auctions.get(step));
                query.processAllAvailable();
            }
        });
        // As if it crashed after its last batch's output but before the batch's commit: that batch runs again with the
        // watermarks it ran with, its own and the one before
        Path commits = checkpoint.resolve("commits");
        long lastCommit;
        try (Stream<Path> files = Files.list(commits)) {
            lastCommit = files.mapToLong(
                            file -> Long.parseLong(file.getFileName().toString()))
                    .max()
                    .orElseThrow();
        }
        Files.delete(commits.resolve(Long.toString(lastCommit)));
        List<Row> lastOutput = outputs.get(lastCommit);
        assertThat(lastOutput).isNotEmpty();

        // When: it restarts; the persons run 30 s ahead before the auctions follow (the watermark must stay with the
        // auctions, as it was before the restart), then both get an event far ahead
        List<Long> dropped = new ArrayList<>();
        runNewSellers(checkpoint, persons, auctions, 3, outputs, (personStream, auctionStream, query) -> {
            for (int step = 3; step < STEPS; step++) {
                personStream.addData(persons.get(step));
                query.processAllAvailable();
            }
            for (int step = 3; step < STEPS; step++) {
                auctionStream.addData(auctions.get(step));
                query.processAllAvailable();
            }
            personStream.addData(persons.get(STEPS));
            auctionStream.addData(auctions.get(STEPS));
            query.processAllAvailable();
            dropped.add(droppedByWatermark(query));
        });

        // Then
        List<String> expected = newSellersInJava(
                persons.stream().flatMap(List::stream).toList(),
                auctions.stream().flatMap(List::stream).toList());
        assertThat(render(outputs, 1)).isEqualTo(expected);
        assertThat(render(outputs.get(lastCommit), 1)).isEqualTo(render(lastOutput, 1));
        assertThat(dropped).containsExactly(0L);
    }

    private interface Steps {
        void run(MemoryStream persons, MemoryStream auctions, StreamingQuery query) throws Exception;
    }

    private static void runNewSellers(
            Path checkpoint,
            List<List<Row>> persons,
            List<List<Row>> auctions,
            int stepsBefore,
            Map<Long, List<Row>> outputs,
            Steps steps)
            throws Exception {
        try (Brook session = Brook.local()) {
            MemoryStream personStream = MemoryStream.of(session, PERSONS);
            MemoryStream auctionStream = MemoryStream.of(session, AUCTIONS);
            // Before the start: a restarted query's sources must hold what its checkpoint says it read.
            for (int step = 0; step < stepsBefore; step++) {
                personStream.addData(persons.get(step));
                auctionStream.addData(auctions.get(step));
            }
            StreamingQuery query = newSellers(personStream.toDF(), auctionStream.toDF())
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
            steps.run(personStream, auctionStream, query);
            query.stop();
        }
    }

    @Test
    void anAggregationOverAJoinClosesItsWindowsByTheJoinsTimeRange() throws Exception {
        // Given: bids joined with the auctions of the same seller opened from 5 s before to 20 s after, counted per
        // 10-s window of the bid's time
        Random random = new Random(17);
        List<List<Row>> auctions = auctions(random);
        List<List<Row>> bids = bids(random);
        MemoryStream auctionStream = MemoryStream.of(brook, AUCTIONS);
        MemoryStream bidStream = MemoryStream.of(brook, BIDS);
        BinaryOperator<Dataset<Row>> plan = (auctionRows, bidRows) -> {
            Dataset<Row> opened = auctionRows.withWatermark("dateTime", "5 seconds");
            Dataset<Row> bidsWatermarked =
                    bidRows.withColumnRenamed("dateTime", "bidTime").withWatermark("bidTime", "5 seconds");
            return opened.join(
                            bidsWatermarked,
                            expr("seller = auction AND bidTime >= dateTime - INTERVAL '20' SECOND"
                                    + " AND bidTime <= dateTime + INTERVAL '5' SECOND"))
                    .groupBy(col("seller"), window(col("bidTime"), "10 seconds"))
                    .agg(count("*").as("bids"), sum("price").as("total"));
        };

        // When
        Map<Long, List<Row>> outputs = new TreeMap<>();
        StreamingQuery query = start(plan.apply(auctionStream.toDF(), bidStream.toDF()), outputs);
        for (int step = 0; step < auctions.size(); step++) {
            auctionStream.addData(auctions.get(step));
            bidStream.addData(bids.get(step));
            query.processAllAvailable();
        }
        query.stop();

        // Then
        List<Row> allAuctions = auctions.stream().flatMap(List::stream).toList();
        List<Row> allBids = bids.stream().flatMap(List::stream).toList();
        List<String> expected = bidsPerSellerInJava(allAuctions, allBids);
        assertThat(expected).hasSizeGreaterThan(STEPS);
        assertThat(render(outputs, 1)).isEqualTo(expected);
        assertThat(render(
                        plan.apply(brook.createDataFrame(allAuctions, AUCTIONS), brook.createDataFrame(allBids, BIDS))
                                .collectAsList(),
                        1))
                .isEqualTo(expected);
        assertThat(droppedByWatermark(query)).isZero();
    }

    @Test
    void whatCannotBeFinalInAChainIsRefusedWithTheReason() {
        // Given
        Dataset<Row> bids = MemoryStream.of(brook, BIDS).toDF().withWatermark("dateTime", "5 seconds");
        Dataset<Row> windowed = bids.groupBy(col("auction"), window(col("dateTime"), "10 seconds"))
                .agg(count("*").as("num"));
        Dataset<Row> persons = MemoryStream.of(brook, PERSONS).toDF().withWatermark("dateTime", "5 seconds");

        // When / Then
        assertThatThrownBy(() -> start(
                        bids.groupBy("auction")
                                .agg(max("dateTime").as("last"))
                                .groupBy(window(col("last"), "1 minute"))
                                .count(),
                        "append"))
                .isInstanceOfSatisfying(
                        BrookException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_IN_STREAMING))
                .hasMessage("an aggregation by [auction] without an event-time key cannot feed another stateful"
                        + " operator: its groups never become final, so append mode can emit none of them; group it"
                        + " by window(...) over a column with withWatermark(...) as well");
        assertThatThrownBy(() -> start(windowed.groupBy("auction").agg(sum("num")), "append"))
                .hasMessage("the aggregation by [auction] over the output of another stateful operator has no"
                        + " event-time key, so its groups never become final; group it by an event-time column of"
                        + " its input as well: [window_start, window_end]");
        assertThatThrownBy(() -> start(
                        bids.join(persons, expr("auction = id"))
                                .groupBy(window(col("dateTime"), "10 seconds"))
                                .count(),
                        "append"))
                .hasMessage("the aggregation by [window_start, window_end] over the output of another stateful"
                        + " operator cannot close its groups: its input has no event-time column with a watermark (a"
                        + " join of two streams gives its output one only with a time range between its sides' event"
                        + " times, such as \"right.time BETWEEN left.time AND left.time + INTERVAL '1' MINUTE\")");
        assertThatThrownBy(() -> start(
                        windowed.groupBy(session_window(col("window_end"), "10 seconds"))
                                .agg(max("num")),
                        "update"))
                .hasMessage("session windows cannot be chained with another streaming aggregation in update output"
                        + " mode: a session's rows change as it grows and merges, and Brook cannot take them back yet;"
                        + " use outputMode(\"append\") with withWatermark(...), or write the first aggregation to a"
                        + " topic and aggregate that in a second query");
        assertThatThrownBy(() -> start(highestBids(MemoryStream.of(brook, BIDS).toDF()), "update"))
                .hasMessage("a join of two streams over a streaming aggregation is not supported in update output"
                        + " mode: the aggregation's rows change from batch to batch; use outputMode(\"append\") with"
                        + " the aggregation over event-time windows and withWatermark(...)");
        assertThatThrownBy(() -> start(
                        windowed.withWatermark("window_end", "10 seconds")
                                .groupBy(window(col("window_end"), "1 minute"))
                                .agg(sum("num")),
                        "append"))
                .hasMessage("withWatermark(\"window_end\", ...) after a stateful operator is not supported (as in"
                        + " Spark): its output is emitted as the query's watermark passes, so that watermark would drop"
                        + " it as late; declare the watermark on the source's event time only, and group or join by the"
                        + " stateful operator's event-time columns, which carry the watermark on");
        assertThatThrownBy(() -> start(windowed.dropDuplicates("auction"), "complete"))
                .hasMessage("dropDuplicates over a streaming aggregation is not supported in complete output mode:"
                        + " the aggregation's rows change from batch to batch; use outputMode(\"append\") with the"
                        + " aggregation over event-time windows and withWatermark(...)");
    }

    private static StreamingQuery start(Dataset<Row> plan, String outputMode) throws Exception {
        StreamingQuery query = plan.writeStream()
                .outputMode(outputMode)
                .foreachBatch((batch, id) -> {})
                .start();
        query.stop();
        return query;
    }

    private static StreamingQuery start(Dataset<Row> plan, Map<Long, List<Row>> outputs) {
        return plan.writeStream()
                .outputMode("append")
                .foreachBatch((batch, batchId) -> {
                    List<Row> rows = batch.collectAsList();
                    synchronized (outputs) {
                        outputs.put(batchId, rows);
                    }
                })
                .start();
    }

    private static long droppedByWatermark(StreamingQuery query) {
        return query.recentProgress().stream()
                .flatMap(progress -> progress.stateOperators().stream())
                .mapToLong(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
                .sum();
    }

    // Input: step s has times in [10 s, 10 s + 10 s) in random order, so with a delay of 5 s none is late; the last
    // step adds one event far ahead, which closes every window before it.

    private static long time(Random random, int step) {
        return step * 10 * SECOND + random.nextInt(10_000) * 1000L;
    }

    private static List<List<Row>> bids(Random random) {
        List<List<Row>> steps = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                rows.add(Row.of((long) 1 + random.nextInt(4), (long) 1 + random.nextInt(20), time(random, step)));
            }
            steps.add(rows);
        }
        steps.add(List.of(Row.of(1L, 1L, FAR)));
        return steps;
    }

    private static List<List<Row>> persons(Random random) {
        List<List<Row>> steps = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long id = 1 + random.nextInt(6);
                rows.add(Row.of(id, "person" + id, time(random, step)));
            }
            steps.add(rows);
        }
        steps.add(List.of(Row.of(1L, "person1", FAR)));
        return steps;
    }

    private static List<List<Row>> auctions(Random random) {
        List<List<Row>> steps = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                rows.add(Row.of((long) 1 + random.nextInt(8), "item" + i, time(random, step)));
            }
            steps.add(rows);
        }
        steps.add(List.of(Row.of(1L, "item", FAR)));
        return steps;
    }

    // The answers in plain Java, rendered as render() renders rows.

    private static List<String> hotItemsInJava(List<Row> bids) {
        Map<List<Long>, Long> counts = new HashMap<>(); // [auction, start] -> bids
        for (Row bid : bids) {
            long time = bid.getLong(2);
            for (long start = time - Math.floorMod(time, 2 * SECOND); start > time - 10 * SECOND; start -= 2 * SECOND) {
                counts.merge(List.of(bid.getLong(0), start), 1L, Long::sum);
            }
        }
        Map<Long, Long> maxima = new HashMap<>();
        counts.forEach((key, count) -> maxima.merge(key.get(1), count, Math::max));
        List<String> rows = new ArrayList<>();
        counts.forEach((key, count) -> {
            long start = key.get(1);
            if (count >= maxima.get(start) && start + 10 * SECOND <= CUTOFF) {
                rows.add(line(start, start + 10 * SECOND, key.get(0), count, start, start + 10 * SECOND, count));
            }
        });
        return sorted(rows);
    }

    private static List<String> highestBidsInJava(List<Row> bids) {
        Map<Long, Long> maxima = new HashMap<>(); // window start -> highest price
        for (Row bid : bids) {
            maxima.merge(windowStart(bid.getLong(2)), bid.getLong(1), Math::max);
        }
        List<String> rows = new ArrayList<>();
        for (Row bid : bids) {
            long start = windowStart(bid.getLong(2));
            if (bid.getLong(1) == maxima.get(start) && start + 10 * SECOND <= CUTOFF) {
                rows.add(line(
                        bid.getLong(0), bid.getLong(1), bid.getLong(2), start, start + 10 * SECOND, maxima.get(start)));
            }
        }
        return sorted(rows);
    }

    private static List<String> newSellersInJava(List<Row> persons, List<Row> auctions) {
        Map<List<Object>, Long> people = new TreeMap<>(ChainedStatefulTest::compareLists); // [id, name, start]
        for (Row person : persons) {
            people.merge(
                    List.of(person.getLong(0), person.getString(1), windowStart(person.getLong(2))), 1L, Long::sum);
        }
        Map<List<Long>, Long> sellers = new HashMap<>(); // [seller, start]
        for (Row auction : auctions) {
            sellers.merge(List.of(auction.getLong(0), windowStart(auction.getLong(2))), 1L, Long::sum);
        }
        List<String> rows = new ArrayList<>();
        people.forEach((person, events) -> {
            long id = (Long) person.get(0);
            long start = (Long) person.get(2);
            Long opened = sellers.get(List.of(id, start));
            if (opened != null && start + 10 * SECOND <= CUTOFF) {
                rows.add(line(
                        start, start + 10 * SECOND, id, person.get(1), events, start, start + 10 * SECOND, id, opened));
            }
        });
        return sorted(rows);
    }

    private static List<String> bidsPerSellerInJava(List<Row> auctions, List<Row> bids) {
        Map<List<Long>, long[]> windows = new HashMap<>(); // [seller, start] -> bids, total
        for (Row auction : auctions) {
            for (Row bid : bids) {
                long opened = auction.getLong(2);
                long bidTime = bid.getLong(2);
                if (auction.getLong(0) == bid.getLong(0)
                        && bidTime >= opened - 20 * SECOND
                        && bidTime <= opened + 5 * SECOND) {
                    long[] totals = windows.computeIfAbsent(
                            List.of(auction.getLong(0), windowStart(bidTime)), key -> new long[2]);
                    totals[0]++;
                    totals[1] += bid.getLong(1);
                }
            }
        }
        List<String> rows = new ArrayList<>();
        windows.forEach((key, totals) -> {
            long start = key.get(1);
            if (start + 10 * SECOND <= CUTOFF) {
                rows.add(line(start, start + 10 * SECOND, key.get(0), totals[0], totals[1]));
            }
        });
        return sorted(rows);
    }

    private static int compareLists(List<Object> a, List<Object> b) {
        return a.toString().compareTo(b.toString());
    }

    private static long windowStart(long time) {
        return time - Math.floorMod(time, 10 * SECOND);
    }

    // Rendering: a row as "[v1,v2,...]" with timestamps in epoch microseconds, sorted; only windows by the cutoff.

    private static List<String> render(Map<Long, List<Row>> outputs, int windowEndColumn) {
        synchronized (outputs) {
            return render(outputs.values().stream().flatMap(List::stream).toList(), windowEndColumn);
        }
    }

    private static List<String> render(List<Row> rows, int windowEndColumn) {
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            if (micros(row.get(windowEndColumn)) <= CUTOFF) {
                lines.add(line(
                        row.values().stream().map(ChainedStatefulTest::value).toArray()));
            }
        }
        return sorted(lines);
    }

    private static Object value(Object value) {
        return value instanceof Instant ? micros(value) : value;
    }

    private static long micros(Object value) {
        Instant instant = (Instant) value;
        return instant.getEpochSecond() * SECOND + instant.getNano() / 1000;
    }

    private static String line(Object... values) {
        List<String> parts = new ArrayList<>();
        for (Object value : values) {
            parts.add(String.valueOf(value));
        }
        return "[" + String.join(",", parts) + "]";
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }
}
