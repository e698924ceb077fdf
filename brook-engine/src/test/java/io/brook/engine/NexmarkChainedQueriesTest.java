package io.brook.engine;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.max;
import static io.brook.engine.api.functions.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.stream.StreamingQueryProgress;
import io.brook.engine.stream.Trigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Nexmark q5, q7 and q8 shapes over the nexmark source, as the SQL front end will plan them: the watermark on the
 * {@code nexmark} table's {@code dateTime} (4 s, as the Flink suite's), the bid, person and auction views as filters
 * and struct field projections of it, then chains of stateful operators. Streamed in micro-batches, each gives exactly
 * the bounded query's answer: once the source has given its last event, the final watermark closes every window.
 */
class NexmarkChainedQueriesTest {
    private static final long SECOND = 1_000_000L;

    private final List<Brook> sessions = new ArrayList<>();

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    record Query(String name, UnaryOperator<Dataset<Row>> plan, int windowEndColumn) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Query> queries() {
        return Stream.of(
                new Query("q5 hot items", NexmarkChainedQueriesTest::hotItems, 1),
                new Query("q7 highest bid", NexmarkChainedQueriesTest::highestBids, 4),
                new Query("q8 monitor new users", NexmarkChainedQueriesTest::newUsers, 1));
    }

    private static Dataset<Row> bids(Dataset<Row> nexmark) {
        return nexmark.filter(col("event_type").equalTo(2))
                .select(col("bid.auction").as("auction"), col("bid.price").as("price"), col("dateTime"));
    }

    private static Dataset<Row> hotItems(Dataset<Row> nexmark) {
        Dataset<Row> counts = bids(nexmark)
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

    private static Dataset<Row> highestBids(Dataset<Row> nexmark) {
        Dataset<Row> bids = bids(nexmark);
        Dataset<Row> maxima = bids.groupBy(window(col("dateTime"), "10 seconds"))
                .agg(max("price").as("maxprice"));
        return bids.join(
                maxima,
                bids.col("price")
                        .equalTo(maxima.col("maxprice"))
                        .and(bids.col("dateTime").geq(maxima.col("window_start")))
                        .and(bids.col("dateTime").lt(maxima.col("window_end"))));
    }

    private static Dataset<Row> newUsers(Dataset<Row> nexmark) {
        Dataset<Row> persons = nexmark.filter(col("event_type").equalTo(0))
                .select(col("person.id").as("id"), col("person.name").as("name"), col("dateTime"))
                .groupBy(col("id"), col("name"), window(col("dateTime"), "10 seconds"))
                .agg(count("*").as("events"));
        Dataset<Row> sellers = nexmark.filter(col("event_type").equalTo(1))
                .select(col("auction.seller").as("seller"), col("dateTime"))
                .groupBy(col("seller"), window(col("dateTime"), "10 seconds"))
                .agg(count("*").as("auctions"));
        return persons.join(
                sellers,
                persons.col("id")
                        .equalTo(sellers.col("seller"))
                        .and(persons.col("window_start").equalTo(sellers.col("window_start")))
                        .and(persons.col("window_end").equalTo(sellers.col("window_end"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void aStreamedChainGivesTheBoundedAnswer(Query query, @TempDir Path temp) throws Exception {
        // Given: 10,000 events, 200 a second of event time, due at once (every look at the clock is a second later)
        AtomicLong clock = new AtomicLong(5_000);
        Brook brook = Brook.builder().clock(() -> clock.getAndAdd(1000)).getOrCreate();
        sessions.add(brook);
        Dataset<Row> stream = brook.readStream()
                .format("nexmark")
                .option("eventsPerSecond", 200)
                .option("events", 10_000)
                .option("maxEventsPerTrigger", 1_500)
                .load()
                .withWatermark("dateTime", "4 seconds");
        Dataset<Row> bounded = brook.read()
                .format("nexmark")
                .option("eventsPerSecond", 200)
                .option("events", 10_000)
                .load()
                .withWatermark("dateTime", "4 seconds");

        // When
        List<Row> streamed = new ArrayList<>();
        StreamingQuery running = query.plan()
                .apply(stream)
                .writeStream()
                .trigger(Trigger.AvailableNow())
                .option("checkpointLocation", temp.resolve("checkpoint").toString())
                .foreachBatch((batch, batchId) -> {
                    List<Row> rows = batch.collectAsList();
                    synchronized (streamed) {
                        streamed.addAll(rows);
                    }
                })
                .start();
        running.awaitTermination();

        // Then: the source ended, so the final watermark closed every window: the whole bounded answer came out
        List<String> expected = render(query.plan().apply(bounded).collectAsList(), query, Long.MAX_VALUE);
        assertThat(expected).hasSizeGreaterThan(3);
        synchronized (streamed) {
            assertThat(render(streamed, query, Long.MAX_VALUE)).isEqualTo(expected);
        }
        assertThat(running.recentProgress().stream()
                        .flatMap(progress -> progress.stateOperators().stream())
                        .mapToLong(StreamingQueryProgress.StateOperatorProgress::numRowsDroppedByWatermark)
                        .sum())
                .isZero();
    }

    /** The rows of windows that end by the watermark, timestamps in epoch microseconds, sorted. */
    private static List<String> render(List<Row> rows, Query query, long watermark) {
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            if (micros(row.get(query.windowEndColumn())) <= watermark) {
                List<String> values = new ArrayList<>();
                for (Object value : row.values()) {
                    values.add(value instanceof Instant ? Long.toString(micros(value)) : String.valueOf(value));
                }
                lines.add("[" + String.join(",", values) + "]");
            }
        }
        lines.sort(null);
        return lines;
    }

    private static long micros(Object value) {
        Instant instant = (Instant) value;
        return instant.getEpochSecond() * SECOND + instant.getNano() / 1000;
    }
}
