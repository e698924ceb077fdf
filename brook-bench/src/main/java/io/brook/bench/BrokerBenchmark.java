package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.brook.bench.Figure.Unit;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * {@code bench/run.sh broker}: Apache Kafka 4.3.1 (one KRaft node) and Brook, one after the other on this machine,
 * each driven by the same Kafka tools (ProducerPerformance, ConsumerPerformance, EndToEndLatency). Measures start-up,
 * idle and loaded RSS, produce throughput and latency, a fixed-rate produce, consume throughput and end-to-end latency,
 * and prints a table with the ratio Brook/Kafka and, last, a {@code summary} line. A run that fails shows as n/a with its
 * error; the benchmark goes on. Progress goes to stderr, the report to stdout.
 *
 * <p>Usage: {@code BrokerBenchmark --work-dir DIR --kafka-lib DIR --kafka-tools-lib DIR --brook-home DIR}; record
 * counts and limits come from the environment (see {@link BenchSettings}).
 */
public final class BrokerBenchmark {
    private static final Duration BROKER_STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    private static final String KAFKA_VERSION = "4.3.1";
    private static final long MIB = 1024;

    private final BenchPaths paths;
    private final BenchSettings settings;
    private final PrintWriter progress;
    private final List<String> notes = new ArrayList<>();
    private final List<Run.Produce> produceRuns = new ArrayList<>();
    private final Run.Produce fixedRateRun;
    private final List<Run.Consume> consumeRuns = new ArrayList<>();
    private final List<Run.EndToEnd> endToEndRuns = new ArrayList<>();

    BrokerBenchmark(BenchPaths paths, BenchSettings settings, PrintWriter progress) {
        this.paths = paths;
        this.settings = settings;
        this.progress = progress;
        Map<Integer, Long> recordsBySize = new LinkedHashMap<>();
        recordsBySize.put(100, settings.records100b());
        recordsBySize.put(1024, settings.records1kib());
        for (Map.Entry<Integer, Long> size : recordsBySize.entrySet()) {
            for (String acks : List.of("1", "all")) {
                for (int partitions : List.of(1, 6)) {
                    produceRuns.add(new Run.Produce(
                            "produce_" + sizeName(size.getKey()) + "_acks" + acks + "_p" + partitions,
                            size.getKey(),
                            acks,
                            partitions,
                            size.getValue(),
                            -1));
                }
            }
        }
        fixedRateRun =
                new Run.Produce("fixedrate_100b_acksall_p6", 100, "all", 6, settings.rateRecords(), settings.rate());
        consumeRuns.add(new Run.Consume("consume_100b", produceRun(100, "1", 6)));
        consumeRuns.add(new Run.Consume("consume_1kib", produceRun(1024, "1", 6)));
        endToEndRuns.add(new Run.EndToEnd("e2e_100b_acks1", "1", 100, settings.latencyRecords()));
        endToEndRuns.add(new Run.EndToEnd("e2e_100b_acksall", "all", 100, settings.latencyRecords()));
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        PrintWriter progress = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
        BenchPaths paths;
        BenchSettings settings;
        try {
            paths = parseArguments(args);
            settings = BenchSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            progress.println("Error: " + e.getMessage());
            progress.println(
                    "Usage: BrokerBenchmark --work-dir DIR --kafka-lib DIR --kafka-tools-lib DIR --brook-home DIR");
            System.exit(2);
            return;
        }
        try {
            new BrokerBenchmark(paths, settings, progress).run(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.println("Interrupted");
            System.exit(130);
        }
        System.exit(0);
    }

    static BenchPaths parseArguments(String[] args) {
        Map<String, Path> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            values.put(args[i], Path.of(args[i + 1]).toAbsolutePath());
        }
        for (String option : List.of("--work-dir", "--kafka-lib", "--kafka-tools-lib", "--brook-home")) {
            if (!values.containsKey(option)) {
                throw new IllegalArgumentException("missing option " + option);
            }
        }
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(Set.of("--work-dir", "--kafka-lib", "--kafka-tools-lib", "--brook-home"));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown options " + unknown.stream().sorted().toList());
        }
        return new BenchPaths(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                values.get("--work-dir"),
                values.get("--kafka-lib"),
                values.get("--kafka-tools-lib"),
                values.get("--brook-home"));
    }

    void run(PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        SystemResult kafka = new SystemResult(BenchSettings.KAFKA);
        SystemResult brook = new SystemResult(BenchSettings.BROOK);
        for (SystemResult result : List.of(kafka, brook)) {
            if (settings.systems().contains(result.system())) {
                runSystem(result);
            } else {
                result.error("all", "not run (BENCH_SYSTEMS=" + String.join(",", settings.systems()) + ")");
            }
        }
        addNotes();
        List<String> header = List.of(
                String.format(
                        Locale.ROOT,
                        "Broker benchmark: Apache Kafka %s (single KRaft node) vs Brook, %d cores, %.1f GiB, took %.0f s%s",
                        KAFKA_VERSION,
                        Runtime.getRuntime().availableProcessors(),
                        totalMemoryGib(),
                        (System.nanoTime() - start) / 1e9,
                        settings.quick() ? " (QUICK=1: 10x fewer records)" : ""),
                String.format(
                        Locale.ROOT,
                        "Records: 100 B x %d, 1 KiB x %d; fixed rate %d/s x %d; end-to-end %d one at a time.",
                        settings.records100b(),
                        settings.records1kib(),
                        settings.rate(),
                        settings.rateRecords(),
                        settings.latencyRecords()));
        Report.print(out, header, figures(), kafka, brook, notes);
    }

    /** Every figure of the report, in order. */
    List<Figure> figures() {
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("startup_tcp_ms", Unit.MILLISECONDS));
        figures.add(new Figure("startup_api_ms", Unit.MILLISECONDS));
        figures.add(new Figure("rss_idle_mib", Unit.MEBIBYTES));
        figures.add(new Figure("rss_loaded_mib", Unit.MEBIBYTES));
        Stream.of(produceRuns, List.of(fixedRateRun), consumeRuns, endToEndRuns)
                .flatMap(List::stream)
                .forEach(run -> figures.addAll(run.figures()));
        figures.add(new Figure(GROUP_READ + "_rps", Unit.RECORDS_PER_SECOND));
        figures.add(new Figure(GROUP_READ + "_join_ms", Unit.MILLISECONDS));
        figures.add(new Figure(FAILOVER + "_ms", Unit.MILLISECONDS));
        figures.add(new Figure("shutdown_ms", Unit.MILLISECONDS));
        return List.copyOf(figures);
    }

    private void runSystem(SystemResult result) throws InterruptedException {
        String system = result.system();
        BrokerLaunchers launchers = new BrokerLaunchers(paths, settings, notes::add);
        progress.println("[" + system + "] starting");
        LaunchedBroker broker;
        try {
            broker = system.equals(BenchSettings.KAFKA) ? launchers.startKafka() : launchers.startBrook();
        } catch (IOException | RunFailedException e) {
            progress.println("[" + system + "] did not start: " + e.getMessage());
            result.error("startup", e.getMessage());
            return;
        }
        try (broker) {
            result.put("startup_tcp_ms", broker.startup().tcpMillis());
            result.put("startup_api_ms", broker.startup().apiMillis());
            progress.printf(
                    Locale.ROOT,
                    "[%s] up on %s (pid %d): TCP after %.0f ms, ApiVersions after %.0f ms%n",
                    system,
                    broker.bootstrap(),
                    broker.pid(),
                    broker.startup().tcpMillis(),
                    broker.startup().apiMillis());
            Thread.sleep(settings.settle().toMillis());
            putRss(result, "rss_idle_mib", ProcStatus.rssKib(broker.pid()));
            runTools(result, broker);
            try {
                double shutdownMillis = broker.stop(BROKER_STOP_GRACE);
                result.put("shutdown_ms", shutdownMillis);
                progress.printf(Locale.ROOT, "[%s] stopped in %.0f ms%n", system, shutdownMillis);
            } catch (RunFailedException e) {
                result.error("shutdown", e.getMessage());
            }
        }
        if (!settings.keepWorkDir()) {
            deleteRecursively(paths.workDir().resolve(system).resolve("data"));
        }
    }

    private void runTools(SystemResult result, LaunchedBroker broker) throws InterruptedException {
        KafkaTools tools;
        try {
            tools = new KafkaTools(paths, settings.runTimeout());
        } catch (IOException | RunFailedException e) {
            result.error("tools", e.getMessage());
            return;
        }
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TOPIC_TIMEOUT.toMillis());
        Set<String> succeeded = new HashSet<>();
        try (Admin admin = Admin.create(adminProperties)) {
            try (RssSampler rss = RssSampler.start(broker.pid())) {
                for (Run.Produce run : produceRuns) {
                    runOne(result, broker, admin, tools, run, succeeded);
                }
                runOne(result, broker, admin, tools, fixedRateRun, succeeded);
                putRss(result, "rss_loaded_mib", rss.maxKib());
            }
            for (Run.Consume run : consumeRuns) {
                if (succeeded.contains(run.source().name())) {
                    runOne(result, broker, admin, tools, run, succeeded);
                } else {
                    result.error(run.name(), "skipped: " + run.source().name() + " wrote no records");
                }
            }
            for (Run.EndToEnd run : endToEndRuns) {
                runOne(result, broker, admin, tools, run, succeeded);
            }
            runGroupRead(result, broker, admin, tools);
            runFailover(result, broker, admin);
        }
    }

    private void runOne(
            SystemResult result, LaunchedBroker broker, Admin admin, KafkaTools tools, Run run, Set<String> succeeded)
            throws InterruptedException {
        String system = result.system();
        String label = system + "-" + run.name();
        progress.printf(Locale.ROOT, "[%s] %s ... ", system, run.name());
        progress.flush();
        try {
            if (!broker.isAlive()) {
                throw new RunFailedException("the broker is no longer running: " + broker.tail(3));
            }
            KafkaTools.Result output;
            Map<String, Double> values;
            if (run instanceof Run.Produce produce) {
                createTopic(admin, produce.topic(), produce.partitions());
                output = tools.run(
                        label,
                        "org.apache.kafka.tools.ProducerPerformance",
                        KafkaJvm.PERF_TOOL_HEAP,
                        List.of(
                                "--topic",
                                produce.topic(),
                                "--num-records",
                                Long.toString(produce.records()),
                                "--record-size",
                                Integer.toString(produce.recordSize()),
                                "--throughput",
                                Integer.toString(produce.throughput()),
                                "--bootstrap-server",
                                broker.bootstrap(),
                                "--command-property",
                                "acks=" + produce.acks()));
                values = parse(output, tools, stdout -> ToolOutputs.producerPerformance(stdout, produce.records()));
            } else if (run instanceof Run.Consume consume) {
                output = tools.run(
                        label,
                        "org.apache.kafka.tools.ConsumerPerformance",
                        KafkaJvm.PERF_TOOL_HEAP,
                        List.of(
                                "--bootstrap-server",
                                broker.bootstrap(),
                                "--topic",
                                consume.topic(),
                                "--num-records",
                                Long.toString(consume.source().records())));
                values = parse(
                        output,
                        tools,
                        stdout -> ToolOutputs.consumerPerformance(
                                stdout, consume.source().records()));
            } else if (run instanceof Run.EndToEnd endToEnd) {
                createTopic(admin, endToEnd.topic(), 1);
                output = tools.run(
                        label,
                        "org.apache.kafka.tools.EndToEndLatency",
                        KafkaJvm.TOOL_HEAP,
                        List.of(
                                "--bootstrap-server",
                                broker.bootstrap(),
                                "--topic",
                                endToEnd.topic(),
                                "--num-records",
                                Integer.toString(endToEnd.records()),
                                "--producer-acks",
                                endToEnd.acks(),
                                "--record-size",
                                Integer.toString(endToEnd.recordSize())));
                values = parse(output, tools, ToolOutputs::endToEndLatency);
                if (output.exitCode() != 0) {
                    // The tool prints its figures, then commits offsets to its group; a broker without groups fails
                    // only that last step.
                    result.error(
                            run.name(),
                            "figures kept; the tool then exited with code " + output.exitCode() + ": "
                                    + ToolOutputs.failureLine(output.stderr(), output.stdout()));
                }
            } else {
                throw new IllegalStateException("unknown run " + run);
            }
            if (values.isEmpty()) {
                throw new RunFailedException("no figures");
            }
            for (Map.Entry<String, Double> value : values.entrySet()) {
                result.put(run.name() + "_" + value.getKey(), value.getValue());
            }
            succeeded.add(run.name());
            progress.printf(Locale.ROOT, "%s (%.1f s)%n", describe(values), output.seconds());
        } catch (RunFailedException e) {
            String message = e.getMessage();
            progress.println("FAILED: " + message);
            result.error(run.name(), message);
        } catch (IOException | ExecutionException | TimeoutException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            progress.println("FAILED: " + message);
            result.error(run.name(), message);
        }
    }

    private static final String GROUP_READ = "group_read_100b";
    private static final String FAILOVER = "group_failover";

    /** Three ConsumerPerformance members of one group read a 6-partition topic together. */
    private void runGroupRead(SystemResult result, LaunchedBroker broker, Admin admin, KafkaTools tools)
            throws InterruptedException {
        String system = result.system();
        long records = settings.records100b() / 2;
        progress.printf(Locale.ROOT, "[%s] %s ... ", system, GROUP_READ);
        progress.flush();
        try {
            String topic = "bench-group-read";
            createTopic(admin, topic, GroupRuns.PARTITIONS);
            GroupRuns.fillEvenly(broker.bootstrap(), topic, records, 100);
            Map<String, Double> values =
                    GroupRuns.groupRead(tools, system + "-" + GROUP_READ, broker.bootstrap(), topic, records);
            values.forEach((key, value) -> result.put(GROUP_READ + "_" + key, value));
            progress.println(describe(values));
        } catch (RunFailedException | ExecutionException | TimeoutException e) {
            progress.println("FAILED: " + e.getMessage());
            result.error(GROUP_READ, e.getMessage());
        }
    }

    /** The time from a group member's SIGKILL until the others read its partitions. */
    private void runFailover(SystemResult result, LaunchedBroker broker, Admin admin) throws InterruptedException {
        String system = result.system();
        progress.printf(Locale.ROOT, "[%s] %s ... ", system, FAILOVER);
        progress.flush();
        try {
            String topic = "bench-failover";
            createTopic(admin, topic, GroupRuns.PARTITIONS);
            Map<String, Double> values = GroupRuns.failover(paths, system + "-" + FAILOVER, broker.bootstrap(), topic);
            values.forEach((key, value) -> result.put(FAILOVER + "_" + key, value));
            progress.println(describe(values));
        } catch (RunFailedException | ExecutionException | TimeoutException | IOException e) {
            progress.println("FAILED: " + e.getMessage());
            result.error(FAILOVER, e.getMessage());
        }
    }

    /** What {@code parser} makes of the tool's stdout; when it makes nothing, an error with the tool's own words. */
    private static Map<String, Double> parse(KafkaTools.Result output, KafkaTools tools, OutputParser parser)
            throws RunFailedException {
        if (output.timedOut()) {
            throw new RunFailedException("no result within " + tools.timeout().toSeconds()
                    + " s (BENCH_RUN_TIMEOUT_SECONDS); stopped; last output: "
                    + ToolOutputs.failureLine(output.stderr(), output.stdout()));
        }
        try {
            return parser.parse(output.stdout());
        } catch (RunFailedException e) {
            if (output.exitCode() == 0) {
                throw e;
            }
            throw new RunFailedException(
                    "exit code " + output.exitCode() + ": " + ToolOutputs.failureLine(output.stderr(), output.stdout())
                            + " (" + e.getMessage() + ")",
                    e);
        }
    }

    /** Turns a tool's stdout into figure values. */
    @FunctionalInterface
    private interface OutputParser {
        Map<String, Double> parse(String stdout) throws RunFailedException;
    }

    /** Creates {@code topic} with one replica and waits until every partition has a leader. */
    private static void createTopic(Admin admin, String topic, int partitions)
            throws ExecutionException, TimeoutException, InterruptedException, RunFailedException {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            List<TopicPartitionInfo> infos = description.partitions();
            if (infos.size() == partitions && infos.stream().allMatch(info -> info.leader() != null)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new RunFailedException(
                "topic " + topic + " has no leader for every partition after " + TOPIC_TIMEOUT.toSeconds() + " s");
    }

    private void addNotes() {
        notes.add("Durability differs: Brook answers an acks=all produce only after the records are fsynced"
                + " (brook.flush.policy=per-ack, its default); Kafka with default settings never fsyncs on produce,"
                + " so a single Kafka node acknowledges acks=all from the page cache. acks=1 waits for no fsync on"
                + " either.");
        notes.add("Kafka JVM as kafka-server-start.sh runs it: " + KafkaJvm.describeServer() + "; Brook JVM as ./brook"
                + " runs it (-Xshare:auto, JVM default heap and GC)"
                + (settings.brookJavaOptions().isEmpty()
                        ? ""
                        : " plus BENCH_BROOK_JAVA_OPTS " + String.join(" ", settings.brookJavaOptions()))
                + (settings.brookServerArguments().isEmpty()
                        ? "."
                        : "; brook server got BENCH_BROOK_ARGS " + String.join(" ", settings.brookServerArguments())
                                + "."));
        notes.add("Start-up: from process launch to the first accepted TCP connection (startup_tcp_ms) and to the first"
                + " answered ApiVersions request (startup_api_ms). RSS from /proc/PID/status VmRSS: idle after a "
                + settings.settle().toSeconds() + " s settle, loaded = the largest sample (every 100 ms) during the"
                + " produce runs.");
        notes.add("produce_*: ProducerPerformance --throughput -1 (as fast as possible), so its latencies include"
                + " queueing in the producer; fixedrate_*: --throughput " + settings.rate() + ". Percentiles are whole"
                + " milliseconds, as the tools print them.");
        notes.add("consume_*: ConsumerPerformance reading the records of produce_*_acks1_p6; rps and MB/s are its"
                + " fetch.nMsg.sec and fetch.MB.sec (group join excluded), join_ms its rebalance.time.ms. The tool"
                + " always subscribes with a consumer group (it has no option to assign partitions).");
        notes.add(GROUP_READ + ": " + GroupRuns.MEMBERS + " ConsumerPerformance processes in one group (classic"
                + " protocol, started together) each read a quarter of " + (settings.records100b() / 2) + " records of"
                + " 100 B spread evenly over " + GroupRuns.PARTITIONS + " partitions; rps = records read / (last"
                + " member's end - first member's start), join_ms = the slowest member's rebalance time. " + FAILOVER
                + ": 3 members"
                + " (session.timeout.ms=" + FailoverMember.SESSION_TIMEOUT_MS + ", heartbeat.interval.ms=1000) share a"
                + " topic written at ~300 records/s; one is killed with SIGKILL; the time until the others have read"
                + " from each of its partitions (mostly the session timeout).");
        notes.add(
                "e2e_*: EndToEndLatency, one record at a time: send, wait for the ack, fetch it (fetch.max.wait.ms=0).");
        notes.add("Broker and tool share the " + Runtime.getRuntime().availableProcessors() + " cores; the systems ran"
                + " one after the other, each with fresh topics.");
    }

    private static void putRss(SystemResult result, String key, OptionalLong kib) {
        if (kib.isPresent()) {
            result.put(key, kib.getAsLong() / (double) MIB);
        } else {
            result.error(key, "could not read /proc/PID/status");
        }
    }

    private Run.Produce produceRun(int recordSize, String acks, int partitions) {
        return produceRuns.stream()
                .filter(run ->
                        run.recordSize() == recordSize && run.acks().equals(acks) && run.partitions() == partitions)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no produce run for " + recordSize + " B, acks=" + acks + ", " + partitions + " partitions"));
    }

    private static String sizeName(int recordSize) {
        return recordSize == 1024 ? "1kib" : recordSize + "b";
    }

    private static String describe(Map<String, Double> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((key, value) -> parts.add(key + "=" + String.format(Locale.ROOT, "%.2f", value)));
        return String.join(" ", parts);
    }

    private static double totalMemoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    String value = line.substring("MemTotal:".length()).strip();
                    return Long.parseLong(value.substring(0, value.indexOf(' '))) / (1024.0 * 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: the header leaves the memory out as 0.
        }
        return 0;
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Left for bench/run.sh, which removes the whole work directory.
        }
    }
}
