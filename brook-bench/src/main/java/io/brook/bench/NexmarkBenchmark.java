package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.brook.bench.EngineRunOutput.Batch;
import io.brook.bench.EngineRunOutput.Step;
import io.brook.bench.NexmarkReport.Outcome;
import io.brook.bench.NexmarkReport.QueryResult;
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
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code bench/run.sh nexmark}: the Nexmark queries on Apache Spark Structured Streaming (local[2]) and on Brook, over
 * the same Kafka topic of JSON events ({@link NexmarkTopic}, filled once in a Brook broker in this JVM). For each query
 * and engine a fresh JVM ({@link BrookNexmarkRunner}, SparkNexmarkRunner) reads the topic from its start to its end
 * with the available-now trigger into a sink that discards the rows and counts them; the figure is the events divided
 * by the time from the query's start to its end (JVM start and topic fill excluded). Prints a table ({@link
 * NexmarkReport}) and, last, a {@code summary} line; progress goes to stderr.
 *
 * <p>Usage: {@code NexmarkBenchmark --work-dir DIR --spark-lib DIR --spark-runner DIR --queries-dir DIR}; Brook's
 * runner runs from this JVM's own classpath. Settings come from the environment (see {@link NexmarkSettings}).
 */
public final class NexmarkBenchmark {
    static final String SPARK_MAIN = "io.brook.bench.spark.SparkNexmarkRunner";
    static final String BROOK_MAIN = "io.brook.bench.BrookNexmarkRunner";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** The runner's own deadline is this much before the run timeout, so that it can report what it did. */
    private static final int DEADLINE_MARGIN_SECONDS = 20;

    private final Path javaBinary;
    private final Path workDir;
    private final Path sparkLib;
    private final Path sparkRunner;
    private final Path queriesDir;
    private final String brookClasspath;
    private final NexmarkSettings settings;
    private final PrintWriter progress;
    private String sparkVersion = EngineBenchmark.SPARK_VERSION;

    NexmarkBenchmark(
            Path javaBinary,
            Path workDir,
            Path sparkLib,
            Path sparkRunner,
            Path queriesDir,
            String brookClasspath,
            NexmarkSettings settings,
            PrintWriter progress) {
        this.javaBinary = javaBinary;
        this.workDir = workDir;
        this.sparkLib = sparkLib;
        this.sparkRunner = sparkRunner;
        this.queriesDir = queriesDir;
        this.brookClasspath = brookClasspath;
        this.settings = settings;
        this.progress = progress;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        PrintWriter progress = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
        Map<String, Path> paths = new LinkedHashMap<>();
        NexmarkSettings settings;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                paths.put(args[i], Path.of(args[i + 1]).toAbsolutePath());
            }
            if (!paths.keySet().equals(Set.of("--work-dir", "--spark-lib", "--spark-runner", "--queries-dir"))) {
                throw new IllegalArgumentException(
                        "expected --work-dir, --spark-lib, --spark-runner and --queries-dir; got " + paths.keySet());
            }
            settings = NexmarkSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            progress.println("Error: " + e.getMessage());
            progress.println(
                    "Usage: NexmarkBenchmark --work-dir DIR --spark-lib DIR --spark-runner DIR --queries-dir DIR");
            System.exit(2);
            return;
        }
        try {
            int status = new NexmarkBenchmark(
                            Path.of(System.getProperty("java.home"), "bin", "java"),
                            paths.get("--work-dir"),
                            paths.get("--spark-lib"),
                            paths.get("--spark-runner"),
                            paths.get("--queries-dir"),
                            System.getProperty("java.class.path"),
                            settings,
                            progress)
                    .run(out);
            System.exit(status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.println("Interrupted");
            System.exit(130);
        }
    }

    /** Runs everything and prints the report; 1 when the topic could not be filled, else 0. */
    int run(PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        String loadBefore = loadAverage();
        progress.printf(
                Locale.ROOT,
                "[bench] filling topic %s with %d Nexmark events ... ",
                NexmarkTopic.TOPIC,
                settings.events());
        progress.flush();
        long fillStart = System.nanoTime();
        List<QueryResult> results = new ArrayList<>();
        double fillSeconds;
        try (NexmarkTopic topic = NexmarkTopic.start(
                Files.createDirectories(workDir.resolve("nexmark-broker")), NexmarkTopic.Spec.of(settings.events()))) {
            fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            progress.printf(Locale.ROOT, "done (%.1f s)%n", fillSeconds);
            for (String query : settings.queries()) {
                Outcome spark = settings.systems().contains(EngineSettings.SPARK)
                        ? runQuery(EngineSettings.SPARK, query, topic.bootstrapServers())
                        : Outcome.notRun();
                Outcome brook = settings.systems().contains(EngineSettings.BROOK)
                        ? runQuery(EngineSettings.BROOK, query, topic.bootstrapServers())
                        : Outcome.notRun();
                results.add(new QueryResult(query, spark, brook));
            }
        } catch (IOException | RuntimeException e) {
            progress.println("FAILED: " + e.getMessage());
            return 1;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> header = List.of(
                String.format(
                        Locale.ROOT,
                        "Nexmark benchmark: Apache Spark %s Structured Streaming (local[2]) vs Brook, %d cores, took %.0f"
                                + " s%s",
                        sparkVersion,
                        cores,
                        (System.nanoTime() - start) / 1e9,
                        settings.quick() ? " (QUICK=1: fewer events)" : ""),
                String.format(
                        Locale.ROOT,
                        "Input: %d Nexmark events (Brook's generator, seed 0, 10000 events/s of event time) as JSON in"
                                + " topic %s (%d partitions) of a Brook broker in the benchmark's JVM, filled in %.1f s;"
                                + " both engines read it from the start to its end, available-now, maxOffsetsPerTrigger"
                                + " %d, watermark dateTime - 4 s.",
                        settings.events(),
                        NexmarkTopic.TOPIC,
                        NexmarkTopic.PARTITIONS,
                        fillSeconds,
                        settings.maxOffsets()),
                "Spark: local[2], spark.sql.shuffle.partitions=2, UI off, default state store, noop sink; Brook: revision "
                        + System.getProperty("brook.bench.revision", "unknown")
                        + ", examples/nexmark/ddl-kafka.sql + qN.sql through SqlSession, blackhole sink; both: -Xmx"
                        + settings.heap() + ", one JVM per query and engine, one at a time.",
                "Load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage()
                        + " (other work on the machine shows here and makes figures noisy).");
        NexmarkReport.print(out, header, results, cores, settings.events(), notes());
        return 0;
    }

    private Outcome runQuery(String system, String query, String bootstrap) throws InterruptedException {
        progress.printf(Locale.ROOT, "[%s] %s ... ", system, query);
        progress.flush();
        ChildRun run;
        try {
            run = runChild(system, query, bootstrap);
        } catch (IOException e) {
            progress.println("FAILED: " + e.getMessage());
            return Outcome.failed(e.getMessage());
        }
        Outcome outcome = outcome(run, settings.events(), settings.runTimeout());
        if (system.equals(EngineSettings.SPARK)) {
            try {
                String version = EngineRunOutput.parse(run.stdout()).info().get("version");
                if (version != null) {
                    sparkVersion = version;
                }
            } catch (RunFailedException e) {
                // reported by outcome()
            }
        }
        progress.printf(
                Locale.ROOT,
                "%s (%.1f s)%n",
                outcome.problem() != null
                        ? outcome.problem()
                        : String.format(
                                Locale.ROOT,
                                "%.0f events/s, %d rows, %.1f s",
                                outcome.eventsPerSecond().getAsDouble(),
                                outcome.rows().getAsLong(),
                                outcome.seconds()),
                run.seconds());
        return outcome;
    }

    /** What one runner's output says: events per second and rows, or why there are none. */
    static Outcome outcome(ChildRun run, long events, Duration runTimeout) {
        EngineRunOutput output;
        try {
            output = EngineRunOutput.parse(run.stdout());
        } catch (RunFailedException e) {
            return Outcome.failed(e.getMessage());
        }
        if (output.refused() != null) {
            return Outcome.refused(output.refused());
        }
        if (run.exitCode() != 0 || output.steps().isEmpty()) {
            String why = run.exitCode() < 0
                    ? "no end within " + runTimeout.toSeconds() + " s (BENCH_RUN_TIMEOUT_SECONDS); stopped"
                    : "exit code " + run.exitCode();
            String detail = output.ladderEnd() != null
                    ? output.ladderEnd()
                    : output.steps().isEmpty()
                            ? run.tail()
                            : output.steps().get(0).failure();
            return Outcome.failed(why + "; " + detail);
        }
        Step step = output.steps().get(0);
        if (step.failed() || step.endMillis() < 0) {
            return Outcome.failed(String.valueOf(step.failure()));
        }
        long rowsIn = step.batches().stream().mapToLong(Batch::rows).sum();
        // A query that reads the topic in two places (a self-join) reads every event twice on Spark.
        if (rowsIn < events || rowsIn % events != 0) {
            return Outcome.failed(
                    "read " + rowsIn + " rows, not a whole number of passes over the " + events + " events");
        }
        if (output.rowsOut().isEmpty()) {
            return Outcome.failed("the runner reported no output rows");
        }
        long millis = Math.max(1, step.endMillis() - step.startMillis());
        OptionalDouble perCpuSecond = output.cpuMillis().isPresent()
                ? OptionalDouble.of(
                        events * 1000.0 / Math.max(1, output.cpuMillis().getAsLong()))
                : OptionalDouble.empty();
        return Outcome.measured(
                events * 1000.0 / millis, perCpuSecond, output.rowsOut().getAsLong(), millis / 1000.0);
    }

    /** What one child JVM did: how it ended, what it printed. */
    record ChildRun(int exitCode, String stdout, String tail, double seconds) {}

    private ChildRun runChild(String system, String query, String bootstrap) throws IOException, InterruptedException {
        Path directory = Files.createDirectories(workDir.resolve(system + "-" + query));
        NexmarkRunnerOptions options = new NexmarkRunnerOptions(
                query, queriesDir, directory, bootstrap, NexmarkTopic.TOPIC, settings.maxOffsets(), (int)
                        Math.max(10, settings.runTimeout().toSeconds() - DEADLINE_MARGIN_SECONDS));
        List<String> command = new ArrayList<>();
        command.add(javaBinary.toString());
        command.add("-Xmx" + settings.heap());
        command.add("-XX:+ExitOnOutOfMemoryError");
        if (system.equals(EngineSettings.SPARK)) {
            Path log4j = BrokerLaunchers.copyResource("spark-log4j2.properties", directory);
            command.addAll(EngineBenchmark.SPARK_MODULE_OPTIONS);
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
        String name = system + "-" + query;
        try (ChildProcess child =
                ChildProcess.start(name, command, directory, directory.resolve(name), workDir.resolve("pids"))) {
            int exitCode = child.waitFor(settings.runTimeout());
            if (exitCode < 0) {
                child.stop(STOP_GRACE);
            }
            double seconds = (System.nanoTime() - child.startNanos()) / 1e9;
            return new ChildRun(exitCode, child.stdout(), child.tail(3), seconds);
        }
    }

    private List<String> notes() {
        return List.of(
                "ev/s: the topic's events divided by the time from the query's start (SQL planned and started) to the"
                        + " end of its available-now run; JVM start and the topic's fill are not counted. Each query"
                        + " reads every event (persons, auctions and bids) and parses its JSON.",
                "rows: the rows the query's sink was given (Spark: the noop sink's numOutputRows; Brook: the blackhole"
                        + " sink's numOutputRows in the progress reports). Windowed queries emit a window once the"
                        + " watermark passes its end, so the last windows of the topic are not emitted by either.",
                "Queries are the files in examples/nexmark (the Flink suite's SQL; there is no q6 there, and Flink"
                        + " does not run it either); Spark runs the same statements in Spark SQL"
                        + " (brook-bench/spark SparkNexmarkRunner).",
                "A refused query is one the engine would not start (its analyser's message is quoted above).");
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
}
