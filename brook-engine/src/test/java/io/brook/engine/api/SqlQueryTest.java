package io.brook.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code brook.sql(...)}: SQL queries over temporary views plan into the same logical plan as the Dataset API and run
 * bounded or streaming, with window table functions, subqueries, and errors that point into the text.
 */
class SqlQueryTest {
    private static final Schema CLICKS = Schema.of(
            new Field("user", ColumnType.VARCHAR, false),
            new Field("page", ColumnType.VARCHAR, false),
            new Field("ts", ColumnType.TIMESTAMP, false),
            new Field("latency", ColumnType.INT, true));
    private static final Schema PAGES =
            Schema.of(new Field("page", ColumnType.VARCHAR, false), new Field("section", ColumnType.VARCHAR, true));

    private final Brook brook = Brook.local();

    @BeforeEach
    void views() {
        brook.createDataFrame(
                        List.of(
                                click("ann", "home", 1, 10),
                                click("bob", "home", 4, null),
                                click("ann", "cart", 9, 30),
                                click("cid", "home", 12, 20),
                                click("ann", "home", 31, 40)),
                        CLICKS)
                .createOrReplaceTempView("clicks");
        brook.createDataFrame(List.of(Row.of("home", "front"), Row.of("cart", "shop")), PAGES)
                .createOrReplaceTempView("pages");
    }

    @AfterEach
    void close() {
        brook.close();
    }

    private static Row click(String user, String page, long seconds, Integer latency) {
        return Row.of(user, page, seconds * 1_000_000L, latency);
    }

    private List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        for (Row row : brook.sql(sql).collectAsList()) {
            rows.add(row.toString());
        }
        return rows;
    }

    @Test
    void decimalArithmeticIsExactToItsScaleAndCaseStringsAreNotPadded() {
        // Given
        brook.createDataFrame(List.of(Row.of(13_865_077L)), Schema.of(new Field("price", ColumnType.BIGINT, false)))
                .createOrReplaceTempView("prices");

        // When: DOUBLE arithmetic would give 12589489.916000001 and 1386507.9000000001; Flink's DECIMAL does not
        List<String> rows = rows("SELECT 0.908 * price AS euros, price * 0.1 + 0.2 AS plus,"
                + " CASE WHEN price > 0 THEN 'day' ELSE 'night' END AS part FROM prices");

        // Then
        assertThat(rows).containsExactly("[1.2589489916E7,1386507.9,day]");
    }

    @Test
    void plansOnAThreadThatNeverPlannedBefore() throws Exception {
        // Given: a thread of its own, as an HTTP server's request threads are (Calcite keeps metadata per thread)
        java.util.concurrent.ExecutorService fresh = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            // When
            List<String> result = fresh.submit(() -> rows("SELECT page, count(*) AS n FROM clicks WHERE latency > 0"
                            + " GROUP BY page ORDER BY page"))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);

            // Then
            assertThat(result).containsExactly("[cart,1]", "[home,3]");
        } finally {
            fresh.shutdownNow();
        }
    }

    @Test
    void projectsFiltersAndComputes() {
        assertThat(rows("SELECT `user`, upper(page) AS p, CASE WHEN latency IS NULL THEN 'none' ELSE"
                        + " CAST(latency * 2 AS STRING) END AS l FROM clicks WHERE page <> 'cart' ORDER BY ts"))
                .containsExactly("[ann,HOME,20]", "[bob,HOME,none]", "[cid,HOME,40]", "[ann,HOME,80]");
    }

    @Test
    void groupsWithHavingAndDistinct() {
        assertThat(rows("SELECT page, count(*) AS n, sum(latency) AS total FROM clicks GROUP BY page"
                        + " HAVING count(*) > 1 ORDER BY page"))
                .containsExactly("[home,4,70]");
        assertThat(rows("SELECT DISTINCT `user` FROM clicks ORDER BY `user`"))
                .containsExactly("[ann]", "[bob]", "[cid]");
    }

    @Test
    void joinsUnionsAndDecorrelatesSubqueries() {
        assertThat(rows("SELECT c.`user`, p.section FROM clicks c JOIN pages p ON c.page = p.page"
                        + " WHERE p.section = 'shop'"))
                .containsExactly("[ann,shop]");
        assertThat(rows("SELECT page FROM pages UNION ALL SELECT page FROM pages ORDER BY page"))
                .containsExactly("[cart]", "[cart]", "[home]", "[home]");
        assertThat(rows("SELECT `user`, ts FROM clicks c WHERE latency > (SELECT avg(latency) FROM clicks d"
                        + " WHERE d.page = c.page) ORDER BY ts"))
                .containsExactly("[ann,1970-01-01T00:00:31Z]"); // home's average is 70 / 3, cart's 30
        assertThat(rows("SELECT DISTINCT `user` FROM clicks WHERE page IN (SELECT page FROM pages WHERE section ="
                        + " 'shop')"))
                .containsExactly("[ann]");
    }

    @Test
    void windowTableFunctionsTumbleHopAndSession() {
        assertThat(rows("SELECT window_start, window_end, count(*) AS n FROM TABLE(TUMBLE(TABLE clicks,"
                        + " DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end ORDER BY"
                        + " window_start"))
                .containsExactly(
                        "[1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,3]",
                        "[1970-01-01T00:00:10Z,1970-01-01T00:00:20Z,1]",
                        "[1970-01-01T00:00:30Z,1970-01-01T00:00:40Z,1]");
        // Each click in the two 10-second windows, 5 seconds apart, that hold it.
        assertThat(rows("SELECT count(*) FROM TABLE(HOP(TABLE clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND,"
                        + " INTERVAL '10' SECOND))"))
                .containsExactly("[10]");
        // Flink's form: PARTITION BY names the session key.
        assertThat(rows("SELECT page, window_start, window_end, count(*) AS n, sum(CASE WHEN latency IS NULL THEN 1"
                        + " ELSE 0 END) AS no_latency FROM TABLE(SESSION(TABLE clicks"
                        + " PARTITION BY page, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY page,"
                        + " window_start, window_end ORDER BY page, window_start"))
                .containsExactly(
                        "[cart,1970-01-01T00:00:09Z,1970-01-01T00:00:19Z,1,0]",
                        "[home,1970-01-01T00:00:01Z,1970-01-01T00:00:22Z,3,1]",
                        "[home,1970-01-01T00:00:31Z,1970-01-01T00:00:41Z,1,0]");
    }

    @Test
    void readsFlinksOlderGroupWindows() {
        assertThat(rows("SELECT TUMBLE_START(ts, INTERVAL '10' SECOND) AS s, TUMBLE_END(ts, INTERVAL '10' SECOND) AS e,"
                        + " count(*) FROM clicks GROUP BY TUMBLE(ts, INTERVAL '10' SECOND) ORDER BY s"))
                .containsExactly(
                        "[1970-01-01T00:00:00Z,1970-01-01T00:00:10Z,3]",
                        "[1970-01-01T00:00:10Z,1970-01-01T00:00:20Z,1]",
                        "[1970-01-01T00:00:30Z,1970-01-01T00:00:40Z,1]");
        // Nexmark q11's form: sessions per key, their real end (the last row plus the gap)
        assertThat(rows("SELECT C.page, count(*), SESSION_START(C.ts, INTERVAL '10' SECOND),"
                        + " SESSION_END(C.ts, INTERVAL '10' SECOND) FROM clicks C GROUP BY C.page,"
                        + " SESSION(C.ts, INTERVAL '10' SECOND) ORDER BY 1, 3"))
                .containsExactly(
                        "[cart,1,1970-01-01T00:00:09Z,1970-01-01T00:00:19Z]",
                        "[home,3,1970-01-01T00:00:01Z,1970-01-01T00:00:22Z]",
                        "[home,1,1970-01-01T00:00:31Z,1970-01-01T00:00:41Z]");
        assertThat(rows("SELECT count(*) FROM clicks GROUP BY HOP(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND)"
                        + " HAVING HOP_START(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND) = TIMESTAMP '1970-01-01"
                        + " 00:00:05'"))
                .containsExactly("[2]");
        assertThat(rows("SELECT TUMBLE_ROWTIME(ts, INTERVAL '10' SECOND) FROM clicks GROUP BY TUMBLE(ts, INTERVAL"
                        + " '10' SECOND) ORDER BY 1 LIMIT 1"))
                .containsExactly("[1970-01-01T00:00:09.999Z]");
    }

    @Test
    void aggregatesWithFilters() {
        assertThat(rows("SELECT page, count(*) FILTER (WHERE latency > 15) AS slow, count(*) AS n,"
                        + " sum(latency) FILTER (WHERE `user` = 'ann') AS ann, count(DISTINCT `user`) FILTER (WHERE"
                        + " latency IS NOT NULL) AS users FROM clicks GROUP BY page ORDER BY page"))
                .containsExactly("[cart,1,1,30,1]", "[home,2,4,50,2]");
    }

    @Test
    void dateFormatWritesTimestampsInUtc() {
        assertThat(rows("SELECT DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss'), count(*) FROM clicks GROUP BY DATE_FORMAT(ts,"
                        + " 'yyyy-MM-dd HH:mm:ss') ORDER BY 1 LIMIT 2"))
                .containsExactly("[1970-01-01 00:00:01,1]", "[1970-01-01 00:00:04,1]");
    }

    @Test
    void splitIndexIsFlinks() {
        assertThat(rows(
                        "SELECT SPLIT_INDEX('a/b//c', '/', 0), SPLIT_INDEX('a/b//c', '/', 2), SPLIT_INDEX('a/b//c', '/',"
                                + " 3), SPLIT_INDEX('a/b', '/', 5), SPLIT_INDEX('a/b', '', 0), SPLIT_INDEX('a/b', '/', -1)"
                                + " FROM pages WHERE page = 'home'"))
                .containsExactly("[a,,c,null,null,null]");
    }

    @Test
    void keepsTheQuerysColumnNames() {
        assertThat(brook.sql("SELECT page AS p, ts AS t FROM clicks").columns()).containsExactly("p", "t");
        assertThat(brook.sql("SELECT window_start AS s, n FROM (SELECT window_start, count(*) AS n FROM"
                                + " TABLE(SESSION(TABLE clicks PARTITION BY page, DESCRIPTOR(ts), INTERVAL '10'"
                                + " SECOND)) GROUP BY page, window_start, window_end)")
                        .columns())
                .containsExactly("s", "n");
    }

    @Test
    void readsFieldsOfRowColumnsAsFlinkDoes() {
        brook.read().format("nexmark").option("events", "100").load().createOrReplaceTempView("nexmark");
        // The first event is a person; events 1-3 are auctions, the rest of the first 50 bids.
        assertThat(rows("SELECT person.id, person.name IS NOT NULL FROM nexmark WHERE event_type = 0 LIMIT 1"))
                .containsExactly("[1000,true]");
        assertThat(rows("SELECT count(*) FROM nexmark n WHERE n.bid.auction >= 1000 AND event_type = 2"))
                .containsExactly("[92]");
    }

    @Test
    void streamsAWindowedCountWithAWatermark() throws Exception {
        MemoryStream stream = MemoryStream.of(brook, CLICKS);
        stream.toDF().withWatermark("ts", "5 seconds").createOrReplaceTempView("live");
        Dataset<Row> counts = brook.sql("SELECT page, window_start, count(*) AS n, count(DISTINCT `user`) AS users"
                + " FROM TABLE(TUMBLE(TABLE live,"
                + " DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY page, window_start, window_end");
        assertThat(counts.isStreaming()).isTrue();
        StreamingQuery query = counts.writeStream()
                .format("memory")
                .queryName("live_counts")
                .outputMode("append")
                .start();
        stream.addData(
                click("ann", "home", 1, 1),
                click("bob", "home", 4, 1),
                click("ann", "home", 5, 1),
                click("cid", "cart", 12, 1));
        query.processAllAvailable();
        assertThat(brook.table("live_counts").collectAsList()).isEmpty();
        stream.addData(click("dan", "home", 30, 1));
        query.processAllAvailable();
        List<String> rows = new ArrayList<>();
        brook.table("live_counts").collectAsList().forEach(row -> rows.add(row.toString()));
        assertThat(rows)
                .containsExactlyInAnyOrder("[home,1970-01-01T00:00:00Z,3,2]", "[cart,1970-01-01T00:00:10Z,1,1]");
        query.stop();
    }

    @Test
    void partitionsSessionsByAColumnNamedLikeAFunction() {
        // `user` is also SQL's USER function; quoted, it is the column, in PARTITION BY and DESCRIPTOR(...) too.
        List<String> expected = List.of("[ann,2]", "[ann,1]", "[bob,1]", "[cid,1]");
        assertThat(rows("SELECT `user`, count(*) FROM TABLE(SESSION(TABLE clicks PARTITION BY `user`, DESCRIPTOR(ts),"
                        + " INTERVAL '10' SECOND)) GROUP BY `user`, window_start, window_end"))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows("SELECT `user`, count(*) FROM TABLE(SESSION(TABLE clicks, DESCRIPTOR(ts), DESCRIPTOR(`user`),"
                        + " INTERVAL '10' SECOND)) GROUP BY `user`, window_start, window_end"))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(
                        rows(
                                "SELECT c.`user`, count(*) FROM clicks c GROUP BY c.`user`, SESSION(c.ts, INTERVAL '10' SECOND)"))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void selectsLiteralRowsWithoutATable() {
        assertThat(rows("SELECT 1 + 1 AS two, upper('a') AS a")).containsExactly("[2,A]");
        assertThat(rows("VALUES (1, 'a'), (2, 'bb')")).containsExactly("[1,a]", "[2,bb]");
        assertThat(rows("SELECT x * 10 FROM (VALUES (1), (2), (3)) AS t(x) WHERE x > 1"))
                .containsExactly("[20]", "[30]");
        assertThat(rows("SELECT c.page, v.label FROM clicks c JOIN (VALUES ('cart', 'shop')) AS v(page, label)"
                        + " ON c.page = v.page"))
                .containsExactly("[cart,shop]");
    }

    @Test
    void readsDateTimeUnquotedAsFlinkDoes() {
        // Calcite reserves DATETIME; Flink (and the Nexmark suite, B.dateTime) lets it name a column.
        brook.sql("SELECT `user`, ts AS `dateTime` FROM clicks").createOrReplaceTempView("timed");
        assertThat(rows("SELECT t.dateTime, 'dateTime' AS word, `user` FROM timed t -- dateTime\n"
                        + "WHERE dateTime > TIMESTAMP '1970-01-01 00:00:30'"))
                .containsExactly("[1970-01-01T00:00:31Z,dateTime,ann]");
        assertThat(brook.sql("SELECT * FROM timed")
                        .selectExpr("dateTime + INTERVAL '1' SECOND AS later")
                        .collectAsList())
                .hasSize(5);
        // An error after the word still points where it is in the text as written.
        assertThatThrownBy(() -> brook.sql("SELECT t.dateTime, usr FROM timed t"))
                .hasMessageStartingWith("line 1:20: column 'usr' not found");
        assertThatThrownBy(() -> brook.sql("SELECT t.dateTime FROM timed t WHERE"))
                .hasMessageStartingWith("line 1:36: unexpected \"<end of statement>\"");
    }

    @Test
    void joinsAStreamWithATableAsOfItsProcessingTime() throws Exception {
        // Flink's temporal join: a bounded table's version as of any time is the table itself (Nexmark q13).
        String temporal = "SELECT c.`user`, c.page, p.section FROM (SELECT *, PROCTIME() AS p_time FROM %s) AS c"
                + " JOIN pages FOR SYSTEM_TIME AS OF c.p_time AS p ON c.page = p.page";
        assertThat(rows(String.format(temporal, "clicks")))
                .containsExactlyInAnyOrder(
                        "[ann,home,front]",
                        "[bob,home,front]",
                        "[ann,cart,shop]",
                        "[cid,home,front]",
                        "[ann,home,front]");
        MemoryStream stream = MemoryStream.of(brook, CLICKS);
        stream.toDF().createOrReplaceTempView("live");
        Dataset<Row> enriched = brook.sql(String.format(temporal, "live"));
        assertThat(enriched.isStreaming()).isTrue();
        StreamingQuery query =
                enriched.writeStream().format("memory").queryName("enriched").start();
        stream.addData(click("ann", "cart", 1, 1), click("bob", "nowhere", 2, 1));
        query.processAllAvailable();
        assertThat(brook.table("enriched").collectAsList()).hasToString("[[ann,cart,shop]]");
        query.stop();
        // As of a column of the stream's own (event time) too: the table has one version.
        assertThat(rows("SELECT c.`user`, p.section FROM clicks AS c JOIN pages FOR SYSTEM_TIME AS OF c.ts AS p"
                        + " ON c.page = p.page WHERE c.latency > 25"))
                .containsExactlyInAnyOrder("[ann,shop]", "[ann,front]");
        // A stream is no temporal table here; the period must name a column.
        assertThatThrownBy(() -> brook.sql(
                        "SELECT *\nFROM clicks AS c JOIN live FOR SYSTEM_TIME AS OF c.ts AS l" + " ON c.page = l.page"))
                .hasMessageStartingWith("line 2:")
                .hasMessageContaining("'live' is a stream: FOR SYSTEM_TIME AS OF takes a bounded TABLE");
        assertThatThrownBy(() -> brook.sql("SELECT *\nFROM clicks AS c JOIN pages FOR SYSTEM_TIME AS OF c.tss AS p"
                        + " ON c.page = p.page"))
                .hasMessageStartingWith("line 2:")
                .hasMessageContaining("'tss' not found");
    }

    @Test
    void joinsTwoStreamsWithinATimeRangeAndUnionsStreams() throws Exception {
        MemoryStream views = MemoryStream.of(brook, CLICKS);
        MemoryStream buys = MemoryStream.of(brook, CLICKS);
        views.toDF().withWatermark("ts", "5 seconds").createOrReplaceTempView("views");
        buys.toDF().withWatermark("ts", "5 seconds").createOrReplaceTempView("buys");
        // An interval join: a purchase within 10 seconds after a view of the same page by the same user.
        Dataset<Row> converted = brook.sql("SELECT v.`user`, v.page, b.ts AS bought FROM views v JOIN buys b"
                + " ON v.`user` = b.`user` AND v.page = b.page WHERE b.ts BETWEEN v.ts AND v.ts + INTERVAL '10'"
                + " SECOND");
        StreamingQuery joined =
                converted.writeStream().format("memory").queryName("converted").start();
        StreamingQuery both = brook.sql(
                        "SELECT `user`, 'view' AS kind FROM views UNION ALL SELECT `user`, 'buy'" + " FROM buys")
                .writeStream()
                .format("memory")
                .queryName("everything")
                .start();
        views.addData(click("ann", "home", 1, 1), click("bob", "cart", 2, 1));
        buys.addData(click("ann", "home", 5, 1), click("bob", "cart", 30, 1), click("ann", "home", 12, 1));
        joined.processAllAvailable();
        both.processAllAvailable();

        List<String> rows = new ArrayList<>();
        brook.table("converted").collectAsList().forEach(row -> rows.add(row.toString()));
        assertThat(rows).containsExactly("[ann,home,1970-01-01T00:00:05Z]");
        assertThat(brook.table("everything").count()).isEqualTo(5);
        assertThat(io.brook.engine.exec.PhysicalPlanner.stateSignature(converted.logicalPlan()))
                .hasSize(2);
        joined.stop();
        both.stop();
    }

    @Test
    void errorsPointAtTheTextAndSuggestNames() {
        assertThatThrownBy(() -> brook.sql("SELECT usr\nFROM clicks"))
                .isInstanceOf(BrookException.class)
                .hasMessage("line 1:8: column 'usr' not found; did you mean 'user'?\nSELECT usr\n       ^");
        assertThatThrownBy(() -> brook.sql("SELECT page\nFROM click"))
                .hasMessageStartingWith("line 2:6: no source, table or view named 'click'; did you mean 'clicks'?")
                .hasMessageEndingWith("\nFROM click\n     ^");
        assertThatThrownBy(() -> brook.sql("SELECT uper(page) FROM clicks"))
                .hasMessageStartingWith("line 1:8: no function uper(<CHARACTER>); did you mean 'upper'?");
        assertThatThrownBy(() -> brook.sql("SELECT page\nFROM clicks WHERE"))
                .hasMessageStartingWith("line 2:17: unexpected \"<end of statement>\"");
        assertThatThrownBy(() -> brook.sql(
                        "SELECT count(*) FROM TABLE(SESSION(TABLE clicks, DESCRIPTOR(ts)," + " INTERVAL '10' SECOND))"))
                .hasMessageContaining("SESSION(...) is supported under GROUP BY window_start, window_end");
    }
}
