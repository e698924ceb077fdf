package io.brook.engine.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.api.Brook;
import io.brook.engine.api.DataFrameReader;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.MemoryStream;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bounded reads of a real PostgreSQL: the schema from the result's metadata, the rows as they are at each run. */
class JdbcSourceTest {
    private static TestPostgres postgres;

    private final Brook brook = Brook.local();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
        execute("create table lookup (id integer primary key, name varchar(20), price real, big bigint, flag boolean,"
                + " born date, seen timestamp, stamped timestamptz, raw bytea, small smallint, code char(2))");
        execute("insert into lookup values"
                + " (1, 'one', 1.5, 10000000000, true, '2024-02-29', '2024-03-01 12:00:00.000001',"
                + " '2024-03-01 12:00:00+02', '\\x00ff', 7, 'ab'),"
                + " (2, null, null, null, null, null, null, null, null, null, null)");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void closeSession() {
        brook.close();
    }

    @Test
    void aTableIsReadWithTheSchemaOfItsColumns() {
        // When
        Dataset<Row> lookup = read().option("dbtable", "lookup").load();

        // Then
        assertThat(lookup.schema())
                .isEqualTo(Schema.of(
                        new Field("id", ColumnType.INT, true),
                        new Field("name", ColumnType.VARCHAR, true),
                        new Field("price", ColumnType.DOUBLE, true),
                        new Field("big", ColumnType.BIGINT, true),
                        new Field("flag", ColumnType.BOOLEAN, true),
                        new Field("born", ColumnType.DATE, true),
                        new Field("seen", ColumnType.TIMESTAMP, true),
                        new Field("stamped", ColumnType.TIMESTAMP, true),
                        new Field("raw", ColumnType.VARBINARY, true),
                        new Field("small", ColumnType.INT, true),
                        new Field("code", ColumnType.VARCHAR, true)));
        assertThat(lookup.orderBy("id").collectAsList())
                .containsExactly(
                        Row.of(
                                1,
                                "one",
                                1.5,
                                10_000_000_000L,
                                true,
                                LocalDate.of(2024, 2, 29),
                                Instant.parse("2024-03-01T12:00:00.000001Z"),
                                Instant.parse("2024-03-01T10:00:00Z"),
                                new byte[] {0, -1},
                                7,
                                "ab"),
                        Row.of(2, null, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void aQueryOrAParenthesisedDbtableIsReadAsItsResult() {
        // When
        Dataset<Row> query = read().option(
                        "query", "select id, upper(name) as shout from lookup where name is not null")
                .load();
        Dataset<Row> subquery = read().option("dbtable", "(select count(*) as n from lookup) q")
                .option("fetchsize", "1")
                .load();

        // Then
        assertThat(query.schema().names()).containsExactly("id", "shout");
        assertThat(query.collectAsList()).containsExactly(Row.of(1, "ONE"));
        assertThat(subquery.collectAsList()).containsExactly(Row.of(2L));
    }

    @Test
    void eachRunReadsTheRowsAsTheyAreNowInBatchesOfFetchsize() throws Exception {
        // Given
        execute("create table growing (id bigint)");
        execute("insert into growing select generate_series(1, 5)");
        Dataset<Row> growing =
                read().option("dbtable", "growing").option("fetchsize", "2").load();
        long before = growing.count();

        // When
        execute("insert into growing values (6)");

        // Then
        assertThat(before).isEqualTo(5);
        assertThat(growing.orderBy("id").collectAsList())
                .containsExactly(Row.of(1L), Row.of(2L), Row.of(3L), Row.of(4L), Row.of(5L), Row.of(6L));
    }

    @Test
    void aStreamJoinedToATableSeesTheTableAsItIsAtEachBatch() throws Exception {
        // Given: a stream of ids looked up in a table
        execute("create table names (id integer, name text)");
        execute("insert into names values (1, 'one')");
        MemoryStream ids = MemoryStream.of(brook, Schema.of(new Field("id", ColumnType.INT, true)));
        StreamingQuery query = ids.toDF()
                .join(read().option("dbtable", "names").load(), "id")
                .writeStream()
                .format("memory")
                .queryName("named")
                .start();
        ids.addData(Row.of(1));
        query.processAllAvailable();

        // When: the table changes between two batches
        execute("update names set name = 'uno' where id = 1");
        ids.addData(Row.of(1));
        query.processAllAvailable();

        // Then
        assertThat(brook.table("named").collectAsList()).containsExactly(Row.of(1, "one"), Row.of(1, "uno"));
    }

    @Test
    void aTableWhoseColumnsChangedAfterTheDatasetWasMadeIsRefused() throws Exception {
        // Given
        execute("create table changing (id integer)");
        Dataset<Row> changing = read().option("dbtable", "changing").load();

        // When
        execute("alter table changing add column name text");

        // Then
        assertThatThrownBy(changing::collectAsList)
                .isInstanceOf(BrookException.class)
                .hasMessage("the columns of changing changed since the Dataset was made: they were [id INT] and are now"
                        + " [id INT, name VARCHAR]; make the Dataset again");
    }

    @Test
    void aColumnOfATypeBrookCannotReadIsRefusedNamingIt() throws Exception {
        assertThatThrownBy(() ->
                        read().option("query", "select 1.5::numeric as amount").load())
                .isInstanceOf(BrookException.class)
                .hasMessage("column 'amount' of query has SQL type numeric, which Brook cannot read; it reads booleans,"
                        + " integers, floating point, text, binary, dates and timestamps: cast it in option query, e.g."
                        + " cast(amount as double precision) or cast(amount as text)")
                .extracting(e -> ((BrookException) e).errorCode())
                .isEqualTo(ErrorCode.UNSUPPORTED_OPERATION);
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(
                        () -> brook.read().format("jdbc").option("dbtable", "t").load())
                .hasMessage("the jdbc source needs option url, e.g. \"jdbc:postgresql://localhost:5432/mydb\"");
        assertThatThrownBy(() -> read().load())
                .hasMessage("the jdbc source needs option dbtable (a table, or \"(select ...) q\") or option query (a"
                        + " select)");
        assertThatThrownBy(() -> read().option("dbtable", "t")
                        .option("query", "select 1")
                        .load())
                .hasMessage("the jdbc source takes option dbtable or option query, not both; got dbtable 't' and query"
                        + " 'select 1'");
        assertThatThrownBy(() -> read().option("table", "t").load())
                .hasMessage(
                        "unknown option 'table' for the jdbc source; it takes [dbtable, driver, fetchsize, password,"
                                + " query, url, user] (driver properties go in the url)");
        assertThatThrownBy(() -> read().option("dbtable", "t").load("/some/path"))
                .hasMessage("the jdbc format reads option dbtable or option query with the database's own column"
                        + " types; it takes no path and no schema(...)");
        assertThatThrownBy(() -> read().option("dbtable", "missing").load())
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("jdbc source cannot read the columns of missing: ")
                .hasMessageContaining("relation \"missing\" does not exist");
    }

    private DataFrameReader read() {
        return brook.read().format("jdbc").option("url", postgres.url());
    }

    private static void execute(String statement) throws SQLException {
        try (Connection connection = postgres.connect();
                Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
