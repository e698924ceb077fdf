package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.brook.bench.EngineRunOutput.Batch;
import io.brook.bench.EngineRunOutput.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SustainedRateTest {
    private static final long WARMUP = 5_000;
    private static final long INTERVAL = 1_000;

    /**
     * A 15 s step at {@code rate} with a batch every second: each takes {@code triggerMillis}, and its largest event
     * time trails its start by {@code initialLag} plus {@code lagGrowth} ms per batch.
     */
    private static Step step(long rate, long triggerMillis, long initialLag, long lagGrowth) {
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long start = 10_000 + i * 1_000L;
            batches.add(new Batch(i, start, rate, triggerMillis, start - initialLag - i * lagGrowth));
        }
        return new Step(rate, 10_000, 25_000, batches, null);
    }

    @Test
    void batchesWellInsideTheIntervalWithASteadyLagAreSustained() {
        // When
        SustainedRate.Verdict verdict = SustainedRate.judge(step(100_000, 120, 0, 0), WARMUP, INTERVAL);

        // Then
        assertThat(verdict.sustained()).isTrue();
        assertThat(verdict.reason()).isEmpty();
        assertThat(verdict.batches()).isEqualTo(10);
        assertThat(verdict.medianBatchMillis()).isEqualTo(120);
        assertThat(verdict.lagSlope()).isCloseTo(0, within(1e-9));
        assertThat(verdict.processedRowsPerSecond()).isCloseTo(100_000, within(1e-6));
    }

    @Test
    void aLagThatGrowsFasterThanTheToleranceIsFallingBehind() {
        // When: 200 ms more behind after every one-second batch
        SustainedRate.Verdict verdict = SustainedRate.judge(step(800_000, 700, 0, 200), WARMUP, INTERVAL);

        // Then
        assertThat(verdict.sustained()).isFalse();
        assertThat(verdict.lagSlope()).isCloseTo(0.2, within(1e-9));
        assertThat(verdict.reason()).isEqualTo("falling behind: the lag grows 0.20 s per second (max 0.10)");
    }

    @Test
    void aLagThatGrowsWithinTheToleranceIsSustained() {
        assertThat(SustainedRate.judge(step(800_000, 700, 0, 50), WARMUP, INTERVAL)
                        .sustained())
                .isTrue();
    }

    @Test
    void aMedianBatchLongerThanTheTriggerIntervalIsNotSustained() {
        // When
        SustainedRate.Verdict verdict = SustainedRate.judge(step(1_600_000, 1_001, 0, 0), WARMUP, INTERVAL);

        // Then
        assertThat(verdict.sustained()).isFalse();
        assertThat(verdict.reason()).isEqualTo("median batch 1001 ms > trigger interval 1000 ms");
    }

    @Test
    void sparksWholeSecondOffsetsGiveASteadyLagAndAreSustained() throws RunFailedException {
        // Given: Spark at 200,000 rows/s (smoke run): its rows come in whole seconds, 711 ms behind each trigger
        Step spark = EngineRunOutput.parse(String.join(
                        "\n",
                        "step rate=200000 start_ms=1796138231189",
                        "batch rate=200000 id=0 ts_ms=1796138231331 rows=0 trigger_ms=650 max_event_ms=-1",
                        "batch rate=200000 id=1 ts_ms=1796138233000 rows=200000 trigger_ms=652"
                                + " max_event_ms=1796138232289",
                        "batch rate=200000 id=2 ts_ms=1796138234000 rows=200000 trigger_ms=510"
                                + " max_event_ms=1796138233289",
                        "batch rate=200000 id=3 ts_ms=1796138235000 rows=200000 trigger_ms=777"
                                + " max_event_ms=1796138234289",
                        "batch rate=200000 id=4 ts_ms=1796138236001 rows=200000 trigger_ms=450"
                                + " max_event_ms=1796138235289",
                        "batch rate=200000 id=5 ts_ms=1796138237000 rows=200000 trigger_ms=292"
                                + " max_event_ms=1796138236289",
                        "step_end rate=200000 end_ms=1796138237294 status=ok"))
                .steps()
                .get(0);

        // When
        SustainedRate.Verdict verdict = SustainedRate.judge(spark, 2_000, INTERVAL);

        // Then: batches 2-5 count; their lag varies with the batch duration only
        assertThat(verdict.sustained()).isTrue();
        assertThat(verdict.batches()).isEqualTo(4);
        assertThat(verdict.medianBatchMillis()).isEqualTo(450);
        assertThat(verdict.maxBatchMillis()).isEqualTo(777);
        assertThat(verdict.processedRowsPerSecond()).isCloseTo(200_000, within(100.0));
        assertThat(verdict.lagSlope()).isLessThan(SustainedRate.MAX_LAG_SLOPE);
    }

    @Test
    void tooFewBatchesAfterTheWarmUpOrAFailedQueryIsNotSustained() {
        // Given
        List<Batch> two = List.of(new Batch(1, 13_000, 50_000, 900, 12_900), new Batch(2, 14_000, 50_000, 500, 13_900));
        Step failed = new Step(50_000, 10_000, 25_000, step(50_000, 100, 0, 0).batches(), "OutOfMemoryError");

        // Then
        assertThat(SustainedRate.judge(new Step(50_000, 10_000, 25_000, two, null), 2_000, INTERVAL)
                        .reason())
                .isEqualTo("only 2 batches with rows after the 2000 ms warm-up");
        assertThat(SustainedRate.judge(failed, WARMUP, INTERVAL).reason()).isEqualTo("query failed: OutOfMemoryError");
    }

    @Test
    void highestSustainedRateStopsAtTheFirstFailure() {
        // Given
        List<SustainedRate.Verdict> verdicts = List.of(
                SustainedRate.judge(step(400_000, 300, 0, 0), WARMUP, INTERVAL),
                SustainedRate.judge(step(50_000, 100, 0, 0), WARMUP, INTERVAL),
                SustainedRate.judge(step(200_000, 1_500, 0, 0), WARMUP, INTERVAL),
                SustainedRate.judge(step(100_000, 150, 0, 0), WARMUP, INTERVAL));

        // Then
        assertThat(SustainedRate.highestSustained(verdicts)).isEqualTo(OptionalLong.of(100_000));
        assertThat(SustainedRate.highestSustained(verdicts.subList(2, 3))).isEmpty();
    }
}
