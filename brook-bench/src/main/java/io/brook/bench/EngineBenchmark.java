package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.brook.bench.EngineRunOutput.Batch;
import io.brook.bench.EngineRunOutput.Step;
import io.brook.bench.Figure.Unit;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code bench/run.sh engine}: Brook's engine against Apache Spark Structured Streaming (local mode), the same queries
 * on each, every workload in a fresh JVM per engine, one after the other: start-up (JVM launch to the first completed
 * micro-batch), the micro-batch latency floor (batch durations of a trivial filter with the default trigger) and
 * sustained throughput (the highest rate-source rate a windowed count keeps up with, judged by {@link SustainedRate})
 * and a Kafka JSON ETL (a topic of click events in a Brook broker in this JVM, {@link EtlTopic}, parsed and aggregated
 * per page and window into Parquet files with the available-now trigger: events per second). Prints a table with the ratio Brook/Spark and, last, a
 * {@code summary} line; progress goes to stderr.
 *
 * <p>Usage: {@code EngineBenchmark --work-dir DIR --spark-lib DIR --spark-runner DIR}; Brook's runner runs from this
 * JVM's own classpath. Settings come from the environment (see {@link EngineSettings}).
 */
public final class EngineBenchmark {
    static final String SPARK_VERSION = "4.2.0";
    static final String SPARK_MAIN = "io.brook.bench.spark.SparkEngineRunner";
    static final String BROOK_MAIN = "io.brook.bench.BrookEngineRunner";

    /**
     * What Spark 4.2's launcher (org.apache.spark.launcher.JavaModuleOptions) adds to every JVM it starts; without
     * the --add-opens Spark fails on Java 17. The options for later JDKs are ignored by Java 17.
     */
    static final List<String> SPARK_MODULE_OPTIONS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.type=pooled",
            "-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE",
            "--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED");

    private static final String STARTUP = "startup";
    private static final String LATENCY = "latency";
    private static final String THROUGHPUT = "throughput";
    private static final String ETL = "etl";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path javaBinary;
    private final Path workDir;
    private final Path sparkLib;
    private final Path sparkRunner;
    private final String brookClasspath;
    private final EngineSettings settings;
    private final PrintWriter progress;
    private final Map<String, List<String>> ladders = new LinkedHashMap<>();
    private final Map<String, String> latencyDetails = new LinkedHashMap<>();
    private final Map<String, String> etlDetails = new LinkedHashMap<>();
    private final Map<String, Long> etlRowsOut = new LinkedHashMap<>();
    private EtlTopic etlTopic;
    private final Map<String, String> versions = new LinkedHashMap<>();

    EngineBenchmark(
            Path javaBinary,
            Path workDir,
            Path sparkLib,
            Path sparkRunner,
            String brookClasspath,
            EngineSettings settings,
            PrintWriter progress) {
        this.javaBinary = javaBinary;
        this.workDir = workDir;
        this.sparkLib = sparkLib;
        this.sparkRunner = sparkRunner;
        this.brookClasspath = brookClasspath;
        this.settings = settings;
        this.progress = progress;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        PrintWriter progress = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
        Map<String, Path> paths = new LinkedHashMap<>();
        EngineSettings settings;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                paths.put(args[i], Path.of(args[i + 1]).toAbsolutePath());
            }
            if (!paths.keySet().equals(Set.of("--work-dir", "--spark-lib", "--spark-runner"))) {
                throw new IllegalArgumentException(
                        "expected --work-dir, --spark-lib and --spark-runner; got " + paths.keySet());
            }
            settings = EngineSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            progress.println("Error: " + e.getMessage());
            progress.println("Usage: EngineBenchmark --work-dir DIR --spark-lib DIR --spark-runner DIR");
            System.exit(2);
            return;
        }
        try {
            new EngineBenchmark(
                            Path.of(System.getProperty("java.home"), "bin", "java"),
                            paths.get("--work-dir"),
                            paths.get("--spark-lib"),
                            paths.get("--spark-runner"),
                            System.getProperty("java.class.path"),
                            settings,
                            progress)
                    .run(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.println("Interrupted");
            System.exit(130);
        }
        System.exit(0);
    }

    /** Every figure of the report, in order. */
    static List<Figure> figures() {
        return List.of(
                new Figure("sustained_window_count_rps", Unit.RECORDS_PER_SECOND),
                new Figure("latency_batch_p50_ms", Unit.MILLISECONDS),
                new Figure("latency_batch_p99_ms", Unit.MILLISECONDS),
                new Figure("kafka_json_etl_rps", Unit.RECORDS_PER_SECOND),
                new Figure("startup_query_started_ms", Unit.MILLISECONDS),
                new Figure("startup_first_batch_ms", Unit.MILLISECONDS));
    }

    void run(PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        String loadBefore = loadAverage();
        SystemResult spark = new SystemResult(EngineSettings.SPARK);
        SystemResult brook = new SystemResult(EngineSettings.BROOK);
        for (SystemResult result : List.of(spark, brook)) {
            if (!settings.systems().contains(result.system())) {
                result.error("all", "not run (BENCH_SYSTEMS=" + String.join(",", settings.systems()) + ")");
            }
        }
        try {
            for (String workload : settings.workloads()) {
                if (workload.equals(ETL) && !startEtlTopic(spark, brook)) {
                    continue;
                }
                for (SystemResult result : List.of(spark, brook)) {
                    if (settings.systems().contains(result.system())) {
                        runWorkload(result, workload);
                    }
                }
            }
        } finally {
            closeEtlTopic();
        }
        if (etlRowsOut.size() == 2 && etlRowsOut.values().stream().distinct().count() > 1) {
            brook.error(ETL, "the two engines' outputs differ in size: " + etlRowsOut + " rows");
        }
        List<String> header = List.of(
                String.format(
                        Locale.ROOT,
                        "Engine benchmark: Apache Spark %s Structured Streaming (local[2]) vs Brook's engine, %d cores,"
                                + " took %.0f s%s",
                        versions.getOrDefault(EngineSettings.SPARK, SPARK_VERSION),
                        Runtime.getRuntime().availableProcessors(),
                        (System.nanoTime() - start) / 1e9,
                        settings.quick() ? " (QUICK=1: shorter steps and ladder)" : ""),
                "Spark: local[2], spark.sql.shuffle.partitions=2 (default 200), spark.ui.enabled=false, default state"
                        + " store; both engines: -Xmx" + settings.heap() + ", a foreachBatch sink that counts rows,"
                        + " checkpoints on local disk, each workload in a fresh JVM, one engine at a time.",
                "Brook: revision " + System.getProperty("brook.bench.revision", "unknown") + ", engine "
                        + System.getProperty("brook.bench.engine", "from brook-bench's classpath") + ".",
                "Load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage()
                        + " (other work on the machine shows here and makes figures noisy).");
        Report.print(out, header, figures(), spark, brook, details(), notes());
    }

    private void runWorkload(SystemResult result, String workload) throws InterruptedException {
        String system = result.system();
        progress.printf(Locale.ROOT, "[%s] %s ... ", system, workload);
        progress.flush();
        ChildRun run;
        try {
            run = runChild(system, workload);
        } catch (IOException e) {
            progress.println("FAILED: " + e.getMessage());
            result.error(workload, e.getMessage());
            return;
        }
        EngineRunOutput output;
        try {
            output = EngineRunOutput.parse(run.stdout());
        } catch (RunFailedException e) {
            progress.println("FAILED: " + e.getMessage());
            result.error(workload, e.getMessage());
            return;
        }
        versions.putIfAbsent(system, output.info().getOrDefault("version", SPARK_VERSION));
        if (run.exitCode() != 0) {
            String why = run.exitCode() < 0
                    ? "no end within " + settings.runTimeout().toSeconds() + " s (BENCH_RUN_TIMEOUT_SECONDS); stopped"
                    : "exit code " + run.exitCode();
            result.error(
                    workload,
                    why + "; " + (output.ladderEnd() != null ? output.ladderEnd() : run.tail())
                            + " (figures from what it printed are kept)");
        }
        String summary = switch (workload) {
            case STARTUP -> startup(result, run, output);
            case LATENCY -> latency(result, output);
            case THROUGHPUT -> throughput(result, output);
            case ETL -> etl(result, output);
            default -> throw new IllegalStateException("unknown workload " + workload);
        };
        progress.printf(Locale.ROOT, "%s (%.1f s)%n", summary, run.seconds());
    }

    private String startup(SystemResult result, ChildRun run, EngineRunOutput output) {
        OptionalLong started = output.startedMillis();
        OptionalLong first = output.firstBatchMillis();
        if (started.isPresent()) {
            result.put("startup_query_started_ms", started.getAsLong() - run.launchMillis());
        }
        if (first.isPresent()) {
            result.put("startup_first_batch_ms", first.getAsLong() - run.launchMillis());
        } else {
            result.error(STARTUP, "no batch completed: " + run.tail());
        }
        return "query started after "
                + (started.isPresent() ? (started.getAsLong() - run.launchMillis()) + " ms" : "n/a")
                + ", first batch after "
                + (first.isPresent() ? (first.getAsLong() - run.launchMillis()) + " ms" : "n/a");
    }

    private String latency(SystemResult result, EngineRunOutput output) {
        if (output.steps().isEmpty()) {
            result.error(LATENCY, "the runner ran no query: " + output.ladderEnd());
            return "no query";
        }
        Step step = output.steps().get(0);
        LatencySummary latency = LatencySummary.of(step, settings.warmupSeconds() * 1000L);
        if (step.failed()) {
            result.error(LATENCY, "query failed: " + step.failure());
        }
        if (latency.batches() == 0) {
            result.error(LATENCY, "no batch with rows after the warm-up");
            return "no batches";
        }
        result.put("latency_batch_p50_ms", latency.p50Millis());
        result.put("latency_batch_p99_ms", latency.p99Millis());
        String line = latency.describe();
        latencyDetails.put(result.system(), line);
        return line;
    }

    private String throughput(SystemResult result, EngineRunOutput output) {
        List<SustainedRate.Verdict> verdicts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Step step : output.steps()) {
            SustainedRate.Verdict verdict =
                    SustainedRate.judge(step, settings.warmupSeconds() * 1000L, settings.intervalMillis());
            verdicts.add(verdict);
            lines.add(verdict.describe());
        }
        if (output.ladderEnd() != null) {
            lines.add("ladder ended: " + output.ladderEnd());
        }
        ladders.put(result.system(), lines);
        OptionalLong highest = SustainedRate.highestSustained(verdicts);
        if (highest.isPresent()) {
            result.put("sustained_window_count_rps", highest.getAsLong());
            if (highest.getAsLong() >= settings.rates().get(settings.rates().size() - 1)) {
                lines.add("the top of the ladder was sustained: the figure is a lower bound (BENCH_ENGINE_RATES)");
            }
            return "sustained up to " + highest.getAsLong() + " rows/s over " + verdicts.size() + " steps";
        }
        result.error(
                THROUGHPUT,
                verdicts.isEmpty()
                        ? "no step ran: " + output.ladderEnd()
                        : "not even the lowest rate was sustained: "
                                + verdicts.get(0).reason());
        return "no rate sustained";
    }

    /** Starts the broker and fills the ETL topic; false (with the error on both results) when it cannot. */
    private boolean startEtlTopic(SystemResult... results) throws InterruptedException {
        progress.printf(
                Locale.ROOT, "[bench] filling topic %s with %d events ... ", EtlTopic.TOPIC, settings.etlEvents());
        progress.flush();
        long start = System.nanoTime();
        try {
            etlTopic = EtlTopic.start(Files.createDirectories(workDir.resolve("etl-broker")), settings.etlEvents());
        } catch (IOException | RuntimeException e) {
            progress.println("FAILED: " + e.getMessage());
            for (SystemResult result : results) {
                result.error(ETL, "cannot fill the input topic: " + e.getMessage());
            }
            return false;
        }
        progress.printf(Locale.ROOT, "done (%.1f s)%n", (System.nanoTime() - start) / 1e9);
        return true;
    }

    private void closeEtlTopic() {
        if (etlTopic != null) {
            try {
                etlTopic.close();
            } catch (IOException e) {
                progress.println("[bench] cannot close the ETL broker: " + e.getMessage());
            }
            etlTopic = null;
        }
    }

    private String etl(SystemResult result, EngineRunOutput output) {
        if (output.steps().isEmpty()) {
            result.error(ETL, "the runner ran no query: " + output.ladderEnd());
            return "no query";
        }
        Step step = output.steps().get(0);
        long rowsIn = step.batches().stream().mapToLong(Batch::rows).sum();
        long batches = step.batches().stream().filter(batch -> batch.rows() > 0).count();
        if (step.failed() || step.endMillis() < 0) {
            result.error(ETL, "query failed: " + step.failure());
            return "failed";
        }
        if (rowsIn != settings.etlEvents()) {
            result.error(ETL, "read " + rowsIn + " of the topic's " + settings.etlEvents() + " events");
            return "incomplete";
        }
        long millis = Math.max(1, step.endMillis() - step.startMillis());
        result.put("kafka_json_etl_rps", rowsIn * 1000.0 / millis);
        String rowsOut = output.etlRowsOut().isPresent()
                ? Long.toString(output.etlRowsOut().getAsLong())
                : "unknown";
        output.etlRowsOut().ifPresent(rows -> etlRowsOut.put(result.system(), rows));
        String line = String.format(
                Locale.ROOT,
                "%d events in %d batches with rows, %.1f s from start() to the end, %s rows written",
                rowsIn,
                batches,
                millis / 1000.0,
                rowsOut);
        etlDetails.put(result.system(), line);
        return line;
    }

    /** What one child JVM did: when it was launched (epoch ms), how it ended, what it printed. */
    private record ChildRun(long launchMillis, int exitCode, String stdout, String tail, double seconds) {}

    private ChildRun runChild(String system, String workload) throws IOException, InterruptedException {
        Path directory = Files.createDirectories(workDir.resolve(system));
        EngineRunnerOptions options = workload.equals(ETL) && etlTopic != null
                ? settings.options(workload, directory, etlTopic.bootstrapServers(), EtlTopic.TOPIC)
                : settings.options(workload, directory, "", "");
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.add("-Xmx" + settings.heap());
        command.add("-XX:+ExitOnOutOfMemoryError");
        if (system.equals(EngineSettings.SPARK)) {
            Path log4j = BrokerLaunchers.copyResource("spark-log4j2.properties", directory);
            command.addAll(SPARK_MODULE_OPTIONS);
            command.add("-Dlog4j2.configurationFile=" + log4j);
            command.add("-cp");
            command.add(sparkRunner.resolve("*") + ":" + sparkLib.resolve("*"));
            command.add(SPARK_MAIN);
        } else {
            // e.g. BENCH_BROOK_JAVA_OPTS=-XX:StartFlightRecording=filename=brook.jfr to profile Brook's runs
            String javaOptions =
                    System.getenv().getOrDefault("BENCH_BROOK_JAVA_OPTS", "").strip();
            if (!javaOptions.isEmpty()) {
                command.addAll(List.of(javaOptions.split("\\s+")));
            }
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            command.add("-Dorg.slf4j.simpleLogger.logFile=System.err");
            command.add("-cp");
            command.add(brookClasspath);
            command.add(BROOK_MAIN);
        }
        command.addAll(options.arguments());
        String name = system + "-" + workload;
        long launchMillis = System.currentTimeMillis();
        try (ChildProcess child =
                ChildProcess.start(name, command, directory, directory.resolve(name), workDir.resolve("pids"))) {
            int exitCode = child.waitFor(settings.runTimeout());
            if (exitCode < 0) {
                child.stop(STOP_GRACE);
            }
            double seconds = (System.nanoTime() - child.startNanos()) / 1e9;
            return new ChildRun(launchMillis, exitCode, child.stdout(), child.tail(3), seconds);
        }
    }

    private List<String> details() {
        List<String> lines = new ArrayList<>();
        if (!ladders.isEmpty()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "Throughput ladder: rate -> withWatermark 5 s -> 10 s window count by value %% 100 -> update ->"
                            + " foreachBatch count, trigger %d ms; each step %d s, judged after a %d s warm-up:",
                    settings.intervalMillis(),
                    settings.stepSeconds(),
                    settings.warmupSeconds()));
            ladders.forEach((system, steps) -> {
                for (String step : steps) {
                    lines.add(String.format(Locale.ROOT, "  %-5s %s", system, step));
                }
            });
        }
        if (!latencyDetails.isEmpty()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "Latency: rate %d rows/s -> filter value %% 2 = 0 -> foreachBatch count, default trigger, %d s"
                            + " after a %d s warm-up:",
                    settings.latencyRate(),
                    settings.latencySeconds(),
                    settings.warmupSeconds()));
            latencyDetails.forEach((system, line) -> lines.add(String.format(Locale.ROOT, "  %-5s %s", system, line)));
        }
        if (!etlDetails.isEmpty()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "Kafka JSON ETL: topic %s (%d partitions, %d events) -> from_json -> withWatermark 5 s -> 10 s window"
                            + " by page: count, avg(latency_ms) -> append -> Parquet files, available-now,"
                            + " maxOffsetsPerTrigger %d:",
                    EtlTopic.TOPIC,
                    EtlTopic.PARTITIONS,
                    settings.etlEvents(),
                    settings.etlMaxOffsets()));
            etlDetails.forEach((system, line) -> lines.add(String.format(Locale.ROOT, "  %-5s %s", system, line)));
        }
        return lines;
    }

    private List<String> notes() {
        return List.of(
                "sustained_window_count_rps: the highest rate of the ladder at which, after the warm-up, the median"
                        + " batch took at most the trigger interval and the lag (batch end minus the largest event"
                        + " time processed) grew by at most " + SustainedRate.MAX_LAG_SLOPE + " s per second, with"
                        + " every lower rate sustained too; a runner stops climbing once a step's median batch exceeds"
                        + " the interval.",
                "latency_batch_*: nearest-rank percentiles of triggerExecution over the batches with rows. Spark's"
                        + " rate source offers rows in whole seconds, so with the default trigger Spark runs about one"
                        + " batch a second of ~" + settings.latencyRate() + " rows; Brook's offers them by the"
                        + " millisecond, so it runs many small batches: the floor of a batch, not equal batches.",
                "startup_*: from the launch of the JVM (plain java -cp, no spark-submit launcher JVM, no Brook CDS"
                        + " archive) to start() returning and to the first progress report of rate -> foreachBatch."
                        + " Spark's rate source has no rows until a whole second after it starts.",
                "kafka_json_etl_rps: the topic's events divided by the time from start() to the end of the available-now"
                        + " query (both engines read the same topic from a Brook broker in the benchmark's JVM); the"
                        + " rows written must agree between the engines.",
                "Spark JVMs get the module options of Spark's launcher (--add-opens ...) and Log4j at WARN.");
    }

    /** /proc/loadavg's first three fields, or "n/a" off Linux. */
    private static String loadAverage() {
        try {
            String[] fields =
                    Files.readString(Path.of("/proc/loadavg"), UTF_8).strip().split("\\s+");
            return fields.length < 3 ? "n/a" : String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** The batch durations of the latency run after its warm-up: count, rows per batch, median and p99. */
    record LatencySummary(int batches, double medianRows, double p50Millis, double p99Millis) {
        static LatencySummary of(Step step, long warmupMillis) {
            List<Batch> measured = step.batches().stream()
                    .filter(batch -> batch.rows() > 0 && batch.timestampMillis() >= step.startMillis() + warmupMillis)
                    .toList();
            if (measured.isEmpty()) {
                return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN);
            }
            List<Long> durations = measured.stream().map(Batch::triggerMillis).toList();
            return new LatencySummary(
                    measured.size(),
                    Percentiles.median(measured.stream().map(Batch::rows).toList()),
                    Percentiles.median(durations),
                    Percentiles.of(durations, 99));
        }

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%d batches with rows, median %.0f rows each; batch duration p50 %.0f ms, p99 %.0f ms",
                    batches,
                    medianRows,
                    p50Millis,
                    p99Millis);
        }
    }
}
