package io.brook.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements one by one: the catalog they build, the queries they start, and the errors they give, with positions. */
class SqlSessionTest {
    private static final String BIDS = """
            CREATE SOURCE events (
                event_type INT,
                bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, `dateTime` TIMESTAMP(3)>,
                `dateTime` TIMESTAMP(3),
                WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '2' SECOND
            ) WITH (connector = 'nexmark', events = '500', eventsPerSecond = '100');
            CREATE VIEW bids AS SELECT bid.auction, bid.price, `dateTime` FROM events WHERE event_type = 2;
            """;

    private final AtomicLong ticks = new AtomicLong();
    private final Brook brook = Brook.builder()
            .clock(() -> 1_700_000_000_000L + ticks.getAndIncrement() * 1_000_000L)
            .getOrCreate();
    private final SqlSession session = new SqlSession(brook);

    @TempDir
    Path directory;

    @AfterEach
    void close() {
        session.close();
        brook.close();
    }

    private static List<String> rows(SqlResult result) {
        List<String> rows = new ArrayList<>();
        for (Row row : result.rows()) {
            rows.add(row.toString());
        }
        return rows;
    }

    @Test
    void buildsACatalogAndDescribesIt() {
        session.execute(BIDS);
        session.execute("CREATE SINK out (auction BIGINT, n BIGINT) WITH (connector = 'memory');");

        assertThat(rows(session.execute("SHOW SOURCES").get(0)))
                .containsExactly("[events,nexmark,event_type, bid, dateTime]");
        assertThat(rows(session.execute("SHOW VIEWS").get(0))).containsExactly("[bids,,auction, price, dateTime]");
        assertThat(rows(session.execute("SHOW SINKS").get(0))).containsExactly("[out,memory,auction, n]");
        assertThat(rows(session.execute("DESCRIBE events").get(0)))
                .containsExactly(
                        "[event_type,INT,false,]",
                        "[bid,STRUCT<auction: BIGINT, bidder: BIGINT, price: BIGINT, channel: VARCHAR, url: VARCHAR,"
                                + " dateTime: TIMESTAMP, extra: VARCHAR>,true,]",
                        "[dateTime,TIMESTAMP,false,event time (watermark)]");
        assertThat(session.execute("DROP VIEW bids").get(0).message()).isEqualTo("Dropped view bids");
        assertThat(rows(session.execute("SHOW VIEWS").get(0))).isEmpty();
    }

    @Test
    void insertStartsAContinuousQueryWithItsOwnCheckpoint() throws Exception {
        session.execute(BIDS);
        session.execute("SET 'checkpoint.dir' = '" + directory + "';");
        session.execute("CREATE SINK counts (window_start TIMESTAMP, n BIGINT) WITH (connector = 'memory');");
        SqlResult started = session.execute("""
                INSERT INTO counts
                SELECT window_start, count(*) FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(`dateTime`),
                    INTERVAL '1' SECOND))
                GROUP BY window_start, window_end;
                """).get(0);
        StreamingQuery query = started.query();
        assertThat(started.message()).startsWith("Started query counts").contains("append mode");
        session.processAllAvailable();

        // 500 events at 100 a second span 5 seconds; the watermark (2 s behind) has closed the first windows.
        List<Row> counts = brook.table("counts").collectAsList();
        assertThat(counts).isNotEmpty();
        assertThat(counts).allSatisfy(row -> assertThat((Long) row.get(1)).isBetween(1L, 100L));
        assertThat(Files.isDirectory(directory.resolve("counts").resolve("offsets")))
                .isTrue();
        assertThat(rows(session.execute("SHOW QUERIES").get(0)))
                .singleElement()
                .asString()
                .startsWith("[counts," + query.id() + ",RUNNING,counts,");
        assertThat(session.execute("STOP QUERY counts").get(0).message()).isEqualTo("Stopped query counts");
        assertThat(query.isActive()).isFalse();
    }

    @Test
    void explainShowsTheLogicalPlanAndTheState() {
        session.execute(BIDS);
        String plan = session.execute("EXPLAIN SELECT auction, count(*) FROM bids GROUP BY auction")
                .get(0)
                .message();
        assertThat(plan)
                .contains("== Logical plan ==", "LogicalAggregate(group=[{0}]", "== Incremental plan ==")
                .contains("streaming, complete output mode, into the console")
                .contains("state operator 0: aggregate keys=[BIGINT] calls=[COUNT BIGINT]");
    }

    @Test
    void explainListsEachOverWindowAsAStateOperator() {
        session.execute(BIDS);
        String plan = session.execute("EXPLAIN SELECT auction, price, sum(price) OVER (PARTITION BY auction ORDER BY"
                        + " `dateTime`) AS spent FROM bids")
                .get(0)
                .message();
        assertThat(plan)
                // Only the columns the query reads reach the window (the field trimmer): auction, price, dateTime.
                .contains("LogicalWindow(window#0=[window(partition {0} order by [2] aggs [COUNT($1), SUM($1)])])")
                .contains("streaming, append output mode, into the console")
                .contains("state operator 0: over keys=[BIGINT] order=[2] frame=RANGE BETWEEN UNBOUNDED PRECEDING AND"
                        + " CURRENT ROW calls=[count BIGINT, sum BIGINT] rows=[BIGINT, BIGINT, TIMESTAMP]");
    }

    @Test
    void batchModeReadsSourcesBounded() {
        session.execute("SET 'execution.runtime-mode' = 'batch';");
        session.execute(BIDS);
        SqlResult result = session.execute("SELECT count(*) FROM bids").get(0);
        assertThat(rows(result)).containsExactly("[460]");
    }

    @Test
    void readsBoundedTablesFromFiles() throws Exception {
        Files.writeString(directory.resolve("pages.csv"), "page,section\nhome,front\ncart,shop\n");
        session.execute("CREATE TABLE pages (page STRING, section STRING) WITH (connector = 'files', format = 'csv',"
                + " path = '" + directory.resolve("pages.csv") + "', header = 'true');");
        assertThat(rows(session.execute("SELECT section FROM pages WHERE page = 'cart'")
                        .get(0)))
                .containsExactly("[shop]");
        assertThat(rows(session.execute("SHOW TABLES").get(0))).containsExactly("[pages,files,page, section]");
    }

    @Test
    void readsTextFilesAsLinesWithoutColumns() throws Exception {
        Files.writeString(directory.resolve("app.log"), "INFO up\nERROR disk full\nERROR no route\n");
        session.execute("CREATE TABLE logs WITH (connector = 'files', format = 'text', path = '"
                + directory.resolve("app.log") + "');");
        assertThat(rows(session.execute("SELECT count(*) FROM logs WHERE `value` LIKE 'ERROR%'")
                        .get(0)))
                .containsExactly("[2]");
        session.execute("CREATE TABLE whole WITH (connector = 'files', format = 'text', wholetext = 'true', path = '"
                + directory.resolve("app.log") + "');");
        assertThat(rows(session.execute("SELECT count(*) FROM whole").get(0))).containsExactly("[1]");
        assertThatThrownBy(() -> session.execute("CREATE TABLE nowhere WITH (connector = 'files', path = 'x');"))
                .hasMessageContaining("the files connector needs option 'format' (json, csv, parquet or text)");
    }

    @Test
    void errorsNameTheScriptsLineAndColumn() {
        session.execute(BIDS);
        String script = "SET 'trigger' = 'once';\nSELECT auction, prise\nFROM bids;";
        assertThatThrownBy(() -> session.execute(script))
                .isInstanceOf(BrookException.class)
                .hasMessage("line 2:17: column 'prise' not found; did you mean 'price'?\n"
                        + "SELECT auction, prise\n"
                        + "                ^");
        assertThatThrownBy(() -> session.execute("SELECT * FROM bid;"))
                .hasMessageStartingWith("line 1:15: no source, table or view named 'bid'; did you mean 'bids'?");
        assertThatThrownBy(() -> session.execute("\n  CREATE SOURCE s (a BIGNT) WITH (connector = 'rate');"))
                .hasMessageStartingWith("line 2:22: unknown type 'BIGNT'");
        assertThatThrownBy(() -> session.execute("CREATE SOURCE s WITH (connector = 'nexmark', evnts = '5');"))
                .hasMessageContaining("unknown option 'evnts' for the nexmark connector; did you mean 'events'?");
        // Sinks that take (almost) no options refuse a misspelt one too, when a query starts writing to them.
        session.execute("CREATE SINK shown WITH (connector = 'print', numRow = '5');");
        assertThatThrownBy(() -> session.execute("INSERT INTO shown SELECT * FROM bids;"))
                .hasMessageContaining("unknown option 'numRow' for the print connector; did you mean 'numRows'?");
        session.execute("CREATE SINK kept WITH (connector = 'memory', path = '/tmp/x');");
        assertThatThrownBy(() -> session.execute("INSERT INTO kept SELECT * FROM bids;"))
                .hasMessageContaining("unknown option 'path' for the memory connector");
        assertThatThrownBy(() -> session.execute("CREATE SOURCE s WITH (connector = 'kafak');"))
                .hasMessageContaining("unknown connector 'kafak'; did you mean 'kafka'?");
        assertThatThrownBy(() -> session.execute("SELECT 'unclosed FROM bids;"))
                .hasMessageStartingWith("line 1:8: string starting with ' is never closed");
        assertThatThrownBy(() -> session.execute("INSERT INTO nowhere SELECT * FROM bids;"))
                .hasMessageStartingWith("line 1:13: no sink named 'nowhere'");
        assertThatThrownBy(() -> session.execute(
                        "CREATE SOURCE e2 (`timestamp` TIMESTAMP, WATERMARK FOR `timestamp` AS `timestamp` * 2)"
                                + " WITH (connector = 'rate');"))
                .hasMessageContaining("AS takes timestamp or timestamp - INTERVAL 'n' SECOND");
        assertThatThrownBy(() -> session.execute("SET 'no.such' = 'x';"))
                .hasMessageContaining("unknown setting 'no.such'");
    }

    @Test
    void flinkTablesBecomeSourcesOrSinksByConnector() {
        session.execute("""
                CREATE TABLE gen (
                    event_type INT,
                    `dateTime` TIMESTAMP(3),
                    WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND
                ) WITH ('connector' = 'nexmark', 'events.num' = '100');
                CREATE TABLE discard (event_type INT) WITH ('connector' = 'blackhole');
                """);
        assertThat(rows(session.execute("SHOW SOURCES").get(0))).containsExactly("[gen,nexmark,event_type, dateTime]");
        assertThat(rows(session.execute("SHOW SINKS").get(0))).containsExactly("[discard,blackhole,event_type]");
        assertThatThrownBy(() -> session.execute("SELECT * FROM discard;"))
                .hasMessageContaining("no source, table or view named 'discard'");
    }

    @Test
    void partitionedByWritesAFileSinksRowsIntoPartitionDirectories() throws Exception {
        // Given: Brook's CREATE SINK and Flink's CREATE TABLE, both partitioned
        session.execute("SET 'trigger' = 'available-now';");
        session.execute(BIDS);
        Path brookForm = directory.resolve("brook");
        Path flinkForm = directory.resolve("flink");
        session.execute("CREATE SINK by_parity PARTITIONED BY (parity) WITH (connector = 'files', format = 'json',"
                + " path = '" + brookForm + "');");
        session.execute("CREATE TABLE by_parity_flink (auction BIGINT, parity BIGINT) PARTITIONED BY (parity) WITH"
                + " ('connector' = 'filesystem', 'format' = 'json', 'path' = 'file://" + flinkForm + "',"
                + " 'sink.partition-commit.policy.kind' = 'success-file',"
                + " 'sink.rolling-policy.file-size' = '128MB');");

        // When
        for (String sink : List.of("by_parity", "by_parity_flink")) {
            StreamingQuery query = session.execute(
                            "INSERT INTO " + sink + " SELECT auction, auction % 2 AS parity FROM bids;")
                    .get(0)
                    .query();
            assertThat(query.awaitTermination(30_000)).isTrue();
            assertThat(query.exception()).isNull();
        }

        // Then: a directory per parity, the files without it, each partition committed in the Flink table
        for (Path output : List.of(brookForm, flinkForm)) {
            try (var listing = Files.list(output)) {
                assertThat(listing.map(path -> path.getFileName().toString()).sorted())
                        .containsExactly("_brook_metadata", "parity=0", "parity=1");
            }
            try (var parts = Files.list(output.resolve("parity=1"))) {
                Path part = parts.filter(path -> path.getFileName().toString().startsWith("part-"))
                        .findFirst()
                        .orElseThrow();
                assertThat(Files.readString(part)).startsWith("{\"auction\":").doesNotContain("parity");
            }
        }
        assertThat(flinkForm.resolve("parity=0").resolve("_SUCCESS")).exists();
        assertThat(flinkForm.resolve("parity=1").resolve("_SUCCESS")).exists();
        assertThat(brookForm.resolve("parity=1").resolve("_SUCCESS")).doesNotExist();
        session.execute("CREATE TABLE back (auction BIGINT, parity INT) WITH (connector = 'files', format = 'json',"
                + " path = '" + brookForm + "');");
        assertThat(rows(session.execute("SELECT count(DISTINCT parity), count(*) > 0 FROM back")
                        .get(0)))
                .containsExactly("[2,true]");
        assertThat(rows(session.execute("SELECT count(*) FROM back WHERE auction % 2 <> parity")
                        .get(0)))
                .containsExactly("[0]");
    }

    @Test
    void partitionedByMistakesNameTheLineAndColumn() {
        String unknown = "CREATE TABLE t (a BIGINT, dt STRING) PARTITIONED BY (dx) WITH ('connector' = 'filesystem',"
                + " 'format' = 'json', 'path' = '/tmp/t');";
        assertThatThrownBy(() -> session.execute(unknown))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("line 1:" + (unknown.indexOf("dx") + 1)
                        + ": partition column 'dx' is not a column of t; did you mean 'dt'? (its columns: a, dt)");
        String twice = "CREATE TABLE t (a BIGINT, dt STRING)\nPARTITIONED BY (dt, dt) WITH ('connector' = 'filesystem',"
                + " 'format' = 'json', 'path' = '/tmp/t');";
        assertThatThrownBy(() -> session.execute(twice))
                .hasMessageStartingWith("line 2:21: partition column 'dt' is given twice");
        assertThatThrownBy(() -> session.execute(
                        "CREATE TABLE t (a BIGINT, dt STRING) PARTITIONED (dt) WITH" + " ('connector' = 'blackhole');"))
                .hasMessageStartingWith("line 1:50: expected BY");
        assertThatThrownBy(() -> session.execute(
                        "CREATE TABLE t (a BIGINT, dt STRING) PARTITIONED BY (dt) WITH ('connector' = 'blackhole');"))
                .hasMessage("line 1: t: PARTITIONED BY (dt) names the directories of the files connector; the blackhole"
                        + " connector has no partitions");
        assertThatThrownBy(() -> session.execute("CREATE TABLE t (auction BIGINT, dt STRING) PARTITIONED BY (dt) WITH"
                        + " ('connector' = 'filesystem', 'format' = 'json', 'path' = '" + directory.resolve("t") + "',"
                        + " 'sink.partition-commit.triger' = 'partition-time');"))
                .hasMessageContaining("unknown option 'sink.partition-commit.triger' for the filesystem connector; did"
                        + " you mean 'sink.partition-commit.trigger'?");
    }
}
