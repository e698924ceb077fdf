package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Joins: bounded equi-joins of every supported type, and a stream joined with a static Dataset. */
class JoinTest {
    private static final Schema CLICKS = Schema.of(
            new Field("user", ColumnType.VARCHAR, false),
            new Field("page", ColumnType.BIGINT, true),
            new Field("ms", ColumnType.BIGINT, false));
    private static final Schema PAGES =
            Schema.of(new Field("page", ColumnType.BIGINT, false), new Field("title", ColumnType.VARCHAR, false));

    private final Brook brook = Brook.local();

    @AfterEach
    void close() {
        brook.close();
    }

    private Dataset<Row> clicks() {
        return brook.createDataFrame(
                List.of(
                        Row.of("ann", 1L, 10L),
                        Row.of("bob", 2L, 20L),
                        Row.of("cid", 9L, 30L),
                        Row.of("dee", null, 40L)),
                CLICKS);
    }

    private Dataset<Row> pages() {
        return brook.createDataFrame(
                List.of(Row.of(1L, "home"), Row.of(2L, "cart"), Row.of(2L, "basket"), Row.of(3L, "help")), PAGES);
    }

    @Test
    void anInnerJoinOnAColumnNameKeepsTheKeyOnceAndEveryMatch() {
        // When
        Dataset<Row> joined = clicks().join(pages(), "page");

        // Then
        assertThat(joined.columns()).containsExactly("page", "user", "ms", "title");
        assertThat(joined.orderBy(col("user"), col("title")).collectAsList())
                .containsExactly(
                        Row.of(1L, "ann", 10L, "home"),
                        Row.of(2L, "bob", 20L, "basket"),
                        Row.of(2L, "bob", 20L, "cart"));
    }

    @Test
    void leftAndRightOuterJoinsKeepTheirSideWithNullsAndNullKeysMatchNothing() {
        // When
        List<Row> left = clicks().join(pages(), List.of("page"), "left_outer")
                .orderBy(col("user"), col("title"))
                .collectAsList();
        List<Row> right = clicks().join(pages(), List.of("page"), "right")
                .orderBy(col("page"), col("title"))
                .collectAsList();

        // Then
        assertThat(left)
                .containsExactly(
                        Row.of(1L, "ann", 10L, "home"),
                        Row.of(2L, "bob", 20L, "basket"),
                        Row.of(2L, "bob", 20L, "cart"),
                        Row.of(9L, "cid", 30L, null),
                        Row.of(null, "dee", 40L, null));
        assertThat(right)
                .containsExactly(
                        Row.of(1L, "ann", 10L, "home"),
                        Row.of(2L, "bob", 20L, "basket"),
                        Row.of(2L, "bob", 20L, "cart"),
                        Row.of(3L, null, null, "help"));
    }

    @Test
    void aConditionJoinChecksItsExtraConditionAndAnOuterRowWithNoPassingMatchGetsNulls() {
        // Given
        Dataset<Row> clicks = clicks();
        Dataset<Row> pages = pages();

        // When
        List<Row> rows = clicks.join(
                        pages,
                        clicks.col("page")
                                .equalTo(pages.col("page"))
                                .and(pages.col("title").notEqual("cart")),
                        "left")
                .select(clicks.col("user"), col("title"))
                .orderBy(col("user"))
                .collectAsList();

        // Then
        assertThat(rows)
                .containsExactly(
                        Row.of("ann", "home"), Row.of("bob", "basket"), Row.of("cid", null), Row.of("dee", null));
    }

    @Test
    void unsupportedJoinsAreRefusedWithTheReason() {
        // Given
        Dataset<Row> clicks = clicks();
        Dataset<Row> pages = pages();
        Dataset<Row> stream = MemoryStream.of(brook, CLICKS).toDF();

        // When / Then
        assertThatThrownBy(() -> clicks.join(pages, List.of("page"), "full").collectAsList())
                .hasMessage("full join is not supported yet; use inner, left or right");
        assertThatThrownBy(() -> clicks.join(pages, col("page").equalTo(2L)))
                .hasMessage("column 'page' is on both sides of the join; name it as left.col(\"page\") or"
                        + " right.col(\"page\")");
        assertThatThrownBy(() -> clicks.join(pages, clicks.col("ms").gt(pages.col("page")))
                        .collectAsList())
                .hasMessageStartingWith("a join needs at least one equality between a column of each side");
        assertThatThrownBy(() -> clicks.join(pages, List.of("pgae")))
                .hasMessageStartingWith("join column 'pgae' not found on the left side; did you mean 'page'?");
        assertThatThrownBy(() -> stream.join(pages, List.of("page"), "right")
                        .writeStream()
                        .start())
                .hasMessage("right join is not supported between a stream and a static Dataset (as in Spark); with"
                        + " the stream on the left, use inner or left outer");
        assertThatThrownBy(() -> stream.join(stream.select("page"), List.of("page"), "left")
                        .writeStream()
                        .start())
                .hasMessage("left join of two streams is not supported yet; use an inner join");
    }

    @Test
    void aStreamJoinsAStaticDatasetInEveryBatch() throws Exception {
        // Given
        MemoryStream input = MemoryStream.of(brook, CLICKS);
        Map<Long, List<String>> outputs = new TreeMap<>();
        StreamingQuery query = input.toDF()
                .join(pages(), List.of("page"), "left")
                .writeStream()
                .foreachBatch((batch, batchId) -> {
                    List<String> rows = new ArrayList<>();
                    batch.collectAsList().forEach(row -> rows.add(row.toString()));
                    rows.sort(null);
                    synchronized (outputs) {
                        outputs.put(batchId, rows);
                    }
                })
                .start();

        // When
        input.addData(Row.of("ann", 1L, 10L), Row.of("cid", 9L, 30L));
        query.processAllAvailable();
        input.addData(Row.of("bob", 2L, 20L));
        query.processAllAvailable();

        // Then
        synchronized (outputs) {
            assertThat(outputs)
                    .isEqualTo(Map.of(
                            0L, List.of("[1,ann,10,home]", "[9,cid,30,null]"),
                            1L, List.of("[2,bob,20,basket]", "[2,bob,20,cart]")));
        }
    }
}
