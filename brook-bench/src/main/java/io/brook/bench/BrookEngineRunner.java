package io.brook.bench;

import static io.brook.engine.api.functions.avg;
import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.from_json;
import static io.brook.engine.api.functions.window;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.stream.StreamingQueryListener;
import io.brook.engine.stream.StreamingQueryProgress;
import io.brook.engine.stream.Trigger;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine benchmark's Brook side, run by {@link EngineBenchmark} in a JVM of its own from brook-bench's classpath:
 * one workload ({@code startup}, {@code latency}, {@code throughput} or {@code etl}, see {@link EngineRunnerOptions}) on Brook's
 * engine, reported on stdout in the line format {@link EngineRunOutput} reads. SparkEngineRunner (brook-bench/spark)
 * runs the same queries on Apache Spark and prints the same lines; keep the two alike.
 *
 * <p>Every query ends within its step's time; a query that does not stop within {@link #STOP_TIMEOUT_MILLIS} ends the
 * run. The JVM exits when the workload is done.
 */
public final class BrookEngineRunner {
    static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final PrintWriter out;
    private final EngineRunnerOptions options;
    private final Brook brook;
    private final long deadlineMillis;

    private BrookEngineRunner(PrintWriter out, EngineRunnerOptions options, Brook brook, long deadlineMillis) {
        this.out = out;
        this.options = options;
        this.brook = brook;
        this.deadlineMillis = deadlineMillis;
    }

    public static void main(String[] args) throws InterruptedException {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        EngineRunnerOptions options = EngineRunnerOptions.parse(args);
        long deadline = System.currentTimeMillis() + options.deadlineSeconds() * 1000L;
        int status = 0;
        try (Brook brook = Brook.local()) {
            new BrookEngineRunner(out, options, brook, deadline).run();
            out.println("done");
        } catch (RuntimeException e) {
            out.println("ladder_end reason=the runner failed: " + oneLine(e));
            status = 1;
        }
        out.flush();
        System.exit(status);
    }

    private void run() throws InterruptedException {
        out.println("info engine=brook state_store=memory sink=foreachBatch(count)");
        switch (options.workload()) {
            case "startup" -> startup();
            case "latency" -> {
                Dataset<Row> evens =
                        rate(options.latencyRate()).filter(col("value").mod(2).equalTo(0));
                step(evens, "append", Trigger.defaultTrigger(), options.latencyRate(), latencyMillis(), "latency");
            }
            case "throughput" -> throughput();
            case "etl" -> etl();
            default -> throw new IllegalArgumentException("unknown workload " + options.workload());
        }
    }

    /** From JVM start (measured by the parent) to the first progress report of a trivial query. */
    private void startup() throws InterruptedException {
        LongAdder rows = new LongAdder();
        StreamingQuery query = rate(options.latencyRate())
                .writeStream()
                .option("checkpointLocation", checkpoint("startup").toString())
                .foreachBatch((batch, batchId) -> rows.add(batch.count()))
                .start();
        out.println("started ms=" + System.currentTimeMillis());
        try {
            // The first batch that read rows: Spark may first report a batch of none.
            while (!hasRows(query) && query.isActive() && System.currentTimeMillis() < deadlineMillis) {
                Thread.sleep(1);
            }
            if (hasRows(query)) {
                out.println("first_batch ms=" + System.currentTimeMillis());
            }
        } finally {
            stop(query);
        }
    }

    private void throughput() throws InterruptedException {
        long stepMillis = options.stepSeconds() * 1000L;
        for (long rate : options.rates()) {
            if (System.currentTimeMillis() + stepMillis + STOP_TIMEOUT_MILLIS > deadlineMillis) {
                out.println("ladder_end reason=no time left for a step at " + rate + " rows/s");
                return;
            }
            Dataset<Row> counts = rate(rate)
                    .withWatermark("timestamp", "5 seconds")
                    .groupBy(
                            window(col("timestamp"), "10 seconds"),
                            col("value").mod(100).as("bucket"))
                    .agg(count("*").as("count"));
            List<Long> durations = step(
                    counts,
                    "update",
                    Trigger.ProcessingTime(options.intervalMillis()),
                    rate,
                    stepMillis,
                    "throughput-" + rate);
            if (durations == null) {
                out.println("ladder_end reason=the query at " + rate + " rows/s failed");
                return;
            }
            // The parent judges each step in full (SustainedRate); this only stops climbing once clearly overloaded.
            if (durations.isEmpty()) {
                out.println("ladder_end reason=no batch with rows completed after the warm-up at " + rate + " rows/s");
                return;
            }
            if (median(durations) > options.intervalMillis()) {
                out.println("ladder_end reason=median batch above the trigger interval at " + rate + " rows/s");
                return;
            }
        }
        out.println("ladder_end reason=all rates run");
    }

    /**
     * The Kafka JSON ETL: the whole topic (read from its start, at most {@code etl-max-offsets} records a batch) parsed,
     * counted and averaged per page and 10 s window, appended to Parquet files with the available-now trigger. Printed
     * as one step (its rate the number of events) and an {@code etl} line with the rows the output holds.
     */
    private void etl() throws InterruptedException {
        Path output = options.workDir().resolve("etl-output");
        Dataset<Row> views = brook.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", options.bootstrap())
                .option("subscribe", options.topic())
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", options.etlMaxOffsets())
                .load()
                .select(from_json(col("value").cast("string"), EtlTopic.SCHEMA).as("event"))
                .select("event.*")
                .withWatermark("ts", "5 seconds")
                .groupBy(window(col("ts"), "10 seconds"), col("page"))
                .agg(count("*").as("views"), avg("latency_ms").as("avg_latency_ms"))
                .select(
                        col("window.start").as("window_start"),
                        col("window.end").as("window_end"),
                        col("page"),
                        col("views"),
                        col("avg_latency_ms"));
        Collector collector = new Collector();
        brook.addListener(collector);
        long start = System.currentTimeMillis();
        out.println("step rate=1 start_ms=" + start);
        String failure = null;
        StreamingQuery query = views.writeStream()
                .format("parquet")
                .outputMode("append")
                .trigger(Trigger.AvailableNow())
                .queryName("etl")
                .option("path", output.toString())
                .option("checkpointLocation", checkpoint("etl").toString())
                .start();
        try {
            if (!query.awaitTermination(Math.max(1, deadlineMillis - STOP_TIMEOUT_MILLIS - start))) {
                failure = "the query did not end before the deadline";
            }
        } catch (RuntimeException e) {
            failure = oneLine(e);
        }
        long end = System.currentTimeMillis();
        String stopFailure = stop(query);
        brook.removeListener(collector);
        printBatches(1, collector.reports());
        for (StreamingQueryProgress progress : collector.reports()) {
            out.println("progress " + progress.json().replaceAll("\\s+", " ")); // skipped by the parent; kept for study
        }
        if (failure == null) {
            failure = stopFailure;
        }
        out.println(
                "step_end rate=1 end_ms=" + end + " status=" + (failure == null ? "ok" : "failed reason=" + failure));
        if (failure == null) {
            out.println("etl rows_out="
                    + brook.read().format("parquet").load(output.toString()).count());
        }
    }

    private Dataset<Row> rate(long rowsPerSecond) {
        return brook.readStream()
                .format("rate")
                .option("rowsPerSecond", rowsPerSecond)
                .load();
    }

    /**
     * Runs {@code data} to a counting foreachBatch sink for {@code millis}, then prints the step and its batches.
     * Returns the durations of the batches with rows after the warm-up, or null when the query failed.
     */
    private List<Long> step(Dataset<Row> data, String outputMode, Trigger trigger, long rate, long millis, String name)
            throws InterruptedException {
        Collector collector = new Collector();
        brook.addListener(collector);
        LongAdder rows = new LongAdder();
        long start = System.currentTimeMillis();
        out.println("step rate=" + rate + " start_ms=" + start);
        String failure = null;
        StreamingQuery query = data.writeStream()
                .outputMode(outputMode)
                .trigger(trigger)
                .queryName(name)
                .option("checkpointLocation", checkpoint(name).toString())
                .foreachBatch((batch, batchId) -> rows.add(batch.count()))
                .start();
        try {
            if (query.awaitTermination(millis)) {
                failure = "the query ended by itself";
            }
        } catch (RuntimeException e) {
            failure = oneLine(e);
        }
        String stopFailure = stop(query);
        long end = System.currentTimeMillis();
        brook.removeListener(collector);
        List<StreamingQueryProgress> reports = collector.reports();
        printBatches(rate, reports);
        List<Long> durations = new ArrayList<>();
        for (StreamingQueryProgress progress : reports) {
            long timestamp = Instant.parse(progress.timestamp()).toEpochMilli();
            if (progress.numInputRows() > 0 && timestamp >= start + options.warmupSeconds() * 1000L) {
                durations.add(progress.durationMs().getOrDefault("triggerExecution", 0L));
            }
        }
        if (failure == null) {
            failure = stopFailure;
        }
        out.println("step_end rate=" + rate + " end_ms=" + end + " status="
                + (failure == null ? "ok" : "failed reason=" + failure));
        if (stopFailure != null) {
            out.println("ladder_end reason=" + stopFailure);
            out.flush();
            System.exit(1);
        }
        return failure == null ? durations : null;
    }

    private void printBatches(long rate, List<StreamingQueryProgress> reports) {
        for (StreamingQueryProgress progress : reports) {
            String maxEvent = progress.eventTime().get("max");
            out.println("batch rate=" + rate + " id=" + progress.batchId() + " ts_ms="
                    + Instant.parse(progress.timestamp()).toEpochMilli() + " rows=" + progress.numInputRows()
                    + " trigger_ms=" + progress.durationMs().getOrDefault("triggerExecution", 0L) + " max_event_ms="
                    + (maxEvent == null ? -1 : Instant.parse(maxEvent).toEpochMilli()));
        }
    }

    private long latencyMillis() {
        return (options.warmupSeconds() + (long) options.latencySeconds()) * 1000L;
    }

    private Path checkpoint(String name) {
        return options.workDir().resolve("checkpoints").resolve("brook-" + name);
    }

    /** Stops {@code query} from another thread, waiting at most {@link #STOP_TIMEOUT_MILLIS}; the failure or null. */
    private static String stop(StreamingQuery query) throws InterruptedException {
        Thread stopper = new Thread(
                () -> {
                    try {
                        query.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "brook-bench-stop-query");
        stopper.setDaemon(true);
        stopper.start();
        stopper.join(STOP_TIMEOUT_MILLIS);
        return stopper.isAlive() ? "the query did not stop within " + STOP_TIMEOUT_MILLIS + " ms" : null;
    }

    private static boolean hasRows(StreamingQuery query) {
        for (StreamingQueryProgress progress : query.recentProgress()) {
            if (progress.numInputRows() > 0) {
                return true;
            }
        }
        return false;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String oneLine(Throwable e) {
        String text = e.toString().replaceAll("\\s+", " ");
        return text.length() <= 300 ? text : text.substring(0, 297) + "...";
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
