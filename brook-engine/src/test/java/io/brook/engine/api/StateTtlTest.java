package io.brook.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.stream.StreamingQueryProgress;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * State TTL ({@code brook.state.ttl}): state entries that no micro-batch updated for longer than the TTL leave the
 * state. Time is a manual clock ({@link Brook.Builder#clock}); each step sets it, adds data and runs the query once
 * with {@code availableNow} from the same checkpoint, so the batch's time is exactly the clock's.
 */
class StateTtlTest {
    private static final Schema WORDS = Schema.of(new Field("word", ColumnType.VARCHAR, false));
    private static final long SECOND = 1000;

    @TempDir
    Path temp;

    private final AtomicLong clock = new AtomicLong();
    private final List<Brook> sessions = new ArrayList<>();

    private Brook session(String stateStore, String ttl) {
        Brook.Builder builder =
                Brook.builder().config("brook.state.store", stateStore).clock(clock::get);
        if (ttl != null) {
            builder.config(Brook.STATE_TTL, ttl);
        }
        Brook brook = builder.getOrCreate();
        sessions.add(brook);
        return brook;
    }

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    /** A query over one stream, run step by step: each step at a clock time, with the rows added then. */
    private final class Steps {
        final MemoryStream input;
        final Function<Dataset<Row>, Dataset<Row>> query;
        final String outputMode;
        final Path checkpoint;
        final Map<Long, List<String>> outputs = new TreeMap<>();
        final List<StreamingQueryProgress> progress = new ArrayList<>();

        Steps(Brook brook, Function<Dataset<Row>, Dataset<Row>> query, String outputMode, String checkpoint) {
            this.input = MemoryStream.of(brook, WORDS);
            this.query = query;
            this.outputMode = outputMode;
            this.checkpoint = temp.resolve(checkpoint);
        }

        void at(long millis, String... words) throws Exception {
            clock.set(millis);
            List<Row> rows = new ArrayList<>();
            for (String word : words) {
                rows.add(Row.of(word));
            }
            input.addData(rows);
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
            running.awaitTermination();
            progress.add(running.lastProgress());
        }

        Map<Long, List<String>> outputs() {
            synchronized (outputs) {
                return new TreeMap<>(outputs);
            }
        }

        List<Long> removedByTtl() {
            return progress.stream()
                    .map(p -> p.stateOperators().get(0).numRowsRemovedByTtl())
                    .toList();
        }

        List<Long> stateRows() {
            return progress.stream()
                    .map(p -> p.stateOperators().get(0).numRowsTotal())
                    .toList();
        }
    }

    private static Dataset<Row> countPerWord(Dataset<Row> words) {
        return words.groupBy("word").count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "rocksdb"})
    void aCountPerKeyForgetsKeysNotUpdatedForLongerThanTheTtl(String stateStore) throws Exception {
        // Given: a count per word with a TTL of one minute, in complete and in update mode
        Brook brook = session(stateStore, "1 minute");
        Steps complete = new Steps(brook, StateTtlTest::countPerWord, "complete", "complete");
        Steps update = new Steps(brook, StateTtlTest::countPerWord, "update", "update");

        // When: a and b at 0 s; a at 40 s; c at 70 s (b's last update is 70 s old); b at 130 s (a's is 90 s old,
        // c's exactly 60 s, which is not longer than the TTL)
        for (Steps steps : List.of(complete, update)) {
            steps.at(0, "a", "b");
            steps.at(40 * SECOND, "a");
            steps.at(70 * SECOND, "c");
            steps.at(130 * SECOND, "b");
        }

        // Then: b leaves the complete result at 70 s and comes back at 130 s counted from scratch; a leaves at 130 s
        assertThat(complete.outputs())
                .isEqualTo(Map.of(
                        0L, List.of("[a,1]", "[b,1]"),
                        1L, List.of("[a,2]", "[b,1]"),
                        2L, List.of("[a,2]", "[c,1]"),
                        3L, List.of("[b,1]", "[c,1]")));
        assertThat(update.outputs())
                .isEqualTo(Map.of(
                        0L, List.of("[a,1]", "[b,1]"),
                        1L, List.of("[a,2]"),
                        2L, List.of("[c,1]"),
                        3L, List.of("[b,1]")));
        assertThat(complete.removedByTtl()).containsExactly(0L, 0L, 1L, 1L);
        assertThat(complete.stateRows()).containsExactly(2L, 2L, 2L, 2L);
        assertThat(update.removedByTtl()).containsExactly(0L, 0L, 1L, 1L);
    }

    @Test
    void withoutATtlKeysStayForEver() throws Exception {
        // Given
        Brook brook = session("memory", null);
        Steps complete = new Steps(brook, StateTtlTest::countPerWord, "complete", "complete");

        // When
        complete.at(0, "a", "b");
        complete.at(3_600 * SECOND, "a");

        // Then
        assertThat(complete.outputs()).isEqualTo(Map.of(0L, List.of("[a,1]", "[b,1]"), 1L, List.of("[a,2]", "[b,1]")));
        assertThat(complete.removedByTtl()).containsExactly(0L, 0L);
    }

    @Test
    void aDeduplicatedKeyPassesAgainOnceItsStateExpired() throws Exception {
        // Given: the state remembers a key from the batch that first let it through
        Brook brook = session("memory", "30 seconds");
        Steps distinct = new Steps(brook, words -> words.dropDuplicates("word"), "append", "distinct");

        // When
        distinct.at(0, "a", "b");
        distinct.at(20 * SECOND, "a", "c");
        distinct.at(40 * SECOND, "a", "c");

        // Then: at 40 s, a (kept since 0 s) has expired and passes again, kept anew; c (kept since 20 s) has not
        // expired; b (kept since 0 s) is removed
        assertThat(distinct.outputs())
                .isEqualTo(Map.of(0L, List.of("[a]", "[b]"), 1L, List.of("[c]"), 2L, List.of("[a]")));
        assertThat(distinct.removedByTtl()).containsExactly(0L, 0L, 1L);
        assertThat(distinct.stateRows()).containsExactly(2L, 3L, 2L);
    }

    @Test
    void aCheckpointWrittenWithoutATtlIsRefusedWithOne() throws Exception {
        // Given
        Steps before = new Steps(session("memory", null), StateTtlTest::countPerWord, "complete", "shared");
        before.at(0, "a");
        Steps after = new Steps(session("memory", "1 hour"), StateTtlTest::countPerWord, "complete", "shared");

        // When / Then
        assertThatThrownBy(() -> after.at(SECOND, "a"))
                .isInstanceOfSatisfying(
                        BrookException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INCOMPATIBLE_CHECKPOINT))
                .hasMessageContaining("this query has [aggregate keys=[VARCHAR] calls=[COUNT BIGINT], state"
                        + " ttl (values carry their last update time)]");
    }

    @Test
    void theTtlMustBeAPositiveDuration() {
        // Given
        Dataset<Row> zero =
                MemoryStream.of(session("memory", "0 seconds"), WORDS).toDF();
        Dataset<Row> unreadable =
                MemoryStream.of(session("memory", "soon"), WORDS).toDF();

        // When / Then
        assertThatThrownBy(() ->
                        countPerWord(zero).writeStream().outputMode("complete").start())
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION))
                .hasMessage("brook.state.ttl must be a positive duration such as '1 hour'; got '0 seconds'");
        assertThatThrownBy(() -> countPerWord(unreadable)
                        .writeStream()
                        .outputMode("complete")
                        .start())
                .hasMessage(
                        "brook.state.ttl: cannot read interval 'soon'; write a number and a unit, e.g. '10 seconds'");
    }
}
