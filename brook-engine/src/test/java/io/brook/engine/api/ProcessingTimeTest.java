package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.expr;
import static io.brook.engine.api.functions.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.stream.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processing time: {@code PROCTIME()} (and {@code CURRENT_TIMESTAMP}, {@code NOW()}) is the time the micro-batch was
 * triggered at, and windows over it close once a micro-batch starts after their end, with data or without. Time is a
 * manual clock; each step sets it, adds rows and runs the query once with {@code availableNow} from the same
 * checkpoint (so every step also restarts the query from its checkpoint).
 */
class ProcessingTimeTest {
    private static final Schema WORDS = Schema.of(new Field("word", ColumnType.VARCHAR, false));
    private static final long SECOND = 1000;

    @TempDir
    Path temp;

    private final AtomicLong clock = new AtomicLong();
    private final List<Brook> sessions = new ArrayList<>();

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    private Brook session() {
        Brook brook = Brook.builder().clock(clock::get).getOrCreate();
        sessions.add(brook);
        return brook;
    }

    /** A query over one stream, run step by step, each step at a clock time with the rows added then. */
    private final class Steps {
        final MemoryStream input;
        final Function<Dataset<Row>, Dataset<Row>> query;
        final String outputMode;
        final Path checkpoint = temp.resolve("checkpoint");
        final Map<Long, List<String>> outputs = new TreeMap<>();

        Steps(Function<Dataset<Row>, Dataset<Row>> query, String outputMode) {
            this.input = MemoryStream.of(session(), WORDS);
            this.query = query;
            this.outputMode = outputMode;
        }

        void at(long millis, String... words) throws Exception {
            clock.set(millis);
            List<Row> rows = new ArrayList<>();
            for (String word : words) {
                rows.add(Row.of(word));
            }
            if (!rows.isEmpty()) {
                input.addData(rows);
            }
            StreamingQuery running = query.apply(input.toDF())
                    .writeStream()
                    .outputMode(outputMode)
                    .trigger(Trigger.AvailableNow())
                    .option("checkpointLocation", checkpoint.toString())
                    .foreachBatch((batch, batchId) -> {
                        synchronized (outputs) {
                            outputs.put(
                                    batchId,
                                    batch.collectAsList().stream()
                                            .map(Row::toString)
                                            .sorted()
                                            .toList());
                        }
                    })
                    .start();
            assertThat(running.awaitTermination(30_000)).isTrue();
            assertThat(running.exception()).isNull();
        }

        Map<Long, List<String>> outputs() {
            synchronized (outputs) {
                return new TreeMap<>(outputs);
            }
        }
    }

    private static Dataset<Row> countPerWindow(Dataset<Row> words) {
        return words.withColumn("t", expr("PROCTIME()"))
                .groupBy(window(col("t"), "10 seconds"), col("word"))
                .count()
                .selectExpr("CAST(window_start AS VARCHAR) AS window_start", "word", "`count`");
    }

    @Test
    void processingTimeWindowsCloseWhenABatchStartsAfterTheirEnd() throws Exception {
        Steps steps = new Steps(ProcessingTimeTest::countPerWindow, "append");
        steps.at(1 * SECOND, "a", "b");
        steps.at(5 * SECOND, "a");
        // Batches 0 and 1 ran inside [0 s, 10 s): nothing is final yet.
        assertThat(steps.outputs())
                .containsOnlyKeys(0L, 1L)
                .allSatisfy((batch, rows) -> assertThat(rows).isEmpty());
        steps.at(12 * SECOND, "a");
        assertThat(steps.outputs().get(2L)).containsExactly("[1970-01-01 00:00:00,a,2]", "[1970-01-01 00:00:00,b,1]");
        // No data, but the processing time has passed the end of [10 s, 20 s): a batch without data emits it.
        steps.at(25 * SECOND);
        assertThat(steps.outputs()).containsKey(3L);
        assertThat(steps.outputs().get(3L)).containsExactly("[1970-01-01 00:00:10,a,1]");
        // Still no data, and no window has ended since: no batch at all.
        steps.at(29 * SECOND);
        assertThat(steps.outputs()).doesNotContainKey(4L);
    }

    @Test
    void aWindowEndingExactlyAtABatchsStartClosesAtTheNextBatch() throws Exception {
        Steps steps = new Steps(ProcessingTimeTest::countPerWindow, "append");
        steps.at(9 * SECOND, "a");
        // The processing-time watermark is just below a batch's start (a batch in the same millisecond would have
        // rows at that very time), so [0 s, 10 s) stays open in the batch that starts at 10 s...
        steps.at(10 * SECOND, "b");
        assertThat(steps.outputs().values().stream().flatMap(List::stream)).isEmpty();
        // ...and closes in the next one, a batch without data one millisecond later.
        steps.at(10 * SECOND + 1);
        assertThat(steps.outputs().get(2L)).containsExactly("[1970-01-01 00:00:00,a,1]");
    }

    @Test
    void currentTimestampIsTheBatchsProcessingTime() throws Exception {
        Steps steps = new Steps(
                words -> words.selectExpr(
                        "word",
                        "CAST(PROCTIME() AS VARCHAR) AS p",
                        "CAST(CURRENT_TIMESTAMP AS VARCHAR) AS c",
                        "CAST(NOW() AS VARCHAR) AS n",
                        "CAST(CURRENT_DATE AS VARCHAR) AS d"),
                "append");
        steps.at(86_400 * SECOND + 1_500, "a", "b");
        steps.at(86_400 * SECOND + 2_000, "c");
        assertThat(steps.outputs())
                .isEqualTo(Map.of(
                        0L,
                        List.of(
                                "[a,1970-01-02 00:00:01.5,1970-01-02 00:00:01.5,1970-01-02 00:00:01.5,1970-01-02]",
                                "[b,1970-01-02 00:00:01.5,1970-01-02 00:00:01.5,1970-01-02 00:00:01.5,1970-01-02]"),
                        1L,
                        List.of("[c,1970-01-02 00:00:02,1970-01-02 00:00:02,1970-01-02 00:00:02,1970-01-02]")));
    }

    @Test
    void aBoundedQuerysProcessingTimeIsWhenItRan() {
        Brook brook = session();
        long before = System.currentTimeMillis();
        List<Row> rows = brook.createDataFrame(List.of(Row.of("a"), Row.of("b")), WORDS)
                .withColumn("t", expr("PROCTIME()"))
                .groupBy(window(col("t"), "10 seconds"))
                .count()
                .collectAsList();
        long after = System.currentTimeMillis();
        assertThat(rows).hasSize(1);
        long start = ((java.time.Instant) rows.get(0).get(0)).toEpochMilli();
        assertThat(start).isBetween(before - before % 10_000 - 10_000, after);
        assertThat(rows.get(0).get(2)).isEqualTo(2L);
    }
}
