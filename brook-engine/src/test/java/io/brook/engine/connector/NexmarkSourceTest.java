package io.brook.engine.connector;

import static io.brook.engine.api.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.api.Brook;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.Batch;
import io.brook.engine.connector.nexmark.NexmarkGenerator;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Auction;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Bid;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Event;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Person;
import io.brook.engine.stream.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nexmark source makes Nexmark's people, auctions and bids in its proportions, the same events for the same
 * options, with ids that refer to each other, as the Flink suite's {@code nexmark} table, bounded and streaming.
 */
class NexmarkSourceTest {
    private static final long BASE_TIME = NexmarkSource.DEFAULT_BASE_TIME_MILLIS;

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    private Brook session(AtomicLong clock) {
        Brook brook = Brook.builder().clock(() -> clock.getAndAdd(1000)).getOrCreate();
        sessions.add(brook);
        return brook;
    }

    private static NexmarkSource bounded(long events, long seed) {
        return new NexmarkSource(
                NexmarkSource.Options.parse(
                        Map.of("events", Long.toString(events), "seed", Long.toString(seed), "eventsPerSecond", "1000"),
                        false),
                false,
                () -> 0L);
    }

    private static List<List<Object>> readAll(NexmarkSource source) {
        Offset start = source.initialOffset();
        List<List<Object>> rows = new ArrayList<>();
        for (Batch batch : source.read(start, source.latestOffset(start, ReadLimit.ALL))) {
            rows.addAll(batch.rows());
        }
        return rows;
    }

    @Test
    void eventsComeInNexmarksOneThreeFortySixProportions() {
        // Given
        NexmarkSource source = bounded(5000, 0);

        // When
        List<List<Object>> rows = readAll(source);

        // Then
        assertThat(rows).hasSize(5000);
        int[] counts = new int[3];
        for (int n = 0; n < rows.size(); n++) {
            List<Object> row = rows.get(n);
            int type = (Integer) row.get(0);
            counts[type]++;
            int expected = n % 50 == 0 ? 0 : n % 50 < 4 ? 1 : 2;
            assertThat(type).as("type of event %d", n).isEqualTo(expected);
            for (int struct = 0; struct < 3; struct++) {
                assertThat(row.get(1 + struct) != null)
                        .as("struct %d of event %d", struct, n)
                        .isEqualTo(struct == type);
            }
        }
        assertThat(counts).containsExactly(100, 300, 4600);
    }

    @Test
    void theSameOptionsGiveTheSameEventsAndAnotherSeedOthers() {
        // Given
        NexmarkSource source = bounded(3000, 7);

        // When
        List<List<Object>> first = readAll(source);
        List<List<Object>> again = readAll(bounded(3000, 7));
        List<List<Object>> otherSeed = readAll(bounded(3000, 8));
        Offset from = new Offset("{\"startMillis\":0,\"events\":1234}");
        Offset to = new Offset("{\"startMillis\":0,\"events\":1300}");
        List<List<Object>> middle = new ArrayList<>();
        source.read(from, to).forEach(batch -> middle.addAll(batch.rows()));

        // Then
        assertThat(first).isEqualTo(again);
        assertThat(otherSeed).hasSize(3000).isNotEqualTo(first);
        assertThat(otherSeed.get(10)).isNotEqualTo(first.get(10));
        assertThat(middle).isEqualTo(first.subList(1234, 1300));
    }

    @Test
    void bidsAndAuctionsReferToPeopleAndAuctionsThatExistOrAreAboutTo() {
        // Given
        NexmarkGenerator generator = new NexmarkGenerator(3, BASE_TIME, 10_000);
        long newestPerson = -1;
        long newestAuction = -1;
        int bids = 0;
        Map<String, String> urls = new HashMap<>();

        // When / Then
        for (long n = 0; n < 20_000; n++) {
            Event event = generator.event(n);
            if (event instanceof Person person) {
                assertThat(person.id()).isEqualTo(NexmarkGenerator.FIRST_PERSON_ID + newestPerson + 1);
                newestPerson = person.id() - NexmarkGenerator.FIRST_PERSON_ID;
                assertThat(person.name()).contains(" ");
                assertThat(person.creditCard()).matches("\\d{4} \\d{4} \\d{4} \\d{4}");
            } else if (event instanceof Auction auction) {
                assertThat(auction.id()).isEqualTo(NexmarkGenerator.FIRST_AUCTION_ID + newestAuction + 1);
                newestAuction = auction.id() - NexmarkGenerator.FIRST_AUCTION_ID;
                assertThat(auction.seller())
                        .isBetween(
                                NexmarkGenerator.FIRST_PERSON_ID,
                                NexmarkGenerator.FIRST_PERSON_ID + newestPerson + NexmarkGenerator.PERSON_ID_LEAD);
                assertThat(auction.category()).isBetween(10L, 14L);
                assertThat(auction.initialBid()).isPositive();
                assertThat(auction.reserve()).isGreaterThan(auction.initialBid());
                assertThat(auction.expires()).isGreaterThan(auction.dateTime());
            } else {
                Bid bid = (Bid) event;
                bids++;
                assertThat(bid.auction())
                        .isBetween(
                                NexmarkGenerator.FIRST_AUCTION_ID,
                                NexmarkGenerator.FIRST_AUCTION_ID + newestAuction + NexmarkGenerator.AUCTION_ID_LEAD);
                assertThat(bid.bidder())
                        .isBetween(
                                NexmarkGenerator.FIRST_PERSON_ID,
                                NexmarkGenerator.FIRST_PERSON_ID + newestPerson + NexmarkGenerator.PERSON_ID_LEAD);
                assertThat(bid.price()).isBetween(100L, 100_000_000L);
                assertThat(bid.url()).startsWith("https://www.nexmark.com/");
                assertThat(urls.computeIfAbsent(bid.channel(), channel -> bid.url()))
                        .as("url of channel %s", bid.channel())
                        .isEqualTo(bid.url());
            }
        }
        assertThat(bids).isEqualTo(18_400);
        assertThat(newestPerson).isEqualTo(399);
        assertThat(newestAuction).isEqualTo(1199);
        assertThat(urls).containsKeys("Google", "Facebook", "Baidu", "Apple").hasSizeGreaterThan(1000);
    }

    @Test
    void eventTimeStepsByOneOverTheRateFromTheBaseTime() {
        // Given
        NexmarkSource source = new NexmarkSource(
                NexmarkSource.Options.parse(
                        Map.of("events", "100", "eventsPerSecond", "4000", "baseTime", "1000"), false),
                false,
                () -> 0L);

        // When
        List<List<Object>> rows = readAll(source);

        // Then
        for (int n = 0; n < rows.size(); n++) {
            long expected = 1_000_000L + n * 250L;
            List<Object> row = rows.get(n);
            assertThat(row.get(4)).isEqualTo(expected);
            List<?> struct = (List<?>) row.get(1 + (Integer) row.get(0));
            int timeField = (Integer) row.get(0) == 0 ? 6 : 5;
            assertThat(struct.get(timeField)).as("event %d", n).isEqualTo(expected);
        }
    }

    @Test
    void aBoundedReadMakesExactlyTheEventsAskedForWithReadableStructFields() {
        // Given
        Brook brook = session(new AtomicLong());

        // When
        Dataset<Row> events =
                brook.read().format("nexmark").option("events", 1000).load();
        List<Row> bids = events.filter(col("event_type").equalTo(2))
                .select(col("bid.price"), col("bid.auction"), col("dateTime"))
                .collectAsList();

        // Then
        assertThat(events.count()).isEqualTo(1000);
        assertThat(bids).hasSize(920);
        assertThat(bids).allSatisfy(row -> {
            assertThat(row.getLong(0)).isPositive();
            assertThat(row.getLong(1)).isGreaterThanOrEqualTo(NexmarkGenerator.FIRST_AUCTION_ID);
        });
        assertThat(events.schema().field(1).sparkTypeName())
                .isEqualTo("struct<id:bigint,name:string,emailAddress:string,creditCard:string,city:string,"
                        + "state:string,dateTime:timestamp,extra:string>");
    }

    @Test
    void aStreamMakesEventsDueByTheClockInBatchesCappedByMaxEventsPerTrigger() throws Exception {
        // Given: every look at the clock is a second later, so 1000 events a second are due at once
        Brook brook = session(new AtomicLong(5_000));
        List<Long> batchSizes = new ArrayList<>();
        List<Row> seen = new ArrayList<>();
        Dataset<Row> stream = brook.readStream()
                .format("nexmark")
                .option("eventsPerSecond", 1000)
                .option("events", 1000)
                .option("maxEventsPerTrigger", 600)
                .load()
                .withWatermark("dateTime", "4 seconds")
                .select(col("event_type"), col("dateTime"));

        // When
        StreamingQuery query = stream.writeStream()
                .trigger(Trigger.AvailableNow())
                .option("checkpointLocation", temp.resolve("checkpoint").toString())
                .foreachBatch((batch, batchId) -> {
                    List<Row> rows = batch.collectAsList();
                    synchronized (seen) {
                        batchSizes.add((long) rows.size());
                        seen.addAll(rows);
                    }
                })
                .start();
        query.awaitTermination();

        // Then
        synchronized (seen) {
            assertThat(batchSizes).containsExactly(600L, 400L);
            assertThat(seen).hasSize(1000);
            assertThat(seen.stream().filter(row -> row.getInt(0) == 2).count()).isEqualTo(920);
        }
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        // Given
        Brook brook = session(new AtomicLong());

        // When / Then
        assertThatThrownBy(() -> brook.readStream()
                        .format("nexmark")
                        .option("rowsPerSecond", 10)
                        .load())
                .isInstanceOf(BrookException.class)
                .hasMessage("unknown option 'rowsPerSecond' for the nexmark source; it takes eventsPerSecond, events,"
                        + " seed, baseTime, maxEventsPerTrigger");
        assertThatThrownBy(() -> brook.readStream()
                        .format("nexmark")
                        .option("eventsPerSecond", "0")
                        .load())
                .hasMessage("option eventsPerSecond must be a whole number > 0; got '0'");
        assertThatThrownBy(() ->
                        brook.readStream().format("nexmark").option("seed", "x").load())
                .hasMessage("option seed must be a whole number; got 'x'");
        assertThatThrownBy(() -> brook.readStream()
                        .format("nexmark")
                        .option("baseTime", "-1")
                        .load())
                .hasMessage("option baseTime must be a whole number >= 0; got '-1'");
        assertThatThrownBy(() -> brook.read().format("nexmark").load())
                .hasMessage("read().format(\"nexmark\") needs option events: how many events to make");
        assertThatThrownBy(() -> brook.read()
                        .format("nexmark")
                        .option("events", 10)
                        .option("maxEventsPerTrigger", 5)
                        .load())
                .hasMessage("option maxEventsPerTrigger is for streams (readStream()); read() makes exactly `events`"
                        + " events at once");
        assertThatThrownBy(() ->
                        brook.read().format("nexmark").option("events", "many").load())
                .hasMessage("option events must be a whole number > 0; got 'many'");
    }
}
