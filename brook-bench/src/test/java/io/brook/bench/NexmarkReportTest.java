package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.bench.NexmarkReport.Outcome;
import io.brook.bench.NexmarkReport.QueryResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class NexmarkReportTest {
    @Test
    void tablePrintsBothEnginesRatioRowsAndWhatDiffersAndTheSummaryIsLast() {
        // Given
        List<QueryResult> results = List.of(
                new QueryResult(
                        "q1",
                        Outcome.measured(100_000, OptionalDouble.of(40_000), 1840, 20),
                        Outcome.measured(250_000, OptionalDouble.of(140_000), 1840, 8)),
                new QueryResult(
                        "q5",
                        Outcome.measured(50_000, OptionalDouble.empty(), 10, 40),
                        Outcome.measured(60_000, OptionalDouble.of(30_000), 12, 33.3)),
                new QueryResult(
                        "q4",
                        Outcome.refused("AnalysisException: append mode without watermark"),
                        Outcome.failed("exit code 1")));
        StringWriter text = new StringWriter();

        // When
        NexmarkReport.print(new PrintWriter(text), List.of("header"), results, 2, 2_000_000, List.of("a note"));

        // Then
        List<String> lines = text.toString().lines().toList();
        assertThat(lines)
                .containsSubsequence(
                        "header",
                        "query  Spark ev/s  Brook ev/s  Brook/Spark  rows Spark  rows Brook  note",
                        "q1         100000      250000        2.500        1840        1840",
                        "q5          50000       60000        1.200          10          12  ROWS DIFFER",
                        "q4            n/a         n/a          n/a         n/a         n/a  Spark refused; Brook failed",
                        "query  Spark ev/s/core  Brook ev/s/core  Flink ev/s/core (published)",
                        "q1               50000           125000                       157940",
                        "q4                 n/a              n/a                        34330",
                        "query  Spark ev/CPU-s  Brook ev/CPU-s  Brook/Spark",
                        "q1              40000          140000        3.500",
                        "q5                n/a           30000          n/a",
                        "  q4 spark refused: AnalysisException: append mode without watermark",
                        "  q4 brook failed: exit code 1",
                        "  - a note");
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("summary events=2000000 q1_spark_eps=100000 q1_brook_eps=250000 q1_ratio=2.500"
                        + " q1_cpu_ratio=3.500 q1_spark_rows=1840 q1_brook_rows=1840 q5_spark_eps=50000"
                        + " q5_brook_eps=60000 q5_ratio=1.200 q5_cpu_ratio=n/a q5_spark_rows=10 q5_brook_rows=12"
                        + " q4_spark_eps=n/a q4_brook_eps=n/a q4_ratio=n/a q4_cpu_ratio=n/a q4_spark_rows=n/a"
                        + " q4_brook_rows=n/a spark_ran=q1,q5 brook_ran=q1,q5");
    }

    @Test
    void anOutcomeIsReadFromTheRunnersLinesAndEveryEventMustHaveBeenRead() {
        // Given: a run over a topic of 1000 events that Spark read twice (a self-join scans the topic twice)
        String twice = String.join(
                "\n",
                "info engine=spark version=4.2.0 query=q3",
                "step rate=1 start_ms=1000",
                "batch rate=1 id=0 ts_ms=1100 rows=1200 trigger_ms=900 max_event_ms=5",
                "batch rate=1 id=1 ts_ms=2000 rows=800 trigger_ms=900 max_event_ms=9",
                "step_end rate=1 end_ms=3000 status=ok",
                "rows_out count=42",
                "cpu ms=4000",
                "done");
        String short1 = twice.replace("rows=800", "rows=700");
        String refused = "info engine=spark\nrefused reason=AnalysisException: not supported";
        Duration timeout = Duration.ofSeconds(60);

        // When
        Outcome measured = NexmarkBenchmark.outcome(new NexmarkBenchmark.ChildRun(0, twice, "", 3), 1000, timeout);
        Outcome incomplete = NexmarkBenchmark.outcome(new NexmarkBenchmark.ChildRun(0, short1, "", 3), 1000, timeout);
        Outcome refusal = NexmarkBenchmark.outcome(new NexmarkBenchmark.ChildRun(0, refused, "", 3), 1000, timeout);
        Outcome timedOut = NexmarkBenchmark.outcome(
                new NexmarkBenchmark.ChildRun(-1, "step rate=1 start_ms=1000", "last line", 60), 1000, timeout);

        // Then: 1000 events in 2 s
        assertThat(measured.eventsPerSecond()).hasValue(500.0);
        assertThat(measured.rows()).hasValue(42);
        assertThat(measured.eventsPerCpuSecond()).hasValue(250.0);
        assertThat(incomplete.eventsPerCpuSecond()).isEmpty();
        assertThat(incomplete.problem())
                .isEqualTo("failed: read 1900 rows, not a whole number of passes over the 1000 events");
        assertThat(refusal.refused()).isTrue();
        assertThat(refusal.problem()).isEqualTo("refused: AnalysisException: not supported");
        assertThat(timedOut.problem())
                .isEqualTo("failed: no end within 60 s (BENCH_RUN_TIMEOUT_SECONDS); stopped; the runner stopped during"
                        + " this step");
    }
}
