package io.brook.engine.connector.jdbc;

import static io.brook.engine.api.functions.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.api.Brook;
import io.brook.engine.api.DataFrameWriter;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.MemoryStream;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC sink against a real PostgreSQL: what the tables hold afterwards, exactly once, and what is refused. */
class JdbcSinkTest {
    private static final Schema TYPED = Schema.of(
            new Field("id", ColumnType.INT, false),
            new Field("name", ColumnType.VARCHAR, true),
            new Field("big", ColumnType.BIGINT, true),
            new Field("score", ColumnType.DOUBLE, true),
            new Field("ok", ColumnType.BOOLEAN, true),
            new Field("day", ColumnType.DATE, true),
            new Field("at", ColumnType.TIMESTAMP, true),
            new Field("raw", ColumnType.VARBINARY, true));
    private static final Schema WORDS = Schema.of(new Field("word", ColumnType.VARCHAR, true));
    private static final Schema COUNTS =
            Schema.of(new Field("word", ColumnType.VARCHAR, false), new Field("count", ColumnType.BIGINT, false));
    private static final Schema NULLABLE_COUNTS =
            Schema.of(new Field("word", ColumnType.VARCHAR, true), new Field("count", ColumnType.BIGINT, true));

    private static TestPostgres postgres;

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();
    private final List<JdbcSink> sinks = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stop() {
        sessions.forEach(Brook::close);
        sinks.forEach(JdbcSink::close);
    }

    @Test
    void appendWritesEachRowOnceAndEveryTypeRoundTrips() throws Exception {
        // Given
        MemoryStream input = MemoryStream.of(session(), TYPED);
        StreamingQuery query = input.toDF()
                .writeStream()
                .format("jdbc")
                .option("url", postgres.url())
                .option("dbtable", "typed")
                .option("checkpointLocation", temp.resolve("typed").toString())
                .start();
        Row first = Row.of(1, "één", 1L << 40, 2.5, true, 19_700, 1_700_000_000_123_456L, new byte[] {0, -1, 7});
        Row nulls = Row.of(2, null, null, null, null, null, null, null);
        Row beforeEpoch = Row.of(3, "", -1L, -0.0, false, -1, -1_500_001L, new byte[0]);

        // When
        input.addData(first, nulls);
        query.processAllAvailable();
        input.addData(beforeEpoch);
        query.processAllAvailable();

        // Then: the table PostgreSQL holds, read back through the jdbc source
        List<Row> rows = session()
                .read()
                .format("jdbc")
                .option("url", postgres.url())
                .option("query", "select * from typed order by id")
                .load()
                .collectAsList();
        assertThat(rows)
                .containsExactly(
                        Row.of(
                                1,
                                "één",
                                1L << 40,
                                2.5,
                                true,
                                LocalDate.of(2023, 12, 9),
                                Instant.parse("2023-11-14T22:13:20.123456Z"),
                                new byte[] {0, -1, 7}),
                        nulls,
                        Row.of(
                                3,
                                "",
                                -1L,
                                -0.0,
                                false,
                                LocalDate.of(1969, 12, 31),
                                Instant.parse("1969-12-31T23:59:58.499999Z"),
                                new byte[0]));
        assertThat(sql("select to_char(\"at\" at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), \"day\"::text"
                        + " from typed where id = 1"))
                .containsExactly(List.of("2023-11-14 22:13:20.123456", "2023-12-09"));
        assertThat(sql("select column_name, data_type, is_nullable from information_schema.columns"
                        + " where table_name = 'typed' order by ordinal_position"))
                .containsExactly(
                        List.of("id", "integer", "NO"),
                        List.of("name", "text", "YES"),
                        List.of("big", "bigint", "YES"),
                        List.of("score", "double precision", "YES"),
                        List.of("ok", "boolean", "YES"),
                        List.of("day", "date", "YES"),
                        List.of("at", "timestamp with time zone", "YES"),
                        List.of("raw", "bytea", "YES"));
        assertThat(sql("select batch_id from brook_sink_commits where sink_id = 'typed@" + temp.resolve("typed") + "'"))
                .containsExactly(List.of("1"));
    }

    @Test
    void upsertInUpdateModeKeepsOneRowPerKeyWithTheLatestCount() throws Exception {
        // Given: a running count per word, written by key
        MemoryStream input = MemoryStream.of(session(), WORDS);
        StreamingQuery query = input.toDF()
                .groupBy("word")
                .agg(count("*").as("count"))
                .writeStream()
                .format("jdbc")
                .outputMode("update")
                .option("url", postgres.url())
                .option("dbtable", "word_counts")
                .option("mode", "upsert")
                .option("primaryKey", "word")
                .option("checkpointLocation", temp.resolve("counts").toString())
                .start();

        // When: three micro-batches, each changing some counts
        input.addData(Row.of("a"), Row.of("b"), Row.of("a"));
        query.processAllAvailable();
        input.addData(Row.of("b"), Row.of("c"));
        query.processAllAvailable();
        input.addData(Row.of("a"));
        query.processAllAvailable();

        // Then
        assertThat(sql("select word, \"count\" from word_counts order by word"))
                .containsExactly(List.of("a", "3"), List.of("b", "2"), List.of("c", "1"));
        assertThat(sql("select count(*) from information_schema.table_constraints"
                        + " where table_name = 'word_counts' and constraint_type = 'PRIMARY KEY'"))
                .containsExactly(List.of("1"));
    }

    @Test
    void upsertWithoutOnConflictUpdatesThenInserts() throws Exception {
        // Given: the dialect of databases other than PostgreSQL (UPDATE, then INSERT when no row was updated)
        JdbcSink sink = sink(
                options("generic_counts", "mode", "upsert", "primaryKey", "word"),
                COUNTS,
                Optional.of(new SqlDialect(false, "\"")));

        // When
        sink.addBatch(0, COUNTS, List.of(batch(COUNTS, List.of("a", 1L), List.of("b", 1L))));
        sink.addBatch(1, COUNTS, List.of(batch(COUNTS, List.of("a", 2L), List.of("c", 1L))));

        // Then
        assertThat(sql("select word, \"count\" from generic_counts order by word"))
                .containsExactly(List.of("a", "2"), List.of("b", "1"), List.of("c", "1"));
    }

    @Test
    void aBatchIdAlreadyCommittedIsSkipped() throws Exception {
        // Given
        JdbcSink sink = sink(options("twice"), COUNTS, Optional.empty());
        sink.addBatch(0, COUNTS, List.of(batch(COUNTS, List.of("a", 1L), List.of("b", 2L))));

        // When: batch 0 comes again (its engine commit was lost), then batch 1
        sink.addBatch(0, COUNTS, List.of(batch(COUNTS, List.of("a", 1L), List.of("b", 2L))));
        sink.addBatch(1, COUNTS, List.of(batch(COUNTS, List.of("c", 3L))));
        sink.addBatch(1, COUNTS, List.of(batch(COUNTS, List.of("c", 3L))));

        // Then
        assertThat(sql("select word, \"count\" from twice order by word"))
                .containsExactly(List.of("a", "1"), List.of("b", "2"), List.of("c", "3"));
    }

    @Test
    void aQueryRestartedAfterItsCommitWasLostWritesNothingTwice() throws Exception {
        // Given: batches 0 and 1 reached the table, but the process died before the engine wrote commits/1
        Path checkpoint = temp.resolve("restart");
        List<List<Row>> inputs = List.of(List.of(Row.of("a"), Row.of("b")), List.of(Row.of("c")));
        runAppend(checkpoint, inputs).stop();
        Files.delete(checkpoint.resolve("commits").resolve("1"));

        // When: the query restarts, re-runs batch 1 and runs a new batch 2
        runAppend(checkpoint, List.of(inputs.get(0), inputs.get(1), List.of(Row.of("d"))))
                .stop();

        // Then
        assertThat(sql("select word from restarted order by word"))
                .containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of("d"));
        assertThat(sql("select batch_id from brook_sink_commits where sink_id like 'restarted@%'"))
                .containsExactly(List.of("2"));
    }

    @Test
    void aFailingRowRollsBackItsWholeBatchAndTheBatchId() throws Exception {
        // Given: a table whose count may not be null, and a first batch written
        execute("create table strict (word text primary key, \"count\" bigint not null)");
        JdbcSink sink = sink(options("strict"), NULLABLE_COUNTS, Optional.empty());
        sink.addBatch(0, NULLABLE_COUNTS, List.of(batch(NULLABLE_COUNTS, List.of("a", 1L))));

        // When: batch 1 holds a good row, then one that breaks the constraint
        List<Batch> failing = List.of(batch(NULLABLE_COUNTS, List.of("b", 2L), Arrays.asList("c", null)));

        // Then: a clear error naming the table, and nothing of batch 1 in the database, its id included
        assertThatThrownBy(() -> sink.addBatch(1, NULLABLE_COUNTS, failing))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("jdbc sink failed to write batch 1 to table strict, and rolled it back:")
                .hasMessageContaining("null value in column \"count\"")
                .extracting(e -> ((BrookException) e).errorCode())
                .isEqualTo(ErrorCode.SINK_FAILED);
        assertThat(sql("select word, \"count\" from strict order by word")).containsExactly(List.of("a", "1"));
        assertThat(sql("select batch_id from brook_sink_commits where sink_id like 'strict@%'"))
                .containsExactly(List.of("0"));

        // And: the re-run batch 1, fixed, is written (the sink reconnects)
        sink.addBatch(1, NULLABLE_COUNTS, List.of(batch(NULLABLE_COUNTS, List.of("b", 2L), List.of("c", 3L))));
        assertThat(sql("select word, \"count\" from strict order by word"))
                .containsExactly(List.of("a", "1"), List.of("b", "2"), List.of("c", "3"));
    }

    @Test
    void aConnectionTheDatabaseDroppedIsOpenedAgain() throws Exception {
        // Given
        JdbcSink sink = sink(options("reconnected"), COUNTS, Optional.empty());
        sink.addBatch(0, COUNTS, List.of(batch(COUNTS, List.of("a", 1L))));

        // When: the server ends the sink's session while the query waits for data
        assertThat(sql("select pg_terminate_backend(pid) from pg_stat_activity"
                        + " where pid <> pg_backend_pid() and backend_type = 'client backend'"))
                .isNotEmpty();
        sink.addBatch(1, COUNTS, List.of(batch(COUNTS, List.of("b", 2L))));

        // Then
        assertThat(sql("select word, \"count\" from reconnected order by word"))
                .containsExactly(List.of("a", "1"), List.of("b", "2"));
    }

    @Test
    void completeModeReplacesTheTableEachBatch() throws Exception {
        // Given
        JdbcSink sink = sink(options("complete_counts"), COUNTS, Optional.empty(), true);

        // When
        sink.addBatch(0, COUNTS, List.of(batch(COUNTS, List.of("a", 1L), List.of("b", 1L))));
        sink.addBatch(1, COUNTS, List.of(batch(COUNTS, List.of("a", 2L))));

        // Then
        assertThat(sql("select word, \"count\" from complete_counts")).containsExactly(List.of("a", "2"));
    }

    @Test
    void anExistingTableIsMatchedIgnoringCaseAndMissingColumnsAreNamed() throws Exception {
        // Given: PostgreSQL folds the unquoted WORD to word
        execute("create table folded (WORD text, extra int)");

        // When
        Schema capitalised = Schema.of(new Field("Word", ColumnType.VARCHAR, true));
        JdbcSink sink = sink(options("folded"), capitalised, Optional.empty());
        sink.addBatch(0, capitalised, List.of(batch(capitalised, List.of("x"))));

        // Then
        assertThat(sql("select word, extra from folded")).containsExactly(Arrays.asList("x", null));
        assertThatThrownBy(() -> sink(options("folded"), COUNTS, Optional.empty()))
                .isInstanceOf(BrookException.class)
                .hasMessage("table folded has no column [count] of the query's output; its columns are [word, extra]:"
                        + " add the columns to the table or leave them out of the query");
    }

    @Test
    void aMissingTableIsRefusedWithoutCreateTable() {
        assertThatThrownBy(() -> sink(options("absent", "createTable", "false"), COUNTS, Optional.empty()))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("jdbc sink cannot read table absent (")
                .hasMessageContaining("relation \"absent\" does not exist")
                .hasMessageEndingWith("); create it, or leave option createTable true to have it created");
    }

    @Test
    void aBoundedWriteFollowsItsSaveMode() throws Exception {
        // Given
        Brook brook = session();
        Dataset<Row> first = brook.createDataFrame(List.of(Row.of("a", 1L), Row.of("b", 1L)), COUNTS);
        Dataset<Row> second = brook.createDataFrame(List.of(Row.of("a", 2L), Row.of("c", 1L)), COUNTS);

        // When: created, then appended to, upserted into, ignored and overwritten
        save(first, "errorifexists", "mode", "append");
        save(second, "append", "mode", "append");
        List<List<String>> appended = sql("select word, \"count\" from saved order by word, \"count\"");
        save(second, "ignore", "mode", "append");
        save(first, "overwrite", "mode", "append");
        List<List<String>> overwritten = sql("select word, \"count\" from saved order by word");

        // Then
        assertThat(appended)
                .containsExactly(List.of("a", "1"), List.of("a", "2"), List.of("b", "1"), List.of("c", "1"));
        assertThat(overwritten).containsExactly(List.of("a", "1"), List.of("b", "1"));
        assertThatThrownBy(() -> save(first, "errorifexists", "mode", "append"))
                .isInstanceOf(BrookException.class)
                .hasMessage("table saved already exists; use mode(\"append\") to add the rows to it,"
                        + " mode(\"overwrite\") to replace its rows or mode(\"ignore\") to leave it as it is");
        assertThatThrownBy(() -> first.write().format("jdbc").save("/some/path"))
                .hasMessage("the jdbc format writes to option dbtable and takes no path; got '/some/path': use save()");
        assertThatThrownBy(() -> first.write()
                        .format("jdbc")
                        .option("url", postgres.url())
                        .option("dbtable", "saved")
                        .option("sinkId", "s")
                        .save())
                .hasMessage("unknown option 'sinkId' for the jdbc write(); it takes [batchsize, createTable, dbtable,"
                        + " driver, mode, password, primaryKey, url, user] (driver properties go in the url)");
    }

    @Test
    void aBoundedWriteMayUpsertByKey() throws Exception {
        // Given
        Brook brook = session();
        save(
                brook.createDataFrame(List.of(Row.of("a", 1L), Row.of("b", 1L)), COUNTS),
                "append",
                "mode",
                "upsert",
                "primaryKey",
                "word",
                "dbtable",
                "saved_by_key");

        // When
        save(
                brook.createDataFrame(List.of(Row.of("a", 5L), Row.of("c", 1L)), COUNTS),
                "append",
                "mode",
                "upsert",
                "primaryKey",
                "word",
                "dbtable",
                "saved_by_key");

        // Then
        assertThat(sql("select word, \"count\" from saved_by_key order by word"))
                .containsExactly(List.of("a", "5"), List.of("b", "1"), List.of("c", "1"));
    }

    private static void save(Dataset<Row> rows, String saveMode, String... options) {
        DataFrameWriter writer = rows.write().format("jdbc").mode(saveMode).option("url", postgres.url());
        writer.option("dbtable", "saved");
        for (int i = 0; i < options.length; i += 2) {
            writer.option(options[i], options[i + 1]);
        }
        writer.save();
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertRefused(
                Map.of("dbtable", "t"),
                "the jdbc sink needs option url, e.g. \"jdbc:postgresql://localhost:5432/mydb\"");
        assertRefused(
                Map.of("url", "postgres://x", "dbtable", "t"),
                "option url of the jdbc sink must start with 'jdbc:'; got 'postgres://x'");
        assertRefused(Map.of("url", postgres.url()), "the jdbc sink needs option dbtable, the table to write to");
        assertRefused(
                Map.of("url", postgres.url(), "dbtable", "t", "mode", "merge"),
                "option mode of the jdbc sink must be append or upsert; got 'merge'");
        assertRefused(
                Map.of("url", postgres.url(), "dbtable", "t", "mode", "upsert"),
                "mode upsert of the jdbc sink needs option primaryKey, the comma-separated columns that identify a row,"
                        + " e.g. \"word\"");
        assertRefused(
                Map.of("url", postgres.url(), "dbtable", "t", "mode", "upsert", "primaryKey", "word,wrod"),
                "primaryKey column 'wrod' is not a column of the query's output; columns: [word, count]");
        assertRefused(
                Map.of("url", postgres.url(), "dbtable", "t", "table", "t"),
                "unknown option 'table' for the jdbc sink; it takes [batchsize, checkpointLocation, createTable, dbtable,"
                        + " driver, mode, password, primaryKey, sinkId, url, user] (driver properties go in the url)");
        assertRefused(
                Map.of("url", postgres.url(), "dbtable", "t"),
                "the jdbc sink needs option(\"checkpointLocation\", <directory>) so that the query can resume exactly"
                        + " once after a restart");
        assertRefused(
                Map.of("url", postgres.url(), "dbtable", "t", "sinkId", "s", "driver", "com.example.MissingDriver"),
                "JDBC driver class 'com.example.MissingDriver' (option driver) is not on the class path; add the"
                        + " driver's jar");
        assertRefused(
                Map.of("url", "jdbc:nosuch:db", "dbtable", "t", "sinkId", "s"),
                "cannot connect to jdbc:nosuch:db: No suitable driver found for jdbc:nosuch:db (SQL state 08001)");
        assertThatThrownBy(() -> JdbcSink.create(
                        Map.of("url", postgres.url(), "dbtable", "t", "sinkId", "s"),
                        Schema.of(Field.array("tags", ColumnType.VARCHAR, true)),
                        false))
                .isInstanceOf(BrookException.class)
                .hasMessage("column 'tags' is ARRAY<VARCHAR>; the jdbc sink writes only BOOLEAN, INT, BIGINT, DOUBLE,"
                        + " VARCHAR, VARBINARY, DATE and TIMESTAMP columns: drop it or turn it into a string, e.g. with"
                        + " to_json");
    }

    @Test
    void theFormatIsChosenByWriteStream() {
        // An unknown sink format lists jdbc among those supported
        MemoryStream input = MemoryStream.of(session(), WORDS);
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("jdbc")
                        .option("dbtable", "t")
                        .start())
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("the jdbc sink needs option url");
    }

    private static void assertRefused(Map<String, String> options, String message) {
        assertThatThrownBy(() -> JdbcSink.create(options, COUNTS, false))
                .isInstanceOf(BrookException.class)
                .hasMessage(message);
    }

    private StreamingQuery runAppend(Path checkpoint, List<List<Row>> inputs) throws Exception {
        MemoryStream input = MemoryStream.of(session(), WORDS);
        for (List<Row> rows : inputs) {
            input.addData(rows);
        }
        StreamingQuery query = input.toDF()
                .writeStream()
                .format("jdbc")
                .option("url", postgres.url())
                .option("dbtable", "restarted")
                .option("checkpointLocation", checkpoint.toString())
                .option("maxFilesPerTrigger", "1")
                .start();
        query.processAllAvailable();
        return query;
    }

    private Map<String, String> options(String table, String... more) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", postgres.url());
        options.put("dbtable", table);
        options.put("checkpointLocation", temp.resolve(table).toString());
        for (int i = 0; i < more.length; i += 2) {
            options.put(more[i], more[i + 1]);
        }
        return options;
    }

    private JdbcSink sink(Map<String, String> options, Schema schema, Optional<SqlDialect> dialect) {
        return sink(options, schema, dialect, false);
    }

    private JdbcSink sink(Map<String, String> options, Schema schema, Optional<SqlDialect> dialect, boolean complete) {
        JdbcSink sink = JdbcSink.create(options, schema, complete, dialect);
        sinks.add(sink);
        return sink;
    }

    private Brook session() {
        Brook brook = Brook.local();
        sessions.add(brook);
        return brook;
    }

    private static Batch batch(Schema schema, List<?>... rows) {
        Column[] columns = new Column[schema.size()];
        for (int column = 0; column < columns.length; column++) {
            ColumnBuilder builder = new ColumnBuilder(schema.field(column), rows.length);
            for (List<?> row : rows) {
                builder.appendObject(row.get(column));
            }
            columns[column] = builder.build();
        }
        return Batch.of(schema, columns);
    }

    private static void execute(String statement) throws SQLException {
        try (Connection connection = postgres.connect();
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    /** The rows of a query, each value as PostgreSQL's text (or null). */
    private static List<List<String>> sql(String query) throws SQLException {
        try (Connection connection = postgres.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            ResultSetMetaData metadata = result.getMetaData();
            List<List<String>> rows = new ArrayList<>();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= metadata.getColumnCount(); column++) {
                    row.add(result.getString(column));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
