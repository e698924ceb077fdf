package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.collect_list;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.stream.StreamingQueryProgress;
import io.brook.engine.stream.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streaming queries over memory streams: output modes, refusals, triggers, progress, and restarts from checkpoints. */
class StreamingQueryTest {
    private static final Schema WORDS =
            Schema.of(new Field("word", ColumnType.VARCHAR, false), new Field("n", ColumnType.BIGINT, false));

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();

    private Brook session(String stateStore) {
        Brook brook = Brook.builder().config("brook.state.store", stateStore).getOrCreate();
        sessions.add(brook);
        return brook;
    }

    @AfterEach
    void stopQueries() {
        sessions.forEach(Brook::close);
    }

    /** Each batch's output, by batch id, as foreachBatch saw it (sorted rows, so order inside a batch is free). */
    private static final class Outputs {
        final Map<Long, List<String>> batches = new TreeMap<>();

        synchronized void add(Dataset<Row> batch, long batchId) {
            batches.put(
                    batchId,
                    batch.collectAsList().stream().map(Row::toString).sorted().toList());
        }

        synchronized Map<Long, List<String>> snapshot() {
            return new TreeMap<>(batches);
        }
    }

    @Test
    void appendModeWritesEachNewRowOnceToTheMemorySink() throws Exception {
        // Given
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, WORDS);
        StreamingQuery query = input.toDF()
                .filter(col("n").gt(1))
                .withColumn("twice", col("n").multiply(2))
                .writeStream()
                .format("memory")
                .queryName("big")
                .start();

        // When
        input.addData(Row.of("a", 1L), Row.of("b", 2L));
        query.processAllAvailable();
        input.addData(Row.of("c", 3L));
        query.processAllAvailable();

        // Then
        assertThat(brook.table("big").collectAsList()).containsExactly(Row.of("b", 2L, 4L), Row.of("c", 3L, 6L));
        assertThat(query.lastProgress().batchId()).isEqualTo(1);
    }

    @Test
    void updateModeEmitsTheGroupsThatChangedAndCompleteModeTheWholeTable() throws Exception {
        // Given
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, WORDS);
        Dataset<Row> counts = input.toDF()
                .groupBy("word")
                .agg(count("*").as("count"), sum(col("n")).as("total"));
        Outputs update = new Outputs();
        Outputs complete = new Outputs();
        StreamingQuery updating = counts.writeStream()
                .outputMode("update")
                .foreachBatch(update::add)
                .start();
        StreamingQuery completing = counts.writeStream()
                .outputMode("complete")
                .foreachBatch(complete::add)
                .start();

        // When
        input.addData(Row.of("a", 1L), Row.of("b", 2L), Row.of("a", 3L));
        updating.processAllAvailable();
        completing.processAllAvailable();
        input.addData(Row.of("c", 5L), Row.of("a", 1L));
        updating.processAllAvailable();
        completing.processAllAvailable();

        // Then
        assertThat(update.snapshot())
                .isEqualTo(Map.of(
                        0L, List.of("[a,2,4]", "[b,1,2]"),
                        1L, List.of("[a,3,5]", "[c,1,5]")));
        assertThat(complete.snapshot())
                .isEqualTo(Map.of(
                        0L, List.of("[a,2,4]", "[b,1,2]"),
                        1L, List.of("[a,3,5]", "[b,1,2]", "[c,1,5]")));
    }

    @Test
    void completeModeMaySortTheAggregatedResult() throws Exception {
        // Given
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, WORDS);
        StreamingQuery query = input.toDF()
                .groupBy("word")
                .count()
                .orderBy(col("count").desc(), col("word"))
                .writeStream()
                .outputMode("complete")
                .format("memory")
                .queryName("ranked")
                .start();

        // When
        input.addData(Row.of("x", 1L), Row.of("y", 1L), Row.of("y", 1L), Row.of("z", 1L));
        query.processAllAvailable();

        // Then
        assertThat(brook.table("ranked").collectAsList())
                .containsExactly(Row.of("y", 2L), Row.of("x", 1L), Row.of("z", 1L));
    }

    @Test
    void theRateSourceChecksItsOptionsAsSparkDoes() {
        // Given
        Brook brook = session("memory");

        // When / Then
        assertThat(brook.readStream()
                        .format("rate")
                        .option("rowsPerSecond", 10)
                        .option("numPartitions", 4)
                        .load()
                        .columns())
                .containsExactly("timestamp", "value");
        assertThatThrownBy(() -> brook.readStream()
                        .format("rate")
                        .option("numPartitions", 0)
                        .load())
                .hasMessage("option numPartitions must be a whole number > 0; got '0'");
        assertThatThrownBy(() -> brook.readStream()
                        .format("rate")
                        .option("rowsPerSec", 5)
                        .load())
                .hasMessage(
                        "unknown option 'rowsPerSec' for the rate source; it takes rowsPerSecond and numPartitions");
    }

    @Test
    void whatStreamingCannotDoIsRefusedWithTheReasonBeforeTheQueryStarts() {
        // Given
        Brook brook = session("memory");
        Dataset<Row> stream = MemoryStream.of(brook, WORDS).toDF();

        // When / Then
        assertThatThrownBy(() -> stream.groupBy("word")
                        .count()
                        .writeStream()
                        .outputMode("append")
                        .start())
                .isInstanceOfSatisfying(
                        BrookException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_IN_STREAMING))
                .hasMessageStartingWith("append output mode is not supported when there are streaming aggregations"
                        + " without a watermark");
        assertThatThrownBy(() -> stream.writeStream().outputMode("complete").start())
                .hasMessageStartingWith(
                        "complete output mode is not supported when there are no streaming aggregations");
        assertThatThrownBy(() -> stream.orderBy(col("n")).writeStream().start())
                .hasMessageStartingWith("sorting is not supported on streaming Datasets except after an aggregation in"
                        + " complete output mode");
        assertThatThrownBy(() -> stream.groupBy("word")
                        .count()
                        .groupBy("count")
                        .agg(collect_list("word"))
                        .writeStream()
                        .outputMode("complete")
                        .start())
                .hasMessageStartingWith("collect_list(...) cannot aggregate an updating result (the rows of another"
                        + " streaming aggregation, which it must take back when they change)");
        assertThatThrownBy(() -> stream.writeStream().outputMode("sideways"))
                .hasMessage("unknown output mode 'sideways'; use append, update or complete");
        assertThatThrownBy(() -> stream.writeStream().format("memory").start())
                .hasMessageStartingWith("the memory sink needs queryName(...)");
    }

    @Test
    void availableNowRunsTheBacklogInCappedBatchesAndStops() throws Exception {
        // Given
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, WORDS);
        input.addData(Row.of("a", 1L));
        input.addData(Row.of("b", 1L));
        input.addData(Row.of("c", 1L));
        Outputs outputs = new Outputs();

        // When
        StreamingQuery query = input.toDF()
                .writeStream()
                .option("maxFilesPerTrigger", "2")
                .trigger(Trigger.AvailableNow())
                .foreachBatch(outputs::add)
                .start();

        // Then
        assertThat(query.awaitTermination(30_000)).isTrue();
        assertThat(outputs.snapshot()).isEqualTo(Map.of(0L, List.of("[a,1]", "[b,1]"), 1L, List.of("[c,1]")));
    }

    @Test
    void progressReportsRowsOffsetsAndState() throws Exception {
        // Given
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, WORDS);
        List<StreamingQueryProgress> heard = new ArrayList<>();
        brook.addListener(new io.brook.engine.stream.StreamingQueryListener() {
            @Override
            public void onQueryProgress(StreamingQueryProgress progress) {
                synchronized (heard) {
                    heard.add(progress);
                }
            }
        });
        StreamingQuery query = input.toDF()
                .groupBy("word")
                .count()
                .writeStream()
                .outputMode("update")
                .format("memory")
                .queryName("counts")
                .start();

        // When
        input.addData(Row.of("a", 1L), Row.of("b", 1L), Row.of("a", 1L));
        query.processAllAvailable();

        // Then
        StreamingQueryProgress progress = query.lastProgress();
        assertThat(progress.batchId()).isZero();
        assertThat(progress.numInputRows()).isEqualTo(3);
        assertThat(progress.id()).isEqualTo(query.id().toString());
        assertThat(progress.sources()).singleElement().satisfies(source -> {
            assertThat(source.startOffset()).isEqualTo("0");
            assertThat(source.endOffset()).isEqualTo("1");
            assertThat(source.numInputRows()).isEqualTo(3);
        });
        assertThat(progress.stateOperators()).singleElement().satisfies(state -> {
            assertThat(state.numRowsTotal()).isEqualTo(2);
            assertThat(state.numRowsUpdated()).isEqualTo(2);
        });
        assertThat(progress.sink().numOutputRows()).isEqualTo(2);
        assertThat(progress.durationMs()).containsKeys("triggerExecution", "addBatch");
        assertThat(progress.json()).contains("\"batchId\" : 0", "\"numInputRows\" : 3");
        synchronized (heard) {
            assertThat(heard).containsExactly(progress);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aRestartedQueryResumesFromItsCheckpointWithItsState(String stateStore) throws Exception {
        // Given: two batches run and committed, then the query stops
        Path checkpoint = temp.resolve("checkpoint-" + stateStore);
        List<Row> first = List.of(Row.of("a", 1L), Row.of("b", 1L));
        List<Row> second = List.of(Row.of("a", 1L));
        Outputs before = new Outputs();
        StreamingQuery original = run(session(stateStore), checkpoint, before, first, second);
        String id = original.id().toString();
        original.stop();

        // When: a new session replays the same source with one more batch
        Outputs after = new Outputs();
        StreamingQuery resumed = run(session(stateStore), checkpoint, after, first, second, List.of(Row.of("a", 1L)));

        // Then: only the new batch runs, and the counts carry on
        assertThat(before.snapshot()).isEqualTo(Map.of(0L, List.of("[a,1]", "[b,1]"), 1L, List.of("[a,2]", "[b,1]")));
        assertThat(after.snapshot()).isEqualTo(Map.of(2L, List.of("[a,3]", "[b,1]")));
        assertThat(resumed.id().toString()).isEqualTo(id);
        assertThat(Files.readString(checkpoint.resolve("metadata"))).contains(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aBatchWhoseCommitWasLostRunsAgainWithTheSameOffsetsAndState(String stateStore) throws Exception {
        // Given: batch 1 ran and its state was saved, but the process died before commits/1 was written
        Path checkpoint = temp.resolve("crash-" + stateStore);
        List<Row> first = List.of(Row.of("a", 1L), Row.of("b", 1L));
        List<Row> second = List.of(Row.of("a", 1L), Row.of("c", 1L));
        Outputs before = new Outputs();
        run(session(stateStore), checkpoint, before, first, second).stop();
        Files.delete(checkpoint.resolve("commits").resolve("1"));

        // When: the query restarts while more data has arrived
        Outputs after = new Outputs();
        run(session(stateStore), checkpoint, after, first, second, List.of(Row.of("b", 1L)));

        // Then: batch 1 is re-run exactly (same input, state of version 1), then batch 2
        assertThat(after.snapshot())
                .isEqualTo(Map.of(
                        1L, before.snapshot().get(1L),
                        2L, List.of("[a,2]", "[b,2]", "[c,1]")));
        assertThat(new HashSet<>(before.snapshot().get(1L))).containsExactlyInAnyOrder("[a,2]", "[b,1]", "[c,1]");
    }

    @Test
    void aCheckpointOfAQueryWithOtherStatefulOperatorsIsRefused() throws Exception {
        // Given: a checkpoint written by a count per word
        Path checkpoint = temp.resolve("changed");
        run(session("memory"), checkpoint, new Outputs(), List.of(Row.of("a", 1L)))
                .stop();
        Brook brook = session("memory");
        MemoryStream input = MemoryStream.of(brook, WORDS);

        // When / Then: the query now sums per word instead
        assertThatThrownBy(() -> input.toDF()
                        .groupBy("word")
                        .agg(sum(col("n")))
                        .writeStream()
                        .outputMode("update")
                        .option("checkpointLocation", checkpoint.toString())
                        .foreachBatch((batch, id) -> {})
                        .start())
                .isInstanceOfSatisfying(
                        BrookException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_CHECKPOINT))
                .hasMessage("the checkpoint " + checkpoint + " belongs to a query with other stateful operators: it has"
                        + " [aggregate keys=[VARCHAR] calls=[COUNT BIGINT]], this query has [aggregate"
                        + " keys=[VARCHAR] calls=[SUM BIGINT]]; restore the query's groupBy/aggregates/dropDuplicates,"
                        + " or use a new checkpointLocation");
    }

    @Test
    void stateSpreadOverPartitionsGivesTheSameResultAndARestartKeepsTheCheckpointsPartitions() throws Exception {
        // Given: the same input counted with 1 and with 4 state partitions
        List<Row> first = new ArrayList<>();
        List<Row> second = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            first.add(Row.of("w" + (i % 37), 1L));
            second.add(Row.of("w" + (i % 53), 1L));
        }
        Path one = temp.resolve("one-partition");
        Path four = temp.resolve("four-partitions");
        Outputs single = new Outputs();
        Outputs spread = new Outputs();

        // When
        run(partitioned(1), one, single, first, second).stop();
        run(partitioned(4), four, spread, first, second).stop();
        Outputs resumed = new Outputs();
        run(partitioned(2), four, resumed, first, second, List.of(Row.of("w1", 1L)))
                .stop();

        // Then
        assertThat(spread.snapshot()).isEqualTo(single.snapshot());
        assertThat(single.snapshot().get(1L)).hasSize(53);
        try (var directories = Files.list(four.resolve("state").resolve("0"))) {
            assertThat(directories.map(path -> path.getFileName().toString()).sorted())
                    .containsExactly("0", "1", "2", "3");
        }
        assertThat(resumed.snapshot().get(2L)).contains("[w1," + (14 + 10 + 1) + "]");
    }

    private Brook partitioned(int partitions) {
        Brook brook = Brook.builder()
                .config("brook.sql.shuffle.partitions", Integer.toString(partitions))
                .getOrCreate();
        sessions.add(brook);
        return brook;
    }

    @SafeVarargs
    private static StreamingQuery run(Brook brook, Path checkpoint, Outputs outputs, List<Row>... batches)
            throws Exception {
        MemoryStream input = MemoryStream.of(brook, WORDS);
        for (List<Row> batch : batches) {
            input.addData(batch);
        }
        StreamingQuery query = input.toDF()
                .groupBy("word")
                .count()
                .writeStream()
                .outputMode("complete")
                .option("checkpointLocation", checkpoint.toString())
                .option("maxFilesPerTrigger", "1")
                .foreachBatch(outputs::add)
                .start();
        query.processAllAvailable();
        return query;
    }
}
