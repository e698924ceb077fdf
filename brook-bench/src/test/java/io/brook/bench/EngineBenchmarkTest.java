package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.bench.EngineBenchmark.LatencySummary;
import org.junit.jupiter.api.Test;

class EngineBenchmarkTest {
    @Test
    void latencyCountsOnlyBatchesWithRowsAfterTheWarmUp() throws RunFailedException {
        // Given: Spark's latency run (smoke run): an empty batch 0, then one batch of 1000 rows a second
        EngineRunOutput output = EngineRunOutput.parse(String.join(
                "\n",
                "step rate=1000 start_ms=1796138203064",
                "batch rate=1000 id=0 ts_ms=1796138203597 rows=0 trigger_ms=1260 max_event_ms=-1",
                "batch rate=1000 id=1 ts_ms=1796138204878 rows=1000 trigger_ms=581 max_event_ms=-1",
                "batch rate=1000 id=2 ts_ms=1796138205556 rows=1000 trigger_ms=323 max_event_ms=-1",
                "batch rate=1000 id=3 ts_ms=1796138206558 rows=1000 trigger_ms=223 max_event_ms=-1",
                "batch rate=1000 id=4 ts_ms=1796138207552 rows=1000 trigger_ms=265 max_event_ms=-1",
                "batch rate=1000 id=5 ts_ms=1796138208551 rows=998 trigger_ms=261 max_event_ms=-1",
                "batch rate=1000 id=6 ts_ms=1796138209560 rows=1000 trigger_ms=249 max_event_ms=-1",
                "step_end rate=1000 end_ms=1796138210343 status=ok"));

        // When: a 2 s warm-up leaves batches 2-6
        LatencySummary latency = LatencySummary.of(output.steps().get(0), 2_000);

        // Then
        assertThat(latency.batches()).isEqualTo(5);
        assertThat(latency.medianRows()).isEqualTo(1000);
        assertThat(latency.p50Millis()).isEqualTo(261);
        assertThat(latency.p99Millis()).isEqualTo(323);
        assertThat(latency.describe())
                .isEqualTo("5 batches with rows, median 1000 rows each; batch duration p50 261 ms, p99 323 ms");
    }

    @Test
    void everyFigureHasAUniqueKeyAndEveryWorkloadIsMeasured() {
        assertThat(EngineBenchmark.figures().stream().map(Figure::key))
                .doesNotHaveDuplicates()
                .contains(
                        "sustained_window_count_rps",
                        "latency_batch_p99_ms",
                        "kafka_json_etl_rps",
                        "startup_first_batch_ms");
        assertThat(EngineBenchmark.figures()).allMatch(Figure::measured);
    }
}
