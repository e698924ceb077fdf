package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.brook.engine.BrookException;
import io.brook.engine.api.Brook;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.stream.StreamingQueryListener;
import io.brook.engine.stream.StreamingQueryProgress;
import io.brook.sql.SqlResult;
import io.brook.sql.SqlSession;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Nexmark benchmark's Brook side, run by {@link NexmarkBenchmark} in a JVM of its own: one query of
 * examples/nexmark ({@code qN.sql}, unchanged) over the Kafka topic that {@link NexmarkTopic} filled, declared by
 * {@code ddl-kafka.sql}, run through {@link SqlSession} with the available-now trigger to the end of the topic. The
 * query's blackhole sink discards the rows; the rows it was given are counted from the progress reports. Prints the
 * lines {@link EngineRunOutput} reads: one step, its batches, {@code rows_out count=N}, or {@code refused reason=...}
 * when the query cannot be started. SparkNexmarkRunner (brook-bench/spark) does the same on Spark; keep them alike.
 *
 * <p>Usage: {@code BrookNexmarkRunner --query qN --queries-dir DIR --work-dir DIR --bootstrap HOST:PORT --topic T
 * --max-offsets N --deadline-seconds S}. The JVM exits when the query has ended or the deadline has passed.
 */
public final class BrookNexmarkRunner {
    private BrookNexmarkRunner() {}

    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        NexmarkRunnerOptions options = NexmarkRunnerOptions.parse(args);
        long deadline = System.currentTimeMillis() + options.deadlineSeconds() * 1000L;
        int status = 0;
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            run(out, options, brook, session, deadline);
            out.println("done");
        } catch (IOException | RuntimeException e) {
            out.println("ladder_end reason=the runner failed: " + oneLine(e));
            status = 1;
        }
        out.flush();
        System.exit(status);
    }

    private static void run(
            PrintWriter out, NexmarkRunnerOptions options, Brook brook, SqlSession session, long deadline)
            throws IOException, InterruptedException {
        out.println("info engine=brook query=" + options.query() + " sink=blackhole");
        String ddl = Files.readString(options.queriesDir().resolve("ddl-kafka.sql"), UTF_8);
        String sql = Files.readString(options.queriesDir().resolve(options.query() + ".sql"), UTF_8);
        session.define("NEXMARK_BOOTSTRAP", options.bootstrap());
        session.define("NEXMARK_TOPIC", options.topic());
        session.define("NEXMARK_MAX_OFFSETS", Long.toString(options.maxOffsets()));
        session.execute("SET 'trigger' = 'available-now';");
        session.execute("SET 'checkpoint.dir' = '"
                + options.workDir().resolve("checkpoints").resolve("brook-" + options.query()) + "';");
        session.execute(ddl);
        Collector collector = new Collector();
        brook.addListener(collector);
        long start = System.currentTimeMillis();
        long cpuStart = processCpuNanos();
        StreamingQuery query;
        try {
            List<SqlResult> results = session.execute(sql);
            query = results.get(results.size() - 1).query();
        } catch (BrookException e) {
            out.println("refused reason=" + oneLine(e));
            return;
        }
        if (query == null) {
            out.println("refused reason=" + options.query() + ".sql started no continuous query");
            return;
        }
        out.println("step rate=1 start_ms=" + start);
        String failure = null;
        try {
            if (!query.awaitTermination(Math.max(1, deadline - start))) {
                failure = "the query did not end before the deadline (BENCH_RUN_TIMEOUT_SECONDS)";
            } else if (query.exception() != null) {
                failure = oneLine(query.exception());
            }
        } catch (RuntimeException e) {
            failure = oneLine(e);
        }
        long end = System.currentTimeMillis();
        long cpuNanos = processCpuNanos() - cpuStart;
        if (failure != null) {
            query.stop();
        }
        brook.removeListener(collector);
        long rowsOut = 0;
        for (StreamingQueryProgress progress : collector.reports()) {
            String maxEvent = progress.eventTime().get("max");
            out.println("batch rate=1 id=" + progress.batchId() + " ts_ms="
                    + Instant.parse(progress.timestamp()).toEpochMilli() + " rows=" + progress.numInputRows()
                    + " trigger_ms=" + progress.durationMs().getOrDefault("triggerExecution", 0L) + " max_event_ms="
                    + (maxEvent == null ? -1 : Instant.parse(maxEvent).toEpochMilli()));
            rowsOut += progress.sink() == null ? 0 : progress.sink().numOutputRows();
        }
        out.println(
                "step_end rate=1 end_ms=" + end + " status=" + (failure == null ? "ok" : "failed reason=" + failure));
        if (failure == null) {
            out.println("rows_out count=" + rowsOut);
            out.println("cpu ms=" + cpuNanos / 1_000_000);
        }
    }

    /** The CPU time of this JVM's threads (the engine's, the Kafka client's, GC and JIT), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String oneLine(Throwable e) {
        String text = e.toString().replaceAll("\\s+", " ");
        return text.length() <= 400 ? text : text.substring(0, 397) + "...";
    }

    /** Keeps every progress report; called on the query's thread. */
    private static final class Collector implements StreamingQueryListener {
        private final List<StreamingQueryProgress> reports = new ArrayList<>();

        @Override
        public synchronized void onQueryProgress(StreamingQueryProgress progress) {
            reports.add(progress);
        }

        synchronized List<StreamingQueryProgress> reports() {
            return List.copyOf(reports);
        }
    }
}
