package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {
    @Test
    void defaultsRunBothSystemsWithTheFullRecordCounts() {
        // When
        BenchSettings settings = BenchSettings.fromEnvironment(Map.of());

        // Then
        assertThat(settings.quick()).isFalse();
        assertThat(settings.records100b()).isEqualTo(2_000_000);
        assertThat(settings.records1kib()).isEqualTo(600_000);
        assertThat(settings.rateRecords()).isEqualTo(1_000_000);
        assertThat(settings.rate()).isEqualTo(50_000);
        assertThat(settings.latencyRecords()).isEqualTo(10_000);
        assertThat(settings.settle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.runTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(settings.systems()).containsExactly("kafka", "brook");
        assertThat(settings.brookCds()).isTrue();
        assertThat(settings.keepWorkDir()).isFalse();
    }

    @Test
    void quickRunsTenTimesFewerRecordsAndVariablesOverrideCounts() {
        // When
        BenchSettings settings = BenchSettings.fromEnvironment(Map.of(
                "QUICK", "1",
                "BENCH_RECORDS_1KIB", "5_000",
                "BENCH_SYSTEMS", "Brook",
                "BENCH_SETTLE_SECONDS", "0",
                "BENCH_BROOK_ARGS", " --set  brook.flush.policy=none "));

        // Then
        assertThat(settings.records100b()).isEqualTo(200_000);
        assertThat(settings.records1kib()).isEqualTo(5_000);
        assertThat(settings.latencyRecords()).isEqualTo(1_000);
        assertThat(settings.systems()).containsExactly("brook");
        assertThat(settings.settle()).isEqualTo(Duration.ZERO);
        assertThat(settings.brookServerArguments()).isEqualTo(List.of("--set", "brook.flush.policy=none"));
    }

    @Test
    void countThatIsNotANumberIsRefusedWithItsName() {
        assertThatThrownBy(() -> BenchSettings.fromEnvironment(Map.of("BENCH_RATE", "fast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_RATE must be a positive whole number; got 'fast'");
    }

    @Test
    void unknownSystemIsRefused() {
        assertThatThrownBy(() -> BenchSettings.fromEnvironment(Map.of("BENCH_SYSTEMS", "kafka,redpanda")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_SYSTEMS lists 'kafka' and 'brook'; got 'redpanda'");
    }
}
