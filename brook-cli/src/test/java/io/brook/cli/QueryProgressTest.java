package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.stream.StreamingQueryProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryProgressTest {
    private static StreamingQueryProgress progress(long rows, Map<String, String> eventTime) {
        return new StreamingQueryProgress(
                "3f6c1c2e-0000-0000-0000-000000000000",
                "run",
                "nexmark_q0",
                "2026-12-01T20:00:00Z",
                12,
                rows,
                10_000,
                2_123_456.7,
                Map.of("triggerExecution", 5L, "addBatch", 2L),
                eventTime,
                List.of(),
                List.of(),
                new StreamingQueryProgress.SinkProgress("blackhole", rows));
    }

    @Test
    void aBatchIsOneLineWithRowsRatesTimeAndWatermark() {
        // Given
        Map<String, String> eventTime = new LinkedHashMap<>();
        eventTime.put("max", "2023-11-14T22:13:20Z");
        eventTime.put("watermark", "2023-11-14T22:13:16Z");

        // When
        String line = QueryProgress.line(progress(10_000, eventTime));

        // Then
        assertThat(line)
                .isEqualTo("[nexmark_q0] batch 12: 10,000 rows, 10,000 rows/s in, 2.1 M rows/s processed, 5 ms,"
                        + " watermark 2023-11-14T22:13:16Z");
    }

    @Test
    void withoutAWatermarkTheLineEndsAtTheTime() {
        assertThat(QueryProgress.line(progress(1, Map.of())))
                .isEqualTo("[nexmark_q0] batch 12: 1 row, 10,000 rows/s in, 2.1 M rows/s processed, 5 ms");
    }

    @Test
    void aFailedQueryIsReportedByItsNameAndRemembered() {
        // Given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger terminations = new AtomicInteger();
        QueryProgress listener =
                new QueryProgress(new PrintWriter(out), new PrintWriter(err), terminations::incrementAndGet);
        UUID id = UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        listener.onQueryStarted(id, runId, "nexmark_q1");
        listener.onQueryStarted(UUID.randomUUID(), UUID.randomUUID(), "other");

        // When
        listener.onQueryTerminated(id, runId, new IllegalStateException("disk full"));

        // Then
        assertThat(listener.failed()).isTrue();
        assertThat(err.toString()).isEqualTo("Error: query nexmark_q1 failed: disk full" + System.lineSeparator());
        assertThat(terminations).hasValue(1);
    }

    @Test
    void aQueryThatEndsWithoutAFailureIsNotOne() {
        // Given
        StringWriter err = new StringWriter();
        QueryProgress listener = new QueryProgress(new PrintWriter(new StringWriter()), new PrintWriter(err), () -> {});

        // When
        listener.onQueryTerminated(UUID.randomUUID(), UUID.randomUUID(), null);

        // Then
        assertThat(listener.failed()).isFalse();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void formatsRatesAsPeopleReadThem() {
        assertThat(QueryProgress.rate(950.4)).isEqualTo("950");
        assertThat(QueryProgress.rate(10_000)).isEqualTo("10,000");
        assertThat(QueryProgress.rate(2_100_000)).isEqualTo("2.1 M");
        assertThat(QueryProgress.rate(999_960)).isEqualTo("1.0 M");
        assertThat(QueryProgress.rate(3.2e9)).isEqualTo("3.2 G");
    }
}
