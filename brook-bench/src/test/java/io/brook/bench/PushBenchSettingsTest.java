package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushBenchSettingsTest {
    @Test
    void defaults() {
        // When
        PushBenchSettings settings = PushBenchSettings.fromEnvironment(Map.of());

        // Then
        assertThat(settings)
                .isEqualTo(new PushBenchSettings(
                        false,
                        200_000,
                        20_000,
                        100,
                        1_000,
                        20,
                        500,
                        0,
                        1,
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(300),
                        List.of("rabbitmq", "brook"),
                        false));
        assertThat(settings.latencyRecords()).isEqualTo(20_000);
    }

    @Test
    void quickRunsTenTimesFewerRecordsAndAShorterLatencyRun() {
        // When
        PushBenchSettings settings = PushBenchSettings.fromEnvironment(Map.of("QUICK", "1"));

        // Then
        assertThat(settings.records()).isEqualTo(20_000);
        assertThat(settings.warmupRecords()).isEqualTo(2_000);
        assertThat(settings.latencySeconds()).isEqualTo(10);
    }

    @Test
    void environmentOverridesTheDefaults() {
        // When
        PushBenchSettings settings = PushBenchSettings.fromEnvironment(Map.of(
                "BENCH_PUSH_RECORDS", "1_000",
                "BENCH_PUSH_BATCH_WAIT_MS", "5",
                "BENCH_PUSH_BATCH_RECORDS", "100",
                "BENCH_SYSTEMS", "Brook"));

        // Then
        assertThat(settings.records()).isEqualTo(1_000);
        assertThat(settings.batchMaxWaitMs()).isEqualTo(5);
        assertThat(settings.batchMaxRecords()).isEqualTo(100);
        assertThat(settings.systems()).containsExactly("brook");
    }

    @Test
    void unknownSystemIsRefused() {
        assertThatThrownBy(() -> PushBenchSettings.fromEnvironment(Map.of("BENCH_SYSTEMS", "kafka")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_SYSTEMS lists 'rabbitmq' and 'brook'; got 'kafka'");
    }

    @Test
    void recordTooSmallForTheSendTimeIsRefused() {
        assertThatThrownBy(() -> PushBenchSettings.fromEnvironment(Map.of("BENCH_PUSH_RECORD_SIZE", "16")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_PUSH_RECORD_SIZE must be >= 32; got 16");
    }

    @Test
    void batchLargerThanBrookAllowsIsRefused() {
        assertThatThrownBy(() -> PushBenchSettings.fromEnvironment(Map.of("BENCH_PUSH_BATCH_RECORDS", "10001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_PUSH_BATCH_RECORDS must be 1-10000; got 10001");
    }
}
