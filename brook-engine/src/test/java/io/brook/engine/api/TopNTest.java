package io.brook.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) ... WHERE rn <= N} over a stream, in update mode: after each
 * micro-batch the memory sink, which keeps the latest row per (partition key, row number), holds each partition's
 * first N rows with their numbers, as the same SQL over all rows so far does as a bounded query, and as computed here.
 */
class TopNTest {
    private static final Schema BIDS = Schema.of(
            new Field("auction", ColumnType.VARCHAR, false),
            new Field("bidder", ColumnType.VARCHAR, false),
            new Field("price", ColumnType.BIGINT, false));

    private static final String TOP_TWO = "SELECT auction, bidder, price, rn FROM (SELECT *, ROW_NUMBER() OVER"
            + " (PARTITION BY auction ORDER BY price DESC) AS rn FROM bids) WHERE rn <= 2";

    /** Bids that enter the top two at the top (x: 7 after 5), in the middle (y: 4 between 6 and 3), or not at all. */
    private static final List<List<Row>> BATCHES = List.of(
            List.of(Row.of("x", "ann", 5L), Row.of("x", "bob", 3L), Row.of("y", "ann", 6L)),
            List.of(Row.of("x", "cid", 7L), Row.of("y", "bob", 3L)),
            List.of(Row.of("x", "dan", 1L), Row.of("y", "cid", 4L)),
            List.of(Row.of("y", "dan", 6L), Row.of("z", "ann", 2L)));

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    private Brook session(String stateStore) {
        Brook brook = Brook.builder()
                .config("brook.state.store", stateStore)
                .config("brook.sql.shuffle.partitions", "2")
                .getOrCreate();
        sessions.add(brook);
        return brook;
    }

    /** Each auction's two highest bids (the earlier of equal ones first), numbered. */
    private static List<String> expected(List<Row> bids) {
        Map<String, List<Row>> byAuction = new TreeMap<>();
        for (Row bid : bids) {
            byAuction
                    .computeIfAbsent((String) bid.get(0), k -> new ArrayList<>())
                    .add(bid);
        }
        List<String> expected = new ArrayList<>();
        byAuction.forEach((auction, list) -> {
            List<Row> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing((Row bid) -> (Long) bid.get(2)).reversed());
            for (int i = 0; i < Math.min(2, sorted.size()); i++) {
                Row bid = sorted.get(i);
                expected.add(
                        Row.of(bid.get(0), bid.get(1), bid.get(2), (long) i + 1).toString());
            }
        });
        expected.sort(null);
        return expected;
    }

    private static List<String> sorted(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().toList();
    }

    private static StreamingQuery start(Brook brook, MemoryStream input, String sql, String mode, Path checkpoint) {
        input.toDF().createOrReplaceTempView("bids");
        DataStreamWriter writer =
                brook.sql(sql).writeStream().outputMode(mode).format("memory").queryName("top");
        if (checkpoint != null) {
            writer = writer.option("checkpointLocation", checkpoint.toString());
        }
        return writer.start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void eachPartitionsFirstRowsAreRenumberedAsBetterRowsCome(String stateStore) throws Exception {
        // Given
        Brook brook = session(stateStore);
        MemoryStream input = MemoryStream.of(brook, BIDS);
        StreamingQuery query = start(brook, input, TOP_TWO, "update", null);
        List<Row> seen = new ArrayList<>();

        for (List<Row> batch : BATCHES) {
            // When
            input.addData(batch);
            query.processAllAvailable();
            seen.addAll(batch);

            // Then
            assertThat(sorted(brook.table("top").collectAsList()))
                    .as("after %s rows", seen.size())
                    .isEqualTo(expected(seen));
            try (Brook bounded = Brook.local()) {
                bounded.createDataFrame(seen, BIDS).createOrReplaceTempView("bids");
                assertThat(sorted(bounded.sql(TOP_TWO).collectAsList())).isEqualTo(expected(seen));
            }
        }
        // y: ann 6 stays first, dan's 6 came later so ranks after it, cid's 4 drops out
        assertThat(sorted(brook.table("top").collectAsList()))
                .containsExactly("[x,ann,5,2]", "[x,cid,7,1]", "[y,ann,6,1]", "[y,dan,6,2]", "[z,ann,2,1]");
    }

    @Test
    void withoutItsRowNumberATopNsRowsAreToldApartByTheirValues() throws Exception {
        // Given: the first two bids of each auction, not numbered
        String sql = "SELECT auction, bidder, price FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY"
                + " price DESC) AS rn FROM bids) WHERE rn <= 2";
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, BIDS);
        StreamingQuery query = start(brook, input, sql, "update", null);

        // When
        for (List<Row> batch : BATCHES) {
            input.addData(batch);
            query.processAllAvailable();
        }

        // Then: the bids that fell out are gone
        assertThat(sorted(brook.table("top").collectAsList()))
                .containsExactly("[x,ann,5]", "[x,cid,7]", "[y,ann,6]", "[y,dan,6]", "[z,ann,2]");
    }

    @Test
    void aRestartedTopNRanksNewRowsAgainstTheCheckpointedOnes() throws Exception {
        // Given: two micro-batches run, then the query stops
        Path checkpoint = temp.resolve("top");
        Brook first = session("rocksdb");
        MemoryStream input = MemoryStream.of(first, BIDS);
        StreamingQuery query = start(first, input, TOP_TWO, "update", checkpoint);
        for (List<Row> batch : BATCHES.subList(0, 2)) {
            input.addData(batch);
            query.processAllAvailable();
        }
        query.stop();

        // When: a new session resumes, and the rest of the bids come
        Brook second = session("rocksdb");
        MemoryStream resumedInput = MemoryStream.of(second, BIDS);
        resumedInput.addData(BATCHES.get(0));
        resumedInput.addData(BATCHES.get(1));
        StreamingQuery resumed = start(second, resumedInput, TOP_TWO, "update", checkpoint);
        for (List<Row> batch : BATCHES.subList(2, BATCHES.size())) {
            resumedInput.addData(batch);
            resumed.processAllAvailable();
        }

        // Then: the partitions the new bids changed come out whole, ranked with the bids before the restart
        assertThat(resumed.lastProgress().batchId()).isEqualTo(3);
        assertThat(sorted(second.table("top").collectAsList()))
                .containsExactly("[y,ann,6,1]", "[y,dan,6,2]", "[z,ann,2,1]");
    }

    @Test
    void aTopNOverAStreamRunsInUpdateModeOverRowsThatNeverChange() {
        // Given
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, BIDS);

        // When, then
        assertThatThrownBy(() -> start(brook, input, TOP_TWO, "append", null))
                .isInstanceOfSatisfying(
                        BrookException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_IN_STREAMING))
                .hasMessage("a Top-N over a stream (ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) with a filter on"
                        + " the row number) supports only update output mode: a partition's first rows change as"
                        + " better rows come; use outputMode(\"update\")");
        assertThatThrownBy(() -> start(
                        brook,
                        input,
                        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY n DESC) AS rn"
                                + " FROM (SELECT auction, count(*) AS n FROM bids GROUP BY auction)) WHERE rn <= 1",
                        "update",
                        null))
                .hasMessage("a Top-N over a stream cannot rank the rows of a streaming aggregation yet: they change"
                        + " from batch to batch; rank the stream's own rows, or the rows of a join of streams");
        assertThatThrownBy(() -> start(
                        brook,
                        input,
                        "SELECT auction, count(*) FROM (" + TOP_TWO + ") GROUP BY auction",
                        "update",
                        null))
                .hasMessage("the rows of a Top-N over a stream (ROW_NUMBER ... with a filter on the row number) cannot"
                        + " feed another stateful operator yet: they change as better rows come; write them to a"
                        + " sink");
    }
}
