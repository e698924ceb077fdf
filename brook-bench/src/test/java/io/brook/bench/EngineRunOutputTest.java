package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.bench.EngineRunOutput.Batch;
import io.brook.bench.EngineRunOutput.Step;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EngineRunOutputTest {
    // What SparkEngineRunner printed for two throughput steps (a smoke run on the 2-core machine).
    static final String SPARK_THROUGHPUT = String.join(
            "\n",
            "info engine=spark version=4.2.0 master=local[2] shuffle_partitions=2 ui=off"
                    + " state_store=HDFSBackedStateStoreProvider sink=foreachBatch(count)",
            "step rate=50000 start_ms=1796138224795",
            "batch rate=50000 id=0 ts_ms=1796138225475 rows=0 trigger_ms=3031 max_event_ms=-1",
            "batch rate=50000 id=1 ts_ms=1796138228557 rows=150000 trigger_ms=1223 max_event_ms=1796138228408",
            "batch rate=50000 id=2 ts_ms=1796138229785 rows=50000 trigger_ms=529 max_event_ms=1796138229408",
            "batch rate=50000 id=3 ts_ms=1796138230319 rows=0 trigger_ms=549 max_event_ms=-1",
            "step_end rate=50000 end_ms=1796138231161 status=ok",
            "26/12/01 15:13:55 WARN DAGScheduler: Failed to cancel job group 7942e1c8. Cannot find active jobs for it.",
            "step rate=200000 start_ms=1796138231189",
            "batch rate=200000 id=0 ts_ms=1796138231331 rows=0 trigger_ms=650 max_event_ms=-1",
            "batch rate=200000 id=1 ts_ms=1796138233000 rows=200000 trigger_ms=652 max_event_ms=1796138232289",
            "step_end rate=200000 end_ms=1796138237294 status=failed reason=org.apache.spark.SparkException: Job"
                    + " aborted  due=to stage failure",
            "ladder_end reason=the query at 200000 rows/s failed",
            "done",
            "");

    @Test
    void stepsKeepTheirBatchesAndFailuresAndOtherLinesAreSkipped() throws RunFailedException {
        // When
        EngineRunOutput output = EngineRunOutput.parse(SPARK_THROUGHPUT);

        // Then
        assertThat(output.info()).containsEntry("engine", "spark").containsEntry("version", "4.2.0");
        assertThat(output.steps()).hasSize(2);
        Step first = output.steps().get(0);
        assertThat(first.rate()).isEqualTo(50_000);
        assertThat(first.startMillis()).isEqualTo(1796138224795L);
        assertThat(first.endMillis()).isEqualTo(1796138231161L);
        assertThat(first.failed()).isFalse();
        assertThat(first.batches())
                .containsExactly(
                        new Batch(0, 1796138225475L, 0, 3031, -1),
                        new Batch(1, 1796138228557L, 150_000, 1223, 1796138228408L),
                        new Batch(2, 1796138229785L, 50_000, 529, 1796138229408L),
                        new Batch(3, 1796138230319L, 0, 549, -1));
        Step second = output.steps().get(1);
        assertThat(second.batches()).hasSize(2);
        assertThat(second.failure()).isEqualTo("org.apache.spark.SparkException: Job aborted  due=to stage failure");
        assertThat(output.ladderEnd()).isEqualTo("the query at 200000 rows/s failed");
        assertThat(output.done()).isTrue();
        assertThat(output.startedMillis()).isEmpty();
    }

    @Test
    void theEtlRunIsOneStepAndItsOutputRowsAreRead() throws RunFailedException {
        // Given
        String output = String.join(
                "\n",
                "info engine=brook state_store=memory sink=foreachBatch(count)",
                "step rate=1 start_ms=1796138300000",
                "batch rate=1 id=0 ts_ms=1796138300100 rows=500000 trigger_ms=900 max_event_ms=1796138300100",
                "batch rate=1 id=1 ts_ms=1796138301000 rows=100 trigger_ms=90 max_event_ms=1796138300200",
                "step_end rate=1 end_ms=1796138301200 status=ok",
                "etl rows_out=2000",
                "done");

        // When
        EngineRunOutput parsed = EngineRunOutput.parse(output);

        // Then
        assertThat(parsed.etlRowsOut()).isEqualTo(OptionalLong.of(2000));
        assertThat(parsed.steps()).singleElement().satisfies(step -> {
            assertThat(step.failed()).isFalse();
            assertThat(step.batches()).extracting(EngineRunOutput.Batch::rows).containsExactly(500_000L, 100L);
        });
    }

    @Test
    void startupTimesAreReadAndARunnerThatDiedMidStepLeavesAFailedStep() throws RunFailedException {
        // Given
        String output = String.join(
                "\n",
                "info engine=brook state_store=memory sink=foreachBatch(count)",
                "started ms=1796138212003",
                "first_batch ms=1796138212070",
                "step rate=400000 start_ms=1796138300000",
                "batch rate=400000 id=0 ts_ms=1796138300100 rows=40000 trigger_ms=90 max_event_ms=1796138300100");

        // When
        EngineRunOutput parsed = EngineRunOutput.parse(output);

        // Then
        assertThat(parsed.startedMillis()).isEqualTo(OptionalLong.of(1796138212003L));
        assertThat(parsed.firstBatchMillis()).isEqualTo(OptionalLong.of(1796138212070L));
        assertThat(parsed.steps()).singleElement().satisfies(step -> {
            assertThat(step.failure()).isEqualTo("the runner stopped during this step");
            assertThat(step.endMillis()).isEqualTo(-1);
            assertThat(step.batches()).hasSize(1);
        });
        assertThat(parsed.done()).isFalse();
        assertThat(parsed.etlRowsOut()).isEmpty();
    }

    @Test
    void batchOutsideAStepOrWithABadNumberIsRefusedWithItsLine() {
        assertThatThrownBy(() ->
                        EngineRunOutput.parse("batch rate=1000 id=0 ts_ms=1 rows=1 trigger_ms=1" + " max_event_ms=-1"))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("runner output line 1 comes before any step: batch rate=1000 id=0 ts_ms=1 rows=1"
                        + " trigger_ms=1 max_event_ms=-1");
        assertThatThrownBy(
                        () -> EngineRunOutput.parse(
                                "step rate=1000 start_ms=5\nbatch rate=1000 id=0 ts_ms=7 rows=many trigger_ms=1 max_event_ms=-1"))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("runner output line 2 has rows=many, not a whole number: batch rate=1000 id=0 ts_ms=7"
                        + " rows=many trigger_ms=1 max_event_ms=-1");
        assertThatThrownBy(() -> EngineRunOutput.parse("step rate=1000 start_ms=5\nstep_end rate=2000 end_ms=9"))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("runner output line 2 names rate 2000 inside the step at 1000: step_end rate=2000"
                        + " end_ms=9");
    }
}
