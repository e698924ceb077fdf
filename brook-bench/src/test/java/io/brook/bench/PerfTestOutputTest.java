package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PerfTestOutputTest {
    /** PerfTest 2.22.1's output of a count-limited run against RabbitMQ 3.10.8 on this machine. */
    private static final String COUNT_LIMITED = String.join(
            "\n",
            "id: test-035354-288, starting consumer #0",
            "id: test-035354-288, starting producer #0",
            "id: test-035354-288, time 1.002 s, sent: 16272 msg/s, confirmed: 15273 msg/s, nacked: 0 msg/s, received:"
                    + " 15990 msg/s, min/median/75th/95th/99th consumer latency: 247/18485/28072/52253/57436 µs,"
                    + " confirm latency: 417/33284/44387/57687/66993 µs",
            "test stopped (Producer reached message limit, Consumer reached message limit)",
            "id: test-035354-288, sending rate avg: 18470 msg/s",
            "id: test-035354-288, receiving rate avg: 18469 msg/s",
            "id: test-035354-288, consumer latency min/median/75th/95th/99th 188/15892/24444/87827/122855 µs",
            "id: test-035354-288, confirm latency min/median/75th/95th/99th 410/27604/38306/55462/77827 µs",
            "");

    @Test
    void summaryLinesGiveRatesAndConsumerLatencyInMillis() throws RunFailedException {
        // When
        PerfTestOutput output = PerfTestOutput.parse(COUNT_LIMITED);

        // Then
        assertThat(output.sendingRate()).isEqualTo(18470);
        assertThat(output.receivingRate()).isEqualTo(18469);
        assertThat(output.consumerLatencyMillis().keySet()).containsExactly("min", "median", "75th", "95th", "99th");
        assertThat(output.latencyMillis("median").getAsDouble()).isCloseTo(15.892, within(1e-9));
        assertThat(output.latencyMillis("99th").getAsDouble()).isCloseTo(122.855, within(1e-9));
        assertThat(output.latencyMillis("max")).isEmpty();
        assertThat(output.stopReason())
                .isEqualTo(Optional.of("Producer reached message limit, Consumer reached message limit"));
    }

    @Test
    void millisecondLatenciesAndUnlabelledLinesAndGroupedRatesAreRead() throws RunFailedException {
        // Given: --use-millis, no --id, a rate with a thousands separator, stdout that was not UTF-8
        String output = String.join(
                "\n",
                "sending rate avg: 1,000 msg/s",
                "receiving rate avg: 999.5 msg/s",
                "consumer latency min/median/75th/95th/99th 0/2/3/5/9 ms");

        // When
        PerfTestOutput parsed = PerfTestOutput.parse(output);

        // Then
        assertThat(parsed.sendingRate()).isEqualTo(1000);
        assertThat(parsed.receivingRate()).isEqualTo(999.5);
        assertThat(parsed.consumerLatencyMillis())
                .containsExactly(
                        Map.entry("min", 0.0),
                        Map.entry("median", 2.0),
                        Map.entry("75th", 3.0),
                        Map.entry("95th", 5.0),
                        Map.entry("99th", 9.0));
        assertThat(parsed.stopReason()).isEmpty();
        assertThat(PerfTestOutput.parse(output.replace("9 ms", "9 ?s"))
                        .latencyMillis("99th")
                        .getAsDouble())
                .isCloseTo(0.009, within(1e-12));
    }

    @Test
    void outputWithoutTheSummaryFails() {
        String perSecondOnly = COUNT_LIMITED.lines().limit(3).reduce("", (a, b) -> a + b + "\n");

        assertThatThrownBy(() -> PerfTestOutput.parse(perSecondOnly))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("PerfTest printed no 'sending rate avg' and 'receiving rate avg' summary");
    }

    @Test
    void outputWithoutConsumerLatencyFails() {
        String noLatency = "sending rate avg: 10 msg/s\nreceiving rate avg: 10 msg/s\n";

        assertThatThrownBy(() -> PerfTestOutput.parse(noLatency))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("PerfTest printed no 'consumer latency' summary");
    }

    @Test
    void latencyLineWithMoreNamesThanValuesFails() {
        String uneven = "sending rate avg: 10 msg/s\nreceiving rate avg: 10 msg/s\n"
                + "consumer latency min/median/99th 1/2 µs\n";

        assertThatThrownBy(() -> PerfTestOutput.parse(uneven))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("PerfTest's consumer latency line names 3 values but has 2: consumer latency"
                        + " min/median/99th 1/2 µs");
    }
}
