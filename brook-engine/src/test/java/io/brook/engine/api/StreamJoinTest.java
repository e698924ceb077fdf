package io.brook.engine.api;

import static io.brook.engine.api.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.stream.StreamingQueryProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stream–stream inner joins as Spark documents them (the ad impressions and clicks example): each pair comes out once,
 * in the batch where its later row arrives; with watermarks and a time range, buffered rows leave the state once no
 * future row can match them, and rows already past that point are dropped as late.
 */
class StreamJoinTest {
    private static final Schema IMPRESSIONS = Schema.of(
            new Field("adId", ColumnType.VARCHAR, false), new Field("impressionTime", ColumnType.TIMESTAMP, false));
    private static final Schema CLICKS = Schema.of(
            new Field("clickAdId", ColumnType.VARCHAR, false), new Field("clickTime", ColumnType.TIMESTAMP, false));

    private final Brook brook = Brook.local();

    @AfterEach
    void close() {
        brook.close();
    }

    private static Row at(String id, long seconds) {
        return Row.of(id, seconds * 1_000_000L);
    }

    @Test
    void pairsComeOutOnceAndTheWatermarkEmptiesTheState() throws Exception {
        // Given: each step adds to both streams, then runs what is available (so both land in one batch)
        MemoryStream impressions = MemoryStream.of(brook, IMPRESSIONS);
        MemoryStream clicks = MemoryStream.of(brook, CLICKS);
        Map<Long, List<String>> outputs = new TreeMap<>();
        java.nio.file.Path checkpoint = java.nio.file.Files.createTempDirectory("stream-join-");
        Dataset<Row> joined = impressions
                .toDF()
                .withWatermark("impressionTime", "10 seconds")
                .join(
                        clicks.toDF().withWatermark("clickTime", "20 seconds"),
                        expr("clickAdId = adId AND clickTime >= impressionTime"
                                + " AND clickTime <= impressionTime + INTERVAL '30' SECOND"));

        // When
        impressions.addData(at("a", 0), at("b", 5));
        clicks.addData(at("a", 10));
        runAvailable(joined, checkpoint, outputs); // batch 0; watermark min(5 - 10, 10 - 20) = -10: batch 1, no data
        clicks.addData(at("b", 20), at("a", 25));
        runAvailable(joined, checkpoint, outputs); // batch 2 joins the clicks with buffered impressions; batch 3
        impressions.addData(at("c", 100));
        clicks.addData(at("c", 110));
        runAvailable(joined, checkpoint, outputs); // batch 4; watermark 90: batch 5 evicts all but c
        clicks.addData(at("a", 29));
        StreamingQuery query = runAvailable(joined, checkpoint, outputs); // batch 6: the click's impressions are gone

        // Then
        synchronized (outputs) {
            assertThat(outputs)
                    .isEqualTo(Map.of(
                            0L, List.of("[a,0,a,10]"),
                            1L, List.of(),
                            2L, List.of("[a,0,a,25]", "[b,5,b,20]"),
                            3L, List.of(),
                            4L, List.of("[c,100,c,110]"),
                            5L, List.of(),
                            6L, List.of()));
        }
        StreamingQueryProgress last = query.lastProgress();
        assertThat(last.stateOperators())
                .extracting(StreamingQueryProgress.StateOperatorProgress::numRowsTotal)
                .containsExactly(1L, 1L);
        assertThat(last.stateOperators().get(0).numRowsDroppedByWatermark()).isEqualTo(1);
    }

    private static StreamingQuery runAvailable(
            Dataset<Row> joined, java.nio.file.Path checkpoint, Map<Long, List<String>> outputs) throws Exception {
        StreamingQuery query = joined.writeStream()
                .trigger(io.brook.engine.stream.Trigger.AvailableNow())
                .option("checkpointLocation", checkpoint.toString())
                .foreachBatch((batch, batchId) -> {
                    List<String> rows = new ArrayList<>();
                    for (Row row : batch.collectAsList()) {
                        rows.add("[" + row.get(0) + "," + ((Instant) row.get(1)).getEpochSecond() + "," + row.get(2)
                                + "," + ((Instant) row.get(3)).getEpochSecond() + "]");
                    }
                    rows.sort(null);
                    synchronized (outputs) {
                        outputs.put(batchId, rows);
                    }
                })
                .start();
        assertThat(query.awaitTermination(30_000)).isTrue();
        return query;
    }

    @Test
    void withoutWatermarksEveryRowStaysAndTheJoinedRowsAreWrittenInAppendModeOnly() throws Exception {
        // Given
        MemoryStream impressions = MemoryStream.of(brook, IMPRESSIONS);
        MemoryStream clicks = MemoryStream.of(brook, CLICKS);
        Dataset<Row> joined = impressions.toDF().join(clicks.toDF(), expr("adId = clickAdId"));
        List<Long> counts = new ArrayList<>();
        StreamingQuery query = joined.writeStream()
                .foreachBatch((batch, batchId) -> {
                    synchronized (counts) {
                        counts.add(batch.count());
                    }
                })
                .start();

        // When
        impressions.addData(at("a", 0));
        query.processAllAvailable();
        clicks.addData(at("a", 1000), at("a", 2000));
        query.processAllAvailable();
        impressions.addData(at("a", 3000));
        query.processAllAvailable();

        // Then
        synchronized (counts) {
            assertThat(counts).containsExactly(0L, 2L, 2L);
        }
        // The joined rows themselves have no key to update by (an aggregation of them may run in update mode).
        assertThatThrownBy(() -> joined.writeStream().outputMode("update").start())
                .hasMessage("a join of two streams supports only append output mode (as in Spark): a joined row, once"
                        + " out, never changes; use outputMode(\"append\"), or aggregate the joined rows");
    }
}
