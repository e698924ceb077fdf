package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolOutputsTest {
    private static final String PRODUCER_OUTPUT = String.join(
            "\n",
            "499986 records sent, 99997.2 records/sec (9.54 MB/sec), 151.3 ms avg latency, 512.0 ms max latency.",
            "1000000 records sent, 105374.077977 records/sec (10.05 MB/sec), 12.64 ms avg latency, 180.00 ms max"
                    + " latency, 11 ms 50th, 30 ms 95th, 36 ms 99th, 43 ms 99.9th.",
            "");

    @Test
    void producerFiguresComeFromTheTotalLineNotTheWindowLines() throws RunFailedException {
        // When
        Map<String, Double> values = ToolOutputs.producerPerformance(PRODUCER_OUTPUT, 1_000_000);

        // Then
        assertThat(values)
                .containsExactly(
                        Map.entry("rps", 105374.077977),
                        Map.entry("mbps", 10.05),
                        Map.entry("avg_ms", 12.64),
                        Map.entry("p50_ms", 11.0),
                        Map.entry("p99_ms", 36.0),
                        Map.entry("p999_ms", 43.0));
    }

    @Test
    void producerRunWithUnacknowledgedRecordsFails() {
        assertThatThrownBy(() -> ToolOutputs.producerPerformance(PRODUCER_OUTPUT, 2_000_000))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("only 1000000 of 2000000 records were acknowledged without error");
    }

    @Test
    void producerRunWithoutTotalLineFails() {
        assertThatThrownBy(() -> ToolOutputs.producerPerformance("12 records sent, 1.0 records/sec\n", 12))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("ProducerPerformance printed no summary line");
    }

    @Test
    void consumerFiguresAreTheFetchPhaseAndTheJoinTime() throws RunFailedException {
        // Given
        String output = String.join(
                "\n",
                "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,"
                        + " fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
                "2026-07-01 10:00:00:000, 2026-07-01 10:00:02:400, 9.5367, 3.9736, 100000, 41666.6667, 608, 1792,"
                        + " 5.3218, 55803.5714",
                "");

        // When
        Map<String, Double> values = ToolOutputs.consumerPerformance(output, 100_000);

        // Then
        assertThat(values)
                .containsExactly(Map.entry("rps", 55803.5714), Map.entry("mbps", 5.3218), Map.entry("join_ms", 608.0));
    }

    @Test
    void consumerRunThatStoppedEarlyFailsWithTheToolsWarning() {
        // Given
        String output = String.join(
                "\n",
                "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,"
                        + " fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
                "WARNING: Exiting before consuming the expected number of records: timeout (10000 ms) exceeded. You can"
                        + " use the --timeout option to increase the timeout.",
                "2026-07-01 10:00:00:000, 2026-07-01 10:00:10:100, 0.0000, 0.0000, 0, 0.0000, 0, 10100, 0.0000, 0.0000");

        // Then
        assertThatThrownBy(() -> ToolOutputs.consumerPerformance(output, 100_000))
                .isInstanceOf(RunFailedException.class)
                .hasMessageStartingWith("WARNING: Exiting before consuming the expected number of records");
    }

    @Test
    void consumerRunWithFewerRecordsFails() {
        // Given
        String output = String.join(
                "\n",
                "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,"
                        + " fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
                "2026-07-01 10:00:00:000, 2026-07-01 10:00:01:000, 0.0095, 0.0095, 100, 100.0000, 0, 1000, 0.0095,"
                        + " 100.0000");

        // Then
        assertThatThrownBy(() -> ToolOutputs.consumerPerformance(output, 1_000))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("consumed 100 of 1000 records");
    }

    @Test
    void endToEndFiguresAreTheAverageAndPercentiles() throws RunFailedException {
        // Given
        String output = "0\t35.2\nAvg latency: 2.6204 ms\nPercentiles: 50th = 1, 99th = 9, 99.9th = 48\n";

        // When
        Map<String, Double> values = ToolOutputs.endToEndLatency(output);

        // Then
        assertThat(values)
                .containsExactly(
                        Map.entry("avg_ms", 2.6204),
                        Map.entry("p50_ms", 1.0),
                        Map.entry("p99_ms", 9.0),
                        Map.entry("p999_ms", 48.0));
    }

    @Test
    void failureLineIsTheFirstExceptionLine() {
        // Given
        String stderr = String.join(
                "\n",
                "The node does not support FIND_COORDINATOR",
                "org.apache.kafka.common.errors.UnsupportedVersionException: The node does not support FIND_COORDINATOR",
                "\tat org.apache.kafka.tools.ConsumerPerformance.main(ConsumerPerformance.java:60)");

        // Then
        assertThat(ToolOutputs.failureLine(stderr, ""))
                .isEqualTo("org.apache.kafka.common.errors.UnsupportedVersionException: The node does not support"
                        + " FIND_COORDINATOR");
    }

    @Test
    void failureLineWithoutExceptionIsTheLastLineOfStderr() {
        assertThat(ToolOutputs.failureLine("first\nlast\n\n", "stdout line")).isEqualTo("last");
        assertThat(ToolOutputs.failureLine("", "")).isEqualTo("no output");
    }
}
