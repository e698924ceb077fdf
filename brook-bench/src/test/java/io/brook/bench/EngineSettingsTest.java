package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineSettingsTest {
    @Test
    void defaultsClimbTheFullLadderWithFifteenSecondSteps() {
        // When
        EngineSettings settings = EngineSettings.fromEnvironment(Map.of());

        // Then
        assertThat(settings.quick()).isFalse();
        assertThat(settings.rates()).isEqualTo(EngineSettings.DEFAULT_RATES);
        assertThat(settings.rates()).startsWith(50_000L, 100_000L, 200_000L);
        assertThat(settings.stepSeconds()).isEqualTo(15);
        assertThat(settings.warmupSeconds()).isEqualTo(5);
        assertThat(settings.intervalMillis()).isEqualTo(1000);
        assertThat(settings.latencyRate()).isEqualTo(1000);
        assertThat(settings.latencySeconds()).isEqualTo(30);
        assertThat(settings.heap()).isEqualTo("2g");
        assertThat(settings.runTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(settings.systems()).containsExactly("spark", "brook");
        assertThat(settings.workloads()).containsExactly("startup", "latency", "throughput", "etl");
        assertThat(settings.etlEvents()).isEqualTo(2_000_000);
        assertThat(settings.etlMaxOffsets()).isEqualTo(500_000);
    }

    @Test
    void quickShortensAndVariablesOverride() {
        // When
        EngineSettings settings = EngineSettings.fromEnvironment(Map.of(
                "QUICK", "1",
                "BENCH_ENGINE_RATES", "200_000, 50000",
                "BENCH_SYSTEMS", "Brook",
                "BENCH_ENGINE_HEAP", "1g",
                "BENCH_ENGINE_WORKLOADS", "etl, latency",
                "BENCH_ENGINE_ETL_MAX_OFFSETS", "100000"));

        // Then
        assertThat(settings.rates()).containsExactly(50_000L, 200_000L);
        assertThat(settings.stepSeconds()).isEqualTo(8);
        assertThat(settings.warmupSeconds()).isEqualTo(3);
        assertThat(settings.latencySeconds()).isEqualTo(10);
        assertThat(settings.systems()).containsExactly("brook");
        assertThat(settings.heap()).isEqualTo("1g");
        assertThat(settings.workloads()).containsExactly("etl", "latency");
        assertThat(settings.etlEvents()).isEqualTo(500_000);
        assertThat(settings.etlMaxOffsets()).isEqualTo(100_000);
    }

    @Test
    void runnerCommandLineRoundTrips() {
        // Given
        EngineSettings settings = EngineSettings.fromEnvironment(Map.of("BENCH_ENGINE_RATES", "1000,2000"));

        // When
        EngineRunnerOptions options = settings.options("throughput", Path.of("/tmp/work/brook"), "", "");
        EngineRunnerOptions parsed =
                EngineRunnerOptions.parse(options.arguments().toArray(new String[0]));

        // Then
        assertThat(parsed).isEqualTo(options);
        assertThat(options.arguments())
                .containsSequence("--rates", "1000,2000")
                .containsSequence("--deadline-seconds", "570");
    }

    @Test
    void theEtlRunnerGetsItsTopicAndRefusesToRunWithout() {
        // Given
        EngineSettings settings = EngineSettings.fromEnvironment(Map.of());

        // When
        EngineRunnerOptions options =
                settings.options("etl", Path.of("/tmp/work/spark"), "127.0.0.1:9092", "etl-clicks");

        // Then
        assertThat(EngineRunnerOptions.parse(options.arguments().toArray(new String[0])))
                .isEqualTo(options);
        assertThat(options.arguments())
                .containsSequence("--bootstrap", "127.0.0.1:9092")
                .containsSequence("--topic", "etl-clicks")
                .containsSequence("--etl-max-offsets", "500000");
        assertThatThrownBy(() -> settings.options("etl", Path.of("/tmp/work/spark"), "", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the etl workload needs --bootstrap and --topic");
    }

    @Test
    void badValuesAreRefusedWithTheirNames() {
        assertThatThrownBy(() -> EngineSettings.fromEnvironment(Map.of("BENCH_SYSTEMS", "spark,flink")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_SYSTEMS lists 'spark' and 'brook'; got 'flink'");
        assertThatThrownBy(() -> EngineSettings.fromEnvironment(Map.of("BENCH_ENGINE_RATES", "fast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_ENGINE_RATES is a comma-separated list of rows per second; got 'fast'");
        assertThatThrownBy(() -> EngineSettings.fromEnvironment(
                        Map.of("BENCH_ENGINE_STEP_SECONDS", "5", "BENCH_ENGINE_WARMUP_SECONDS", "5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step-seconds must be greater than warmup-seconds >= 0; got 5 and 5");
        assertThatThrownBy(() -> EngineSettings.fromEnvironment(Map.of("BENCH_ENGINE_WORKLOADS", "etl,nexmark")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BENCH_ENGINE_WORKLOADS lists [startup, latency, throughput, etl]; got 'nexmark'");
        assertThatThrownBy(() -> EngineRunnerOptions.parse(new String[] {"--workload", "latency", "--speed", "1"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option --speed");
    }
}
