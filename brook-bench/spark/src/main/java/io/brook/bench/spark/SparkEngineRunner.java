package io.brook.bench.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.window;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

/**
 * The engine benchmark's Spark side: the same workloads as brook-bench's BrookEngineRunner, on Apache Spark Structured
 * Streaming in local mode, printing the same lines (read by brook-bench's EngineRunOutput); keep the two alike. The
 * command line is EngineRunnerOptions': {@code --workload startup|latency|throughput|etl --work-dir DIR
 * [--rates R1,R2,...] [--step-seconds S] [--warmup-seconds S] [--interval-ms MS] [--latency-rate R]
 * [--latency-seconds S] [--deadline-seconds S] [--bootstrap HOST:PORT] [--topic T] [--etl-max-offsets N]}.
 *
 * <p>Configuration, kept comparable to Brook on this machine: {@code local[2]} (two cores), 2 shuffle partitions
 * (Spark's default 200 would make every micro-batch of a 2-core run schedule 200 tasks), the web UI off, the default
 * state store (HDFSBackedStateStoreProvider, in memory with checkpoint files), and a foreachBatch sink that counts the
 * rows, as on Brook. Progress comes from {@code recentProgress()}, kept long enough for a whole step.
 */
public final class SparkEngineRunner {
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final PrintWriter out;
    private final Map<String, String> options;
    private final SparkSession spark;
    private final long deadlineMillis;

    private SparkEngineRunner(PrintWriter out, Map<String, String> options, SparkSession spark, long deadlineMillis) {
        this.out = out;
        this.options = options;
        this.spark = spark;
        this.deadlineMillis = deadlineMillis;
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        Map<String, String> options = parse(args);
        long deadline = System.currentTimeMillis() + Long.parseLong(options.get("deadline-seconds")) * 1000L;
        int status = 0;
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("brook-engine-benchmark")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.streaming.numRecentProgressUpdates", "100000")
                .getOrCreate();
        try {
            new SparkEngineRunner(out, options, spark, deadline).run();
            out.println("done");
        } catch (RuntimeException | TimeoutException e) {
            out.println("ladder_end reason=the runner failed: " + oneLine(e));
            status = 1;
        } finally {
            out.flush();
            spark.stop();
        }
        System.exit(status);
    }

    private void run() throws InterruptedException, TimeoutException {
        out.println("info engine=spark version=" + SparkContext.getOrCreate().version()
                + " master=local[2] shuffle_partitions=2 ui=off state_store=HDFSBackedStateStoreProvider"
                + " sink=foreachBatch(count)");
        long latencyRate = Long.parseLong(options.get("latency-rate"));
        switch (options.get("workload")) {
            case "startup" -> startup(latencyRate);
            case "latency" -> {
                Dataset<Row> evens = rate(latencyRate).filter(col("value").mod(2).equalTo(0));
                long millis = (Long.parseLong(options.get("warmup-seconds"))
                                + Long.parseLong(options.get("latency-seconds")))
                        * 1000L;
                step(evens, "append", Trigger.ProcessingTime(0), latencyRate, millis, "latency");
            }
            case "throughput" -> throughput();
            case "etl" -> etl();
            default -> throw new IllegalArgumentException("unknown workload " + options.get("workload"));
        }
    }

    private void startup(long rowsPerSecond) throws InterruptedException, TimeoutException {
        LongAdder rows = new LongAdder();
        StreamingQuery query = rate(rowsPerSecond)
                .writeStream()
                .option("checkpointLocation", checkpoint("startup").toString())
                .foreachBatch(counting(rows))
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

    private void throughput() throws InterruptedException, TimeoutException {
        long stepMillis = Long.parseLong(options.get("step-seconds")) * 1000L;
        long interval = Long.parseLong(options.get("interval-ms"));
        for (String text : options.get("rates").split(",")) {
            long rate = Long.parseLong(text.strip());
            if (System.currentTimeMillis() + stepMillis + STOP_TIMEOUT_MILLIS > deadlineMillis) {
                out.println("ladder_end reason=no time left for a step at " + rate + " rows/s");
                return;
            }
            Dataset<Row> counts = rate(rate)
                    .withWatermark("timestamp", "5 seconds")
                    .groupBy(window(col("timestamp"), "10 seconds"), col("value").mod(100).as("bucket"))
                    .agg(count("*").as("count"));
            List<Long> durations =
                    step(counts, "update", Trigger.ProcessingTime(interval), rate, stepMillis, "throughput-" + rate);
            if (durations == null) {
                out.println("ladder_end reason=the query at " + rate + " rows/s failed");
                return;
            }
            // The parent judges each step in full; this only stops climbing once clearly overloaded.
            if (durations.isEmpty()) {
                out.println("ladder_end reason=no batch with rows completed after the warm-up at " + rate + " rows/s");
                return;
            }
            if (median(durations) > interval) {
                out.println("ladder_end reason=median batch above the trigger interval at " + rate + " rows/s");
                return;
            }
        }
        out.println("ladder_end reason=all rates run");
    }

    /** As BrookEngineRunner's etl: the same query over the same topic, the same lines. */
    private void etl() throws InterruptedException, TimeoutException {
        Path output = Path.of(options.get("work-dir")).resolve("etl-output");
        // brook-bench's EtlTopic.SCHEMA
        StructType schema = StructType.fromDDL("ts TIMESTAMP, page STRING, user STRING, latency_ms BIGINT");
        Dataset<Row> views = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", options.get("bootstrap"))
                .option("subscribe", options.get("topic"))
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", options.get("etl-max-offsets"))
                .load()
                .select(from_json(col("value").cast("string"), schema).as("event"))
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
        } catch (Exception e) {
            failure = oneLine(e);
        }
        long end = System.currentTimeMillis();
        String stopFailure = stop(query);
        printBatches(1, query.recentProgress());
        if (failure == null) {
            failure = stopFailure;
        }
        out.println("step_end rate=1 end_ms=" + end + " status=" + (failure == null ? "ok" : "failed reason=" + failure));
        if (failure == null) {
            out.println("etl rows_out=" + spark.read().parquet(output.toString()).count());
        }
    }

    private Dataset<Row> rate(long rowsPerSecond) {
        return spark.readStream()
                .format("rate")
                .option("rowsPerSecond", rowsPerSecond)
                .load();
    }

    private static VoidFunction2<Dataset<Row>, Long> counting(LongAdder rows) {
        return (batch, batchId) -> rows.add(batch.count());
    }

    /** As BrookEngineRunner's step: run, stop, print the step and its batches; durations after warm-up, or null. */
    private List<Long> step(Dataset<Row> data, String outputMode, Trigger trigger, long rate, long millis, String name)
            throws InterruptedException, TimeoutException {
        LongAdder rows = new LongAdder();
        long start = System.currentTimeMillis();
        out.println("step rate=" + rate + " start_ms=" + start);
        String failure = null;
        StreamingQuery query = data.writeStream()
                .outputMode(outputMode)
                .trigger(trigger)
                .queryName(name)
                .option("checkpointLocation", checkpoint(name).toString())
                .foreachBatch(counting(rows))
                .start();
        try {
            if (query.awaitTermination(millis)) {
                failure = "the query ended by itself";
            }
        } catch (Exception e) {
            failure = oneLine(e);
        }
        String stopFailure = stop(query);
        long end = System.currentTimeMillis();
        printBatches(rate, query.recentProgress());
        List<Long> durations = new ArrayList<>();
        long warmupEnd = start + Long.parseLong(options.get("warmup-seconds")) * 1000L;
        for (StreamingQueryProgress progress : query.recentProgress()) {
            long timestamp = Instant.parse(progress.timestamp()).toEpochMilli();
            if (progress.numInputRows() > 0 && timestamp >= warmupEnd) {
                durations.add(triggerMillis(progress));
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

    private void printBatches(long rate, StreamingQueryProgress[] reports) {
        for (StreamingQueryProgress progress : reports) {
            String maxEvent = progress.eventTime().get("max");
            out.println("batch rate=" + rate + " id=" + progress.batchId() + " ts_ms="
                    + Instant.parse(progress.timestamp()).toEpochMilli() + " rows=" + progress.numInputRows()
                    + " trigger_ms=" + triggerMillis(progress) + " max_event_ms="
                    + (maxEvent == null ? -1 : Instant.parse(maxEvent).toEpochMilli()));
        }
    }

    private static long triggerMillis(StreamingQueryProgress progress) {
        Long millis = progress.durationMs().get("triggerExecution");
        return millis == null ? 0 : millis;
    }

    private Path checkpoint(String name) {
        return Path.of(options.get("work-dir")).resolve("checkpoints").resolve("spark-" + name);
    }

    private static String stop(StreamingQuery query) throws InterruptedException {
        Thread stopper = new Thread(
                () -> {
                    try {
                        query.stop();
                    } catch (TimeoutException e) {
                        // reported below: the thread is still alive or the query still active
                    }
                },
                "brook-bench-stop-query");
        stopper.setDaemon(true);
        stopper.start();
        stopper.join(STOP_TIMEOUT_MILLIS);
        return stopper.isAlive() || query.isActive()
                ? "the query did not stop within " + STOP_TIMEOUT_MILLIS + " ms"
                : null;
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

    private static Map<String, String> parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("rates", "50000");
        values.put("step-seconds", "15");
        values.put("warmup-seconds", "5");
        values.put("interval-ms", "1000");
        values.put("latency-rate", "1000");
        values.put("latency-seconds", "30");
        values.put("deadline-seconds", "600");
        values.put("bootstrap", "");
        values.put("topic", "");
        values.put("etl-max-offsets", "500000");
        List<String> known = List.copyOf(values.keySet());
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs; got " + Arrays.toString(args));
            }
            String key = args[i].substring(2);
            if (!known.contains(key) && !key.equals("workload") && !key.equals("work-dir")) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
            values.put(key, args[i + 1]);
        }
        if (!values.containsKey("workload") || !values.containsKey("work-dir")) {
            throw new IllegalArgumentException("--workload and --work-dir are required");
        }
        return values;
    }
}
