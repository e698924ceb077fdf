package io.brook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nexmark queries in {@code examples/nexmark}, as the Flink suite writes them (only the sink's connector changed, to
 * memory; q10's files go to a temporary directory): each one's streaming result equals the same SQL run in batch mode
 * over the same events, and equals an answer computed here in plain Java over those events.
 */
class NexmarkQueriesTest {
    private static final int EVENTS = 20_000;
    /** Events per second of event time: 20,000 events span 20 seconds, so windows of 10 s have company. */
    private static final int RATE = 1_000;

    private static final Path EXAMPLES = Path.of("..", "examples", "nexmark");

    private static List<Row> persons;
    private static List<Row> auctions;
    private static List<Row> bids;

    @BeforeAll
    static void events() {
        persons = new ArrayList<>();
        auctions = new ArrayList<>();
        bids = new ArrayList<>();
        try (Brook brook = Brook.local()) {
            for (Row event : brook.read()
                    .format("nexmark")
                    .option("events", EVENTS)
                    .option("eventsPerSecond", RATE)
                    .load()
                    .collectAsList()) {
                int type = (Integer) event.get(0);
                List<Row> kind = type == 0 ? persons : type == 1 ? auctions : bids;
                kind.add((Row) event.get(type + 1));
            }
        }
    }

    private static String file(String name) throws IOException {
        return Files.readString(EXAMPLES.resolve(name));
    }

    /** The example DDL with a bounded number of events at the test's rate. */
    private static String ddl() throws IOException {
        String ddl = file("ddl.sql");
        String bounded = ddl.replace("'events.num' = '10000000'", "'events.num' = '" + EVENTS + "'")
                .replace("'first-event.rate' = '10000'", "'first-event.rate' = '" + RATE + "'");
        assertThat(bounded).isNotEqualTo(ddl);
        return bounded;
    }

    private static String query(String name) throws IOException {
        String query = file(name);
        assertThat(query).contains("'connector' = 'blackhole'");
        // Example data is named relative to the repository's root; the tests run in brook-sql.
        return query.replace("'connector' = 'blackhole'", "'connector' = 'memory'")
                .replace(":-examples/data/", ":-../examples/data/");
    }

    /** The query run as a stream (available-now) into a memory sink: its rows once the stream has ended. */
    private static List<String> streaming(String queryFile, String sink) throws Exception {
        // A clock that runs 1,000 s per reading, so that every event is due at the first micro-batch.
        return streaming(queryFile, sink, 1_000_000L, 1);
    }

    /**
     * As {@link #streaming(String, String)} with a clock that runs {@code millisPerReading} per reading, so that the
     * events become due over at least {@code minBatches} micro-batches with data.
     */
    private static List<String> streaming(String queryFile, String sink, long millisPerReading, int minBatches)
            throws Exception {
        AtomicLong ticks = new AtomicLong();
        try (Brook brook = Brook.builder()
                        .clock(() -> 1_700_000_000_000L + ticks.getAndIncrement() * millisPerReading)
                        .getOrCreate();
                SqlSession session = new SqlSession(brook)) {
            session.execute("SET 'trigger' = 'available-now';");
            session.execute(ddl());
            List<SqlResult> results = session.execute(query(queryFile));
            StreamingQuery query = results.get(results.size() - 1).query();
            assertThat(query).isNotNull();
            assertThat(query.awaitTermination(60_000)).isTrue();
            assertThat(query.exception()).isNull();
            assertThat(query.recentProgress().stream().filter(progress -> progress.numInputRows() > 0))
                    .hasSizeGreaterThanOrEqualTo(minBatches);
            return sorted(brook.table(sink).collectAsList());
        }
    }

    /** The same SQL in batch mode. */
    private static List<String> batch(String queryFile) throws Exception {
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.execute("SET 'execution.runtime-mode' = 'batch';");
            session.execute(ddl());
            List<SqlResult> results = session.execute(query(queryFile));
            return sorted(results.get(results.size() - 1).rows());
        }
    }

    private static List<String> sorted(List<Row> rows) {
        List<String> text = new ArrayList<>();
        for (Row row : rows) {
            text.add(row.toString());
        }
        text.sort(null);
        return text;
    }

    private static void check(String queryFile, String sink, List<String> expected) throws Exception {
        List<String> sortedExpected = new ArrayList<>(expected);
        sortedExpected.sort(null);
        assertThat(sortedExpected).isNotEmpty();
        assertSameRows("batch", batch(queryFile), sortedExpected);
        assertSameRows("streaming", streaming(queryFile, sink), sortedExpected);
    }

    /** Equal lists, or a short account of how they differ (they are thousands of rows long). */
    private static void assertSameRows(String run, List<String> actual, List<String> expected) {
        if (actual.equals(expected)) {
            return;
        }
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<String> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        throw new AssertionError(run + " gave " + actual.size() + " rows, expected " + expected.size() + "; missing "
                + missing.subList(0, Math.min(3, missing.size())) + ", unexpected "
                + extra.subList(0, Math.min(3, extra.size())));
    }

    @Test
    void q0PassThrough() throws Exception {
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            expected.add(Row.of(bid.get(0), bid.get(1), bid.get(2), bid.get(5), bid.get(6))
                    .toString());
        }
        check("q0.sql", "nexmark_q0", expected);
    }

    @Test
    void q1CurrencyConversion() throws Exception {
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            // Flink's exact DECIMAL product, as the double nearest to it.
            double euros = new java.math.BigDecimal("0.908")
                    .multiply(java.math.BigDecimal.valueOf((Long) bid.get(2)))
                    .doubleValue();
            expected.add(Row.of(bid.get(0), bid.get(1), euros, bid.get(5), bid.get(6))
                    .toString());
        }
        check("q1.sql", "nexmark_q1", expected);
    }

    @Test
    void q14CalculationWithUdf() throws Exception {
        // Flink's exact DECIMAL arithmetic (0.908 * price, DECIMAL(23, 3) in the sink), the hour of day in UTC, and
        // the 'c's of extra as the suite's CountChar counts them.
        java.math.BigDecimal rate = new java.math.BigDecimal("0.908");
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            java.math.BigDecimal euros = rate.multiply(java.math.BigDecimal.valueOf((Long) bid.get(2)));
            if (euros.compareTo(java.math.BigDecimal.valueOf(1_000_000)) <= 0
                    || euros.compareTo(java.math.BigDecimal.valueOf(50_000_000)) >= 0) {
                continue;
            }
            int hour = ((java.time.Instant) bid.get(5))
                    .atZone(java.time.ZoneOffset.UTC)
                    .getHour();
            String bidTimeType =
                    hour >= 8 && hour <= 18 ? "dayTime" : hour <= 6 || hour >= 20 ? "nightTime" : "otherTime";
            String extra = (String) bid.get(6);
            long cCounts = extra.chars().filter(c -> c == 'c').count();
            expected.add(Row.of(bid.get(0), bid.get(1), euros.doubleValue(), bidTimeType, bid.get(5), extra, cCounts)
                    .toString());
        }
        check("q14.sql", "nexmark_q14", expected);
    }

    @Test
    void q2Selection() throws Exception {
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            if ((Long) bid.get(0) % 123 == 0) {
                expected.add(Row.of(bid.get(0), bid.get(2)).toString());
            }
        }
        check("q2.sql", "nexmark_q2", expected);
    }

    @Test
    void q3LocalItemSuggestion() throws Exception {
        Map<Long, Row> sellers = new HashMap<>();
        for (Row person : persons) {
            String state = (String) person.get(5);
            if (state.equals("OR") || state.equals("ID") || state.equals("CA")) {
                sellers.put((Long) person.get(0), person);
            }
        }
        List<String> expected = new ArrayList<>();
        for (Row auction : auctions) {
            Row seller = sellers.get((Long) auction.get(7));
            if ((Long) auction.get(8) == 10 && seller != null) {
                expected.add(Row.of(seller.get(1), seller.get(4), seller.get(5), auction.get(0))
                        .toString());
            }
        }
        check("q3.sql", "nexmark_q3", expected);
    }

    private static long micros(Object instant) {
        java.time.Instant time = (java.time.Instant) instant;
        return time.getEpochSecond() * 1_000_000L + time.getNano() / 1000;
    }

    private static java.time.Instant instant(long micros) {
        return java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
    }

    private static final long SECOND = 1_000_000L;

    @Test
    void q5HotItems() throws Exception {
        // Bids per auction in 10-second windows sliding by 2 seconds; per window, the auctions with the most.
        Map<Long, Map<Long, Long>> counts = new HashMap<>(); // window start -> auction -> bids
        for (Row bid : bids) {
            long time = micros(bid.get(5));
            for (long start = Math.floorDiv(time, 2 * SECOND) * 2 * SECOND;
                    start > time - 10 * SECOND;
                    start -= 2 * SECOND) {
                counts.computeIfAbsent(start, k -> new HashMap<>()).merge((Long) bid.get(0), 1L, Long::sum);
            }
        }
        List<String> expected = new ArrayList<>();
        counts.forEach((start, byAuction) -> {
            long max =
                    byAuction.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            byAuction.forEach((auction, n) -> {
                if (n >= max) {
                    expected.add(Row.of(auction, n).toString());
                }
            });
        });
        check("q5.sql", "nexmark_q5", expected);
    }

    @Test
    void q7HighestBid() throws Exception {
        // The bids whose price is the highest of a 10-second window, at times from its start to its end, inclusive.
        Map<Long, Long> maxPrice = new HashMap<>(); // window end -> highest price
        for (Row bid : bids) {
            long end = Math.floorDiv(micros(bid.get(5)), 10 * SECOND) * 10 * SECOND + 10 * SECOND;
            maxPrice.merge(end, (Long) bid.get(2), Math::max);
        }
        List<String> expected = new ArrayList<>();
        maxPrice.forEach((end, price) -> {
            for (Row bid : bids) {
                long time = micros(bid.get(5));
                if (bid.get(2).equals(price) && time >= end - 10 * SECOND && time <= end) {
                    expected.add(Row.of(bid.get(0), bid.get(2), bid.get(1), bid.get(5), bid.get(6))
                            .toString());
                }
            }
        });
        check("q7.sql", "nexmark_q7", expected);
    }

    @Test
    void q8MonitorNewUsers() throws Exception {
        // People who registered and put up an auction in the same 10-second window.
        java.util.Set<String> sellersByWindow = new java.util.HashSet<>();
        for (Row auction : auctions) {
            sellersByWindow.add(auction.get(7) + "@" + Math.floorDiv(micros(auction.get(5)), 10 * SECOND));
        }
        java.util.Set<String> expected = new java.util.LinkedHashSet<>();
        for (Row person : persons) {
            long window = Math.floorDiv(micros(person.get(6)), 10 * SECOND);
            if (sellersByWindow.contains(person.get(0) + "@" + window)) {
                expected.add(Row.of(person.get(0), person.get(1), instant(window * 10 * SECOND))
                        .toString());
            }
        }
        check("q8.sql", "nexmark_q8", new ArrayList<>(expected));
    }

    @Test
    void q4AveragePriceForACategory() throws Exception {
        // The highest bid of each auction while it was open, averaged per category.
        Map<Long, Row> byId = new HashMap<>();
        for (Row auction : auctions) {
            byId.put((Long) auction.get(0), auction);
        }
        Map<Long, Long> winning = new HashMap<>(); // auction -> highest bid
        for (Row bid : bids) {
            Row auction = byId.get((Long) bid.get(0));
            long time = micros(bid.get(5));
            if (auction != null && time >= micros(auction.get(5)) && time <= micros(auction.get(6))) {
                winning.merge((Long) bid.get(0), (Long) bid.get(2), Math::max);
            }
        }
        Map<Long, long[]> byCategory = new HashMap<>(); // category -> count, sum
        winning.forEach((auction, price) -> {
            long[] sum = byCategory.computeIfAbsent((Long) byId.get(auction).get(8), k -> new long[2]);
            sum[0]++;
            sum[1] += price;
        });
        List<String> expected = new ArrayList<>();
        byCategory.forEach((category, sum) ->
                expected.add(Row.of(category, (long) ((double) sum[1] / sum[0])).toString()));
        // As a stream (update mode), the average takes back a winning bid when a higher one replaces it: with the
        // events spread over micro-batches, auctions' highest bids rise from batch to batch.
        checkPaced("q4.sql", "nexmark_q4", expected);
    }

    /** Checks a query whose streaming rows change (update mode) with its events spread over micro-batches. */
    private static void checkPaced(String queryFile, String sink, List<String> expected) throws Exception {
        List<String> sortedExpected = new ArrayList<>(expected);
        sortedExpected.sort(null);
        assertThat(sortedExpected).isNotEmpty();
        assertSameRows("batch", batch(queryFile), sortedExpected);
        assertSameRows("streaming", streaming(queryFile, sink, 500L, 4), sortedExpected);
    }

    /** A stable sort, so that ties keep the events' order, as Brook's row numbers do. */
    private static List<Row> sortedBids(List<Row> bids, java.util.Comparator<Row> order) {
        List<Row> sorted = new ArrayList<>(bids);
        sorted.sort(order);
        return sorted;
    }

    @Test
    void q9WinningBids() throws Exception {
        // The highest bid of each auction while it was open (the earliest of equal ones), with the auction.
        Map<Long, Row> byId = new HashMap<>();
        for (Row auction : auctions) {
            byId.put((Long) auction.get(0), auction);
        }
        Map<Long, Row> winning = new java.util.LinkedHashMap<>();
        for (Row bid : bids) {
            Row auction = byId.get((Long) bid.get(0));
            long time = micros(bid.get(5));
            if (auction == null || time < micros(auction.get(5)) || time > micros(auction.get(6))) {
                continue;
            }
            Row best = winning.get((Long) bid.get(0));
            if (best == null
                    || (Long) bid.get(2) > (Long) best.get(2)
                    || (bid.get(2).equals(best.get(2)) && micros(bid.get(5)) < micros(best.get(5)))) {
                winning.put((Long) bid.get(0), bid);
            }
        }
        List<String> expected = new ArrayList<>();
        winning.forEach((id, bid) -> {
            Row a = byId.get(id);
            expected.add(Row.of(
                            a.get(0),
                            a.get(1),
                            a.get(2),
                            a.get(3),
                            a.get(4),
                            a.get(5),
                            a.get(6),
                            a.get(7),
                            a.get(8),
                            a.get(9),
                            bid.get(0),
                            bid.get(1),
                            bid.get(2),
                            bid.get(5),
                            bid.get(6))
                    .toString());
        });
        checkPaced("q9.sql", "nexmark_q9", expected);
    }

    @Test
    void q18LastBidOfEachBidderOnEachAuction() throws Exception {
        Map<String, Row> last = new HashMap<>(); // bidder|auction -> latest bid (the first of equal times)
        for (Row bid : bids) {
            String key = bid.get(1) + "|" + bid.get(0);
            Row before = last.get(key);
            if (before == null || micros(bid.get(5)) > micros(before.get(5))) {
                last.put(key, bid);
            }
        }
        List<String> expected = new ArrayList<>();
        last.values().forEach(bid -> expected.add(bid.toString()));
        checkPaced("q18.sql", "nexmark_q18", expected);
    }

    @Test
    void q19TopTenBidsOfEachAuction() throws Exception {
        Map<Long, List<Row>> byAuction = new HashMap<>();
        for (Row bid : bids) {
            byAuction.computeIfAbsent((Long) bid.get(0), k -> new ArrayList<>()).add(bid);
        }
        List<String> expected = new ArrayList<>();
        byAuction.forEach((auction, list) -> {
            List<Row> top = sortedBids(
                    list,
                    java.util.Comparator.comparing((Row bid) -> (Long) bid.get(2))
                            .reversed());
            for (int i = 0; i < Math.min(10, top.size()); i++) {
                Row bid = top.get(i);
                expected.add(Row.of(
                                bid.get(0),
                                bid.get(1),
                                bid.get(2),
                                bid.get(3),
                                bid.get(4),
                                bid.get(5),
                                bid.get(6),
                                (long) i + 1)
                        .toString());
            }
        });
        checkPaced("q19.sql", "nexmark_q19", expected);
    }

    @Test
    void q20ExpandBidWithAuction() throws Exception {
        Map<Long, Row> category10 = new HashMap<>();
        for (Row auction : auctions) {
            if ((Long) auction.get(8) == 10) {
                category10.put((Long) auction.get(0), auction);
            }
        }
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            Row a = category10.get((Long) bid.get(0));
            if (a != null) {
                expected.add(Row.of(
                                bid.get(0),
                                bid.get(1),
                                bid.get(2),
                                bid.get(3),
                                bid.get(4),
                                bid.get(5),
                                bid.get(6),
                                a.get(1),
                                a.get(2),
                                a.get(3),
                                a.get(4),
                                a.get(5),
                                a.get(6),
                                a.get(7),
                                a.get(8),
                                a.get(9))
                        .toString());
            }
        }
        check("q20.sql", "nexmark_q20", expected);
    }

    @Test
    void q21AddChannelId() throws Exception {
        java.util.regex.Pattern channelId = java.util.regex.Pattern.compile("(&|^)channel_id=([^&]*)");
        Map<String, String> known = Map.of("apple", "0", "google", "1", "facebook", "2", "baidu", "3");
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            String channel = (String) bid.get(3);
            java.util.regex.Matcher matcher = channelId.matcher((String) bid.get(4));
            String fromUrl = matcher.find() ? matcher.group(2) : ""; // Spark's REGEXP_EXTRACT: "" when no match
            String id = known.getOrDefault(channel.toLowerCase(java.util.Locale.ROOT), fromUrl);
            expected.add(Row.of(bid.get(0), bid.get(1), bid.get(2), channel, id).toString());
        }
        check("q21.sql", "nexmark_q21", expected);
    }

    @Test
    void q11UserSessions() throws Exception {
        Map<Long, List<Long>> times = new HashMap<>(); // bidder -> bid times
        for (Row bid : bids) {
            times.computeIfAbsent((Long) bid.get(1), k -> new ArrayList<>()).add(micros(bid.get(5)));
        }
        List<String> expected = new ArrayList<>();
        times.forEach((bidder, list) -> {
            list.sort(null);
            int begin = 0;
            for (int i = 1; i <= list.size(); i++) {
                if (i == list.size() || list.get(i) - list.get(i - 1) >= 10 * SECOND) {
                    expected.add(Row.of(
                                    bidder,
                                    (long) (i - begin),
                                    instant(list.get(begin)),
                                    instant(list.get(i - 1) + 10 * SECOND))
                            .toString());
                    begin = i;
                }
            }
        });
        check("q11.sql", "nexmark_q11", expected);
    }

    @Test
    void q22GetUrlDirectories() throws Exception {
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            String[] parts = ((String) bid.get(4)).split("/", -1);
            expected.add(Row.of(
                            bid.get(0),
                            bid.get(1),
                            bid.get(2),
                            bid.get(3),
                            parts.length > 3 ? parts[3] : null,
                            parts.length > 4 ? parts[4] : null,
                            parts.length > 5 ? parts[5] : null)
                    .toString());
        }
        check("q22.sql", "nexmark_q22", expected);
    }

    /** q10 with its files under a directory instead of the example's path. */
    private static String filesQuery(String name, Path output) throws IOException {
        String query = file(name);
        String path = "'path' = 'file://${NEXMARK_OUTPUT:-/tmp/brook-nexmark}/q10/'";
        assertThat(query).contains(path);
        return query.replace(path, "'path' = 'file://" + output + "/'");
    }

    /**
     * The rows of every part file under an output directory, by partition directory (relative, as written), read as
     * the sink's columns without the partition columns, each row as text.
     */
    private static Map<String, List<String>> partitionedRows(Brook brook, Path output) throws IOException {
        Map<String, List<String>> rows = new TreeMap<>();
        List<Path> parts;
        try (var walk = Files.walk(output)) {
            parts = walk.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().startsWith("part-"))
                    .toList();
        }
        for (Path part : parts) {
            String partition = output.relativize(part.getParent()).toString();
            List<String> partRows = rows.computeIfAbsent(partition, key -> new ArrayList<>());
            for (Row row : brook.read()
                    .format("csv")
                    .schema(Schema.of(
                            new Field("auction", ColumnType.BIGINT, true),
                            new Field("bidder", ColumnType.BIGINT, true),
                            new Field("price", ColumnType.BIGINT, true),
                            new Field("dateTime", ColumnType.TIMESTAMP, true),
                            new Field("extra", ColumnType.VARCHAR, true)))
                    .load(part.toString())
                    .collectAsList()) {
                partRows.add(row.toString());
            }
        }
        rows.values().forEach(list -> list.sort(null));
        return rows;
    }

    @Test
    void q10PartitionedFiles(@TempDir Path directory) throws Exception {
        // Given: events at 50 a second, so that they span several minutes; each bid's row under the directory its
        // time formats to (':' escaped as Hive and Spark do)
        int rate = 50;
        List<Row> slowBids = new ArrayList<>();
        try (Brook brook = Brook.local()) {
            for (Row event : brook.read()
                    .format("nexmark")
                    .option("events", EVENTS)
                    .option("eventsPerSecond", rate)
                    .load()
                    .collectAsList()) {
                if ((Integer) event.get(0) == 2) {
                    slowBids.add((Row) event.get(3));
                }
            }
        }
        String ddl = ddl().replace("'first-event.rate' = '" + RATE + "'", "'first-event.rate' = '" + rate + "'");
        Map<String, List<String>> expected = new TreeMap<>();
        List<String> everyRow = new ArrayList<>();
        java.time.format.DateTimeFormatter minute =
                java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC);
        for (Row bid : slowBids) {
            String partition = "dt=" + day(bid.get(5)) + "/hm="
                    + minute.format((java.time.Instant) bid.get(5)).replace(":", "%3A");
            String row = Row.of(bid.get(0), bid.get(1), bid.get(2), bid.get(5), bid.get(6))
                    .toString();
            expected.computeIfAbsent(partition, key -> new ArrayList<>()).add(row);
            everyRow.add(row + " " + partition);
        }
        expected.values().forEach(list -> list.sort(null));
        assertThat(expected).hasSizeGreaterThan(4);

        // When: q10 runs as a batch, and as a stream of several micro-batches
        Path batchOutput = directory.resolve("batch");
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.execute("SET 'execution.runtime-mode' = 'batch';");
            session.execute(ddl);
            session.execute(filesQuery("q10.sql", batchOutput));
        }
        Path streamOutput = directory.resolve("stream");
        AtomicLong ticks = new AtomicLong();
        try (Brook brook = Brook.builder()
                        .clock(() -> 1_700_000_000_000L + ticks.getAndIncrement() * 2_000L)
                        .getOrCreate();
                SqlSession session = new SqlSession(brook)) {
            // After each micro-batch: how many partitions were committed by then
            List<Long> committedAfterBatch = new java.util.concurrent.CopyOnWriteArrayList<>();
            brook.addListener(new io.brook.engine.stream.StreamingQueryListener() {
                @Override
                public void onQueryProgress(io.brook.engine.stream.StreamingQueryProgress progress) {
                    if (!Files.isDirectory(streamOutput)) {
                        committedAfterBatch.add(0L);
                        return;
                    }
                    try (var walk = Files.walk(streamOutput)) {
                        committedAfterBatch.add(walk.filter(
                                        file -> file.getFileName().toString().equals("_SUCCESS"))
                                .count());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            session.execute("SET 'trigger' = 'available-now';");
            session.execute("SET 'checkpoint.dir' = '" + directory.resolve("checkpoints") + "';");
            session.execute(ddl);
            List<SqlResult> results = session.execute(filesQuery("q10.sql", streamOutput));
            StreamingQuery query = results.get(results.size() - 1).query();
            assertThat(query.awaitTermination(60_000)).isTrue();
            assertThat(query.exception()).isNull();
            assertThat(query.recentProgress().stream().filter(progress -> progress.numInputRows() > 0))
                    .hasSizeGreaterThan(2);
            // partition-time: minutes commit as the watermark passes them, not all at the end
            assertThat(committedAfterBatch)
                    .anyMatch(count -> count > 0 && count < expected.size() - 1)
                    .isSorted();
        }

        // Then: each directory holds exactly its bids, every bid once; each partition is committed (the input
        // ended); and reading the table back fills dt and hm from the directories
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            for (Path output : List.of(batchOutput, streamOutput)) {
                Map<String, List<String>> written = partitionedRows(brook, output);
                assertThat(written.keySet()).isEqualTo(expected.keySet());
                for (String partition : expected.keySet()) {
                    assertSameRows(output + "/" + partition, written.get(partition), expected.get(partition));
                }
                for (String partition : expected.keySet()) {
                    assertThat(output.resolve(partition).resolve("_SUCCESS")).exists();
                }
                session.execute("SET 'execution.runtime-mode' = 'batch';");
                String table = file("q10.sql")
                        .substring(0, file("q10.sql").indexOf("INSERT"))
                        .replace(
                                "'path' = 'file://${NEXMARK_OUTPUT:-/tmp/brook-nexmark}/q10/'",
                                "'path' = '" + output + "'")
                        .replace("CREATE TABLE nexmark_q10", "CREATE OR REPLACE TABLE nexmark_q10");
                session.execute(table);
                List<String> read = new ArrayList<>();
                for (Row row :
                        session.execute("SELECT * FROM nexmark_q10").get(0).rows()) {
                    read.add(Row.of(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4)) + " dt=" + row.get(5)
                            + "/hm=" + String.valueOf(row.get(6)).replace(":", "%3A"));
                }
                read.sort(null);
                everyRow.sort(null);
                assertSameRows("reading " + output, read, everyRow);
            }
        }
    }

    private static String day(Object instant) {
        return java.time.format.DateTimeFormatter.ISO_LOCAL_DATE.format(
                ((java.time.Instant) instant).atZone(java.time.ZoneOffset.UTC));
    }

    private static int rank(long price) {
        return price < 10_000 ? 1 : price < 1_000_000 ? 2 : 3;
    }

    /** Bids, distinct bidders and distinct auctions, in all and by price rank, as q15 and q16 report them. */
    private static final class RankTally {
        private final long[] bids = new long[4];
        private final List<java.util.Set<Long>> bidders = sets();
        private final List<java.util.Set<Long>> auctions = sets();

        void add(Row bid) {
            int rank = rank((Long) bid.get(2));
            for (int r : new int[] {0, rank}) {
                bids[r]++;
                bidders.get(r).add((Long) bid.get(1));
                auctions.get(r).add((Long) bid.get(0));
            }
        }

        /** total, rank1..3 bids, then bidders, then auctions. */
        List<Object> values() {
            List<Object> values = new ArrayList<>();
            for (long count : bids) {
                values.add(count);
            }
            bidders.forEach(set -> values.add((long) set.size()));
            auctions.forEach(set -> values.add((long) set.size()));
            return values;
        }

        private static List<java.util.Set<Long>> sets() {
            List<java.util.Set<Long>> sets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sets.add(new java.util.HashSet<>());
            }
            return sets;
        }
    }

    @Test
    void q15BiddingStatisticsReport() throws Exception {
        Map<String, RankTally> byDay = new java.util.TreeMap<>();
        for (Row bid : bids) {
            byDay.computeIfAbsent(day(bid.get(5)), k -> new RankTally()).add(bid);
        }
        List<String> expected = new ArrayList<>();
        byDay.forEach((day, tally) -> {
            List<Object> values = new ArrayList<>(List.of(day));
            values.addAll(tally.values());
            expected.add(Row.of(values.toArray()).toString());
        });
        check("q15.sql", "nexmark_q15", expected);
    }

    @Test
    void q17AuctionStatisticsReport() throws Exception {
        Map<String, long[]> stats = new HashMap<>(); // auction|day -> total, rank 1..3, min, max, sum
        for (Row bid : bids) {
            long price = (Long) bid.get(2);
            long[] s = stats.computeIfAbsent(bid.get(0) + "|" + day(bid.get(5)), k ->
                    new long[] {0, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0});
            s[0]++;
            s[rank(price)]++;
            s[4] = Math.min(s[4], price);
            s[5] = Math.max(s[5], price);
            s[6] += price;
        }
        List<String> expected = new ArrayList<>();
        stats.forEach((key, s) -> {
            String[] parts = key.split("\\|");
            expected.add(Row.of(
                            Long.parseLong(parts[0]),
                            parts[1],
                            s[0],
                            s[1],
                            s[2],
                            s[3],
                            s[4],
                            s[5],
                            (long) ((double) s[6] / s[0]),
                            s[6])
                    .toString());
        });
        check("q17.sql", "nexmark_q17", expected);
    }

    @Test
    void q16ChannelStatisticsReport() throws Exception {
        Map<String, RankTally> byKey = new HashMap<>(); // channel|day
        Map<String, String> minutes = new HashMap<>();
        java.time.format.DateTimeFormatter hourMinute = java.time.format.DateTimeFormatter.ofPattern("HH:mm");
        for (Row bid : bids) {
            String key = bid.get(3) + "|" + day(bid.get(5));
            byKey.computeIfAbsent(key, k -> new RankTally()).add(bid);
            String minute = hourMinute.format(((java.time.Instant) bid.get(5)).atZone(java.time.ZoneOffset.UTC));
            minutes.merge(key, minute, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        List<String> expected = new ArrayList<>();
        byKey.forEach((key, tally) -> {
            String[] parts = key.split("\\|");
            List<Object> values = new ArrayList<>(List.of(parts[0], parts[1], minutes.get(key)));
            values.addAll(tally.values());
            expected.add(Row.of(values.toArray()).toString());
        });
        check("q16.sql", "nexmark_q16", expected);
    }

    /**
     * q12 counts bids in windows of processing time, so its rows depend on when micro-batches ran: each bidder's
     * counts add up to its bids, the windows are 10-second ones aligned to the epoch, one row per bidder and window; a
     * stream whose clock runs 1 s per reading spreads them over several windows, a batch query puts all in one.
     */
    @Test
    void q12ProcessingTimeWindows() throws Exception {
        Map<Long, Long> bidsPerBidder = new HashMap<>();
        for (Row bid : bids) {
            bidsPerBidder.merge((Long) bid.get(1), 1L, Long::sum);
        }
        long before = System.currentTimeMillis();
        List<String> batchRows = batch("q12.sql");
        long after = System.currentTimeMillis();
        java.util.Set<Long> batchWindows = checkProcessingTimeWindows(batchRows, bidsPerBidder);
        assertThat(batchWindows).hasSize(1);
        assertThat(batchWindows.iterator().next()).isBetween(before - 10_000, after);
        java.util.Set<Long> streamWindows =
                checkProcessingTimeWindows(streaming("q12.sql", "nexmark_q12", 1_000, 4), bidsPerBidder);
        assertThat(streamWindows).hasSizeGreaterThanOrEqualTo(2);
        assertThat(streamWindows)
                .allSatisfy(start -> assertThat(start).isGreaterThanOrEqualTo(1_700_000_000_000L - 10_000));
    }

    /** Checks q12's rows against the bids per bidder; the starts of its windows, epoch milliseconds. */
    private static java.util.Set<Long> checkProcessingTimeWindows(List<String> rows, Map<Long, Long> bidsPerBidder) {
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd HH:mm:ss[.SSS]")
                .withZone(java.time.ZoneOffset.UTC);
        Map<Long, Long> counted = new HashMap<>();
        java.util.Set<String> bidderWindows = new java.util.HashSet<>();
        java.util.Set<Long> starts = new java.util.TreeSet<>();
        for (String row : rows) {
            String[] fields = row.substring(1, row.length() - 1).split(",");
            long bidder = Long.parseLong(fields[0]);
            long start = java.time.Instant.parse(fields[2]).toEpochMilli();
            long end = java.time.Instant.parse(fields[3]).toEpochMilli();
            assertThat(end - start).as(row).isEqualTo(10_000);
            assertThat(start % 10_000).as(row).isZero();
            assertThat(bidderWindows.add(bidder + "@" + start)).as(row).isTrue();
            counted.merge(bidder, Long.parseLong(fields[1]), Long::sum);
            starts.add(start);
        }
        assertThat(counted).isEqualTo(bidsPerBidder);
        return starts;
    }

    @Test
    void q13BoundedSideInputJoin() throws Exception {
        List<String> expected = new ArrayList<>();
        for (Row bid : bids) {
            long auction = (Long) bid.get(0);
            expected.add(Row.of(auction, bid.get(1), bid.get(2), bid.get(5), Long.toString(auction % 10_000))
                    .toString());
        }
        check("q13.sql", "nexmark_q13", expected);
    }
}
