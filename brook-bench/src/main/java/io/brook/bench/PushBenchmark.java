package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.bench.Figure.Unit;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bench/run.sh push}: records produced to a broker and pushed to a consumer, Brook's push subscriptions (a
 * webhook receiving JSON batches over HTTP) beside RabbitMQ (Debian's rabbitmq-server, a private node on loopback, the
 * classic push-model broker, measured with its own PerfTest). Each system runs a warm-up, a throughput run (a fixed
 * number of records as fast as they go: delivered records/s and the latency under that load) and a latency run (a
 * fixed rate: produce-to-receipt p50, p95, p99). Prints a table with the ratio Brook/RabbitMQ and, last, a {@code
 * summary} line. A run that fails shows as n/a with its error; the benchmark goes on. Progress goes to stderr, the report
 * to stdout.
 *
 * <p>Usage: {@code PushBenchmark --work-dir DIR --brook-home DIR --rabbitmq-lib DIR}; counts and limits come from the
 * environment (see {@link PushBenchSettings}).
 */
public final class PushBenchmark {
    private static final String HOST = BrokerLaunchers.HOST;
    private static final Duration BROKER_STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern HTTP_API = Pattern.compile("HTTP API on (http://\\S+?)[\\s(]");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PerfTest's unconfirmed-publish window, prefetch and multi-ack; see the notes. */
    private static final int CONFIRM_WINDOW = 1_000;

    private static final int PREFETCH = 1_000;
    private static final int MULTI_ACK = 100;
    private static final int MAX_ATTEMPTS = 8;

    static final String THROUGHPUT = "push_throughput";
    static final String LATENCY = "push_latency";

    private final Path workDir;
    private final Path brookHome;
    private final Path rabbitmqLib;
    private final Path java;
    private final PushBenchSettings settings;
    private final BenchSettings brookSettings;
    private final PrintWriter progress;
    private final List<String> details = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String rabbitVersion = "";

    PushBenchmark(
            Path workDir,
            Path brookHome,
            Path rabbitmqLib,
            PushBenchSettings settings,
            BenchSettings brookSettings,
            PrintWriter progress) {
        this.workDir = workDir;
        this.brookHome = brookHome;
        this.rabbitmqLib = rabbitmqLib;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.settings = settings;
        this.brookSettings = brookSettings;
        this.progress = progress;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        PrintWriter progress = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
        Map<String, Path> paths;
        PushBenchSettings settings;
        BenchSettings brookSettings;
        try {
            paths = parseArguments(args);
            settings = PushBenchSettings.fromEnvironment(System.getenv());
            // Brook's launch options (BENCH_BROOK_*) as the broker benchmark reads them; BENCH_SYSTEMS is ours.
            Map<String, String> environment = new HashMap<>(System.getenv());
            environment.remove("BENCH_SYSTEMS");
            brookSettings = BenchSettings.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            progress.println("Error: " + e.getMessage());
            progress.println("Usage: PushBenchmark --work-dir DIR --brook-home DIR --rabbitmq-lib DIR");
            System.exit(2);
            return;
        }
        try {
            new PushBenchmark(
                            paths.get("--work-dir"),
                            paths.get("--brook-home"),
                            paths.get("--rabbitmq-lib"),
                            settings,
                            brookSettings,
                            progress)
                    .run(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.println("Interrupted");
            System.exit(130);
        }
        System.exit(0);
    }

    static Map<String, Path> parseArguments(String[] args) {
        List<String> options = List.of("--work-dir", "--brook-home", "--rabbitmq-lib");
        Map<String, Path> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!options.contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; the options are " + options);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            values.put(args[i], Path.of(args[i + 1]).toAbsolutePath());
        }
        for (String option : options) {
            if (!values.containsKey(option)) {
                throw new IllegalArgumentException("missing option " + option);
            }
        }
        return values;
    }

    /** Every figure of the report, in order. */
    static List<Figure> figures() {
        return List.of(
                new Figure(THROUGHPUT + "_rps", Unit.RECORDS_PER_SECOND),
                new Figure(LATENCY + "_p50_ms", Unit.MILLISECONDS),
                new Figure(LATENCY + "_p95_ms", Unit.MILLISECONDS),
                new Figure(LATENCY + "_p99_ms", Unit.MILLISECONDS),
                new Figure(LATENCY + "_max_ms", Unit.MILLISECONDS),
                new Figure("startup_ms", Unit.MILLISECONDS));
    }

    void run(PrintWriter out) throws InterruptedException {
        long start = System.nanoTime();
        double loadBefore = loadAverage();
        SystemResult rabbitmq = new SystemResult(PushBenchSettings.RABBITMQ);
        SystemResult brook = new SystemResult(PushBenchSettings.BROOK);
        if (settings.systems().contains(PushBenchSettings.RABBITMQ)) {
            runRabbitmq(rabbitmq);
        } else {
            rabbitmq.error("all", "not run (BENCH_SYSTEMS=" + String.join(",", settings.systems()) + ")");
        }
        if (settings.systems().contains(PushBenchSettings.BROOK)) {
            runBrook(brook);
        } else {
            brook.error("all", "not run (BENCH_SYSTEMS=" + String.join(",", settings.systems()) + ")");
        }
        addNotes();
        List<String> header = List.of(
                String.format(
                        Locale.ROOT,
                        "Push benchmark: RabbitMQ%s (Debian's rabbitmq-server, one node, PerfTest 2.22.1) vs Brook push"
                                + " subscriptions (webhook), %d cores, took %.0f s, load average %.1f before and %.1f"
                                + " after%s",
                        rabbitVersion.isEmpty() ? "" : " " + rabbitVersion,
                        Runtime.getRuntime().availableProcessors(),
                        (System.nanoTime() - start) / 1e9,
                        loadBefore,
                        loadAverage(),
                        settings.quick() ? " (QUICK=1: 10x fewer records)" : ""),
                String.format(
                        Locale.ROOT,
                        "Records of %d B, %d partition(s)/1 queue; throughput: %d as fast as they go (after %d to warm"
                                + " up); latency: %d/s for %d s; Brook batches up to %d records, batch-max-wait %d ms.",
                        settings.recordSize(),
                        settings.partitions(),
                        settings.records(),
                        settings.warmupRecords(),
                        settings.rate(),
                        settings.latencySeconds(),
                        settings.batchMaxRecords(),
                        settings.batchMaxWaitMs()));
        Report.print(out, header, figures(), rabbitmq, brook, details, notes);
    }

    // ---- RabbitMQ ----

    private void runRabbitmq(SystemResult result) throws InterruptedException {
        String system = result.system();
        progress.println("[" + system + "] starting a private node");
        RabbitNode node;
        try {
            node = RabbitNode.start(workDir, workDir.resolve("pids"), settings.startTimeout());
        } catch (IOException | RunFailedException e) {
            progress.println("[" + system + "] did not start: " + e.getMessage());
            result.error("startup", e.getMessage());
            return;
        }
        try (node) {
            rabbitVersion = node.version().orElse("");
            result.put("startup_ms", node.startupMillis());
            progress.printf(
                    Locale.ROOT,
                    "[%s] RabbitMQ %s up on %s (pid %d) after %.0f ms%n",
                    system,
                    rabbitVersion,
                    node.uri(),
                    node.pid(),
                    node.startupMillis());
            List<String> common = List.of(
                    "--uri",
                    node.uri(),
                    "--producers",
                    "1",
                    "--consumers",
                    "1",
                    "--flag",
                    "persistent",
                    "--confirm",
                    Integer.toString(CONFIRM_WINDOW),
                    "--qos",
                    Integer.toString(PREFETCH),
                    "--multi-ack-every",
                    Integer.toString(MULTI_ACK),
                    "--size",
                    Integer.toString(settings.recordSize()));
            String count = Long.toString(settings.warmupRecords());
            try {
                perfTest(node, "warmup", common, List.of("--pmessages", count, "--cmessages", count));
            } catch (IOException | RunFailedException e) {
                result.error("warmup", e.getMessage());
                return;
            }
            count = Long.toString(settings.records());
            try {
                PerfTestOutput output =
                        perfTest(node, "throughput", common, List.of("--pmessages", count, "--cmessages", count));
                result.put(THROUGHPUT + "_rps", output.receivingRate());
                details.add(String.format(
                        Locale.ROOT,
                        "RabbitMQ throughput: PerfTest sent %.0f msg/s, received %.0f msg/s (its averages over the"
                                + " run), stopped: %s; consumer latency under this load %s ms",
                        output.sendingRate(),
                        output.receivingRate(),
                        output.stopReason().orElse("?"),
                        formatLatencies(output.consumerLatencyMillis())));
            } catch (IOException | RunFailedException e) {
                result.error("throughput", e.getMessage());
            }
            try {
                PerfTestOutput output = perfTest(
                        node,
                        "latency",
                        common,
                        List.of(
                                "--rate",
                                Integer.toString(settings.rate()),
                                "--time",
                                Integer.toString(settings.latencySeconds())));
                putLatency(result, LATENCY + "_p50_ms", output, "median");
                putLatency(result, LATENCY + "_p95_ms", output, "95th");
                putLatency(result, LATENCY + "_p99_ms", output, "99th");
                details.add(String.format(
                        Locale.ROOT,
                        "RabbitMQ latency: PerfTest sent %.0f msg/s, received %.0f msg/s; consumer latency %s ms",
                        output.sendingRate(),
                        output.receivingRate(),
                        formatLatencies(output.consumerLatencyMillis())));
            } catch (IOException | RunFailedException e) {
                result.error("latency", e.getMessage());
            }
            progress.println("[" + system + "] stopping");
        }
    }

    private PerfTestOutput perfTest(RabbitNode node, String run, List<String> common, List<String> arguments)
            throws IOException, RunFailedException, InterruptedException {
        progress.printf(Locale.ROOT, "[rabbitmq] %s ... ", run);
        progress.flush();
        if (!node.isAlive()) {
            throw new RunFailedException("the RabbitMQ node is no longer running: " + node.tail(3));
        }
        Path dir = Files.createDirectories(workDir.resolve("perf-test"));
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-Xmx512m",
                "-Dsun.stdout.encoding=UTF-8",
                "-cp",
                rabbitmqLib.resolve("*").toString(),
                "com.rabbitmq.perf.PerfTest",
                "--id",
                "push-" + run,
                "--queue",
                "push-bench-" + run));
        command.addAll(common);
        command.addAll(arguments);
        long start = System.nanoTime();
        try (ChildProcess perfTest =
                ChildProcess.start("perf-test-" + run, command, dir, dir.resolve(run), workDir.resolve("pids"))) {
            int exitCode = perfTest.waitFor(settings.runTimeout());
            if (exitCode != 0) {
                throw new RunFailedException("PerfTest "
                        + (exitCode < 0
                                ? "timed out after " + settings.runTimeout().toSeconds() + " s"
                                : "exited with code " + exitCode)
                        + ": " + perfTest.tail(3));
            }
            PerfTestOutput output = PerfTestOutput.parse(perfTest.stdout());
            progress.printf(
                    Locale.ROOT,
                    "%.0f msg/s received, consumer latency median %.2f ms, 99th %.2f ms (%.0f s)%n",
                    output.receivingRate(),
                    output.latencyMillis("median").orElse(Double.NaN),
                    output.latencyMillis("99th").orElse(Double.NaN),
                    (System.nanoTime() - start) / 1e9);
            return output;
        } catch (RunFailedException e) {
            progress.println("failed: " + e.getMessage());
            throw e;
        }
    }

    private static void putLatency(SystemResult result, String key, PerfTestOutput output, String name)
            throws RunFailedException {
        double value = output.latencyMillis(name)
                .orElseThrow(() -> new RunFailedException(
                        "PerfTest's consumer latency has no " + name + ": " + output.consumerLatencyMillis()));
        result.put(key, value);
    }

    // ---- Brook ----

    private void runBrook(SystemResult result) throws InterruptedException {
        String system = result.system();
        // The push benchmark starts no Kafka: BenchPaths' Kafka directories are never read here.
        BenchPaths paths =
                new BenchPaths(java, workDir, workDir.resolve("no-kafka"), workDir.resolve("no-kafka"), brookHome);
        BrokerLaunchers launchers = new BrokerLaunchers(paths, brookSettings, notes::add);
        progress.println("[" + system + "] starting");
        LaunchedBroker broker;
        String api;
        try {
            broker = launchers.startBrook();
        } catch (IOException | RunFailedException e) {
            progress.println("[" + system + "] did not start: " + e.getMessage());
            result.error("startup", e.getMessage());
            return;
        }
        try (broker) {
            try {
                api = awaitHttpApi(broker);
            } catch (RunFailedException e) {
                result.error("startup", e.getMessage());
                return;
            }
            result.put("startup_ms", broker.startup().apiMillis());
            progress.printf(
                    Locale.ROOT,
                    "[%s] up on %s, HTTP API %s (pid %d) after %.0f ms%n",
                    system,
                    broker.bootstrap(),
                    api,
                    broker.pid(),
                    broker.startup().apiMillis());
            Properties adminProperties = new Properties();
            adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            adminProperties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            try (Admin admin = Admin.create(adminProperties);
                    WebhookReceiver receiver = WebhookReceiver.start(HOST)) {
                BrookRun throughput = new BrookRun("throughput", settings.records(), 0);
                BrookRun latency = new BrookRun("latency", settings.latencyRecords(), settings.rate());
                for (BrookRun run : List.of(throughput, latency)) {
                    if (!broker.isAlive()) {
                        result.error(run.name(), "the broker is no longer running: " + broker.tail(3));
                        continue;
                    }
                    try {
                        WebhookReceiver.Result delivered = deliver(broker, admin, http, api, receiver, run);
                        List<Double> latencies = delivered.latenciesMillis();
                        if (run == throughput) {
                            result.put(THROUGHPUT + "_rps", delivered.recordsPerSecond());
                        } else {
                            result.put(LATENCY + "_p50_ms", Percentiles.median(latencies));
                            result.put(LATENCY + "_p95_ms", Percentiles.of(latencies, 95));
                            result.put(LATENCY + "_p99_ms", Percentiles.of(latencies, 99));
                            result.put(LATENCY + "_max_ms", Percentiles.of(latencies, 100));
                        }
                    } catch (IOException | RunFailedException e) {
                        progress.println("failed: " + e.getMessage());
                        result.error(run.name(), e.getMessage());
                    }
                }
            } catch (IOException e) {
                result.error("webhook", "cannot start the webhook receiver: " + e.getMessage());
            }
            try {
                broker.stop(BROKER_STOP_GRACE);
                progress.println("[" + system + "] stopped");
            } catch (RunFailedException e) {
                result.error("shutdown", e.getMessage());
            }
        }
    }

    /** One Brook run: {@code records} at {@code rate} a second, or as fast as they go when the rate is 0. */
    private record BrookRun(String name, long records, int rate) {
        String topic() {
            return "push-bench-" + name;
        }

        String subscription() {
            return "bench-" + name;
        }
    }

    /**
     * Creates the run's topic and its push subscription to the receiver, sends the warm-up records and waits for them,
     * then sends the run's records and waits until every acknowledged one arrived.
     */
    private WebhookReceiver.Result deliver(
            LaunchedBroker broker, Admin admin, HttpClient http, String api, WebhookReceiver receiver, BrookRun run)
            throws IOException, RunFailedException, InterruptedException {
        progress.printf(Locale.ROOT, "[brook] %s ... ", run.name());
        progress.flush();
        createTopic(admin, run.topic());
        receiver.reset();
        createSubscription(http, api, run, receiver.url());
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "brook-bench-push-" + run.name());
        // As fast as they go: batches as Kafka's defaults make them; at a fixed rate: each record sent at once.
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, run.rate() > 0 ? 0 : 5);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            Sent warmup = send(producer, run.topic(), settings.warmupRecords(), 0);
            awaitDelivery(receiver, warmup, "warm-up");
            receiver.reset();
            long start = System.nanoTime();
            Sent sent = send(producer, run.topic(), run.records(), run.rate());
            double produceSeconds = (System.nanoTime() - start) / 1e9;
            WebhookReceiver.Result delivered = awaitDelivery(receiver, sent, run.name());
            deleteSubscription(http, api, run);
            long missing = delivered.missing(sent.acked());
            double endToEndSeconds = (delivered.lastNanos() - start) / 1e9;
            details.add(String.format(
                    Locale.ROOT,
                    "Brook %s: %d records acknowledged in %.1f s (%.0f/s); %d distinct received in %d POSTs (%.0f a"
                            + " batch), %d again (at least once), %d missing; %.0f rec/s from first to last receipt,"
                            + " %.0f from first send to last receipt; latency p50 %.2f, p99 %.2f, max %.2f ms",
                    run.name(),
                    sent.ackedCount(),
                    produceSeconds,
                    sent.ackedCount() / produceSeconds,
                    delivered.distinct(),
                    delivered.batches(),
                    delivered.batches() == 0
                            ? 0.0
                            : (double) (delivered.distinct() + delivered.duplicates()) / delivered.batches(),
                    delivered.duplicates(),
                    missing,
                    delivered.recordsPerSecond(),
                    endToEndSeconds > 0 ? delivered.distinct() / endToEndSeconds : 0,
                    Percentiles.median(delivered.latenciesMillis()),
                    Percentiles.of(delivered.latenciesMillis(), 99),
                    Percentiles.of(delivered.latenciesMillis(), 100)));
            if (missing > 0) {
                throw new RunFailedException(missing + " acknowledged records never reached the webhook");
            }
            progress.printf(
                    Locale.ROOT,
                    "%.0f rec/s delivered, latency p50 %.2f ms, p99 %.2f ms; all %d records received%n",
                    delivered.recordsPerSecond(),
                    Percentiles.median(delivered.latenciesMillis()),
                    Percentiles.of(delivered.latenciesMillis(), 99),
                    sent.ackedCount());
            return delivered;
        }
    }

    /** The offsets the broker acknowledged, per partition. */
    private record Sent(Map<Integer, BitSet> acked, long ackedCount) {}

    private Sent send(KafkaProducer<byte[], byte[]> producer, String topic, long records, int rate)
            throws RunFailedException, InterruptedException {
        Map<Integer, BitSet> acked = new TreeMap<>();
        AtomicLong ackedCount = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        long start = System.nanoTime();
        for (long i = 0; i < records; i++) {
            if (interval > 0) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            byte[] value = WebhookBatch.value(System.nanoTime(), settings.recordSize());
            producer.send(new ProducerRecord<>(topic, null, value), (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                    return;
                }
                synchronized (acked) {
                    acked.computeIfAbsent(metadata.partition(), partition -> new BitSet())
                            .set(Math.toIntExact(metadata.offset()));
                }
                ackedCount.incrementAndGet();
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new RunFailedException("producing to " + topic + " failed: " + failure.get(), failure.get());
        }
        synchronized (acked) {
            Map<Integer, BitSet> copy = new TreeMap<>();
            acked.forEach((partition, offsets) -> copy.put(partition, (BitSet) offsets.clone()));
            return new Sent(copy, ackedCount.get());
        }
    }

    private WebhookReceiver.Result awaitDelivery(WebhookReceiver receiver, Sent sent, String what)
            throws RunFailedException, InterruptedException {
        boolean complete = receiver.awaitDistinct(sent.ackedCount(), settings.runTimeout());
        WebhookReceiver.Result delivered = receiver.result();
        if (delivered.malformedBatches() > 0) {
            throw new RunFailedException(delivered.malformedBatches() + " deliveries could not be read, the last: "
                    + delivered.lastMalformed());
        }
        if (!complete) {
            throw new RunFailedException(what + ": " + delivered.distinct() + " of " + sent.ackedCount()
                    + " records reached the webhook within "
                    + settings.runTimeout().toSeconds() + " s");
        }
        return delivered;
    }

    private void createTopic(Admin admin, String topic) throws RunFailedException, InterruptedException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, settings.partitions(), (short) 1)))
                    .all()
                    .get(API_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new RunFailedException("cannot create topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private void createSubscription(HttpClient http, String api, BrookRun run, String url)
            throws IOException, RunFailedException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", run.subscription());
        body.put("topic", run.topic());
        body.put("url", url);
        body.put("batchMaxRecords", settings.batchMaxRecords());
        body.put("batchMaxWaitMs", settings.batchMaxWaitMs());
        body.put("maxAttempts", MAX_ATTEMPTS);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(api + "/push/subscriptions"))
                        .timeout(API_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
        if (response.statusCode() != 201) {
            throw new RunFailedException("POST /push/subscriptions answered " + response.statusCode() + ": "
                    + response.body().strip());
        }
    }

    private void deleteSubscription(HttpClient http, String api, BrookRun run)
            throws IOException, RunFailedException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(api + "/push/subscriptions/" + run.subscription()))
                        .timeout(API_TIMEOUT)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
        if (response.statusCode() != 204) {
            throw new RunFailedException("DELETE /push/subscriptions/" + run.subscription() + " answered "
                    + response.statusCode() + ": " + response.body().strip());
        }
    }

    /** The HTTP API's base URL, from the lines brook server prints before "Brook ready". */
    private static String awaitHttpApi(LaunchedBroker broker) throws RunFailedException, InterruptedException {
        long deadline = System.nanoTime() + API_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String stdout = broker.stdout();
            if (stdout.contains("Brook ready")) {
                Matcher matcher = HTTP_API.matcher(stdout);
                if (!matcher.find()) {
                    throw new RunFailedException(
                            "brook server printed no 'HTTP API on http://...' line: " + broker.tail(3));
                }
                return matcher.group(1);
            }
            if (!broker.isAlive()) {
                throw new RunFailedException("brook server exited before it was ready: " + broker.tail(3));
            }
            Thread.sleep(20);
        }
        throw new RunFailedException("brook server printed no 'Brook ready' within " + API_TIMEOUT.toSeconds() + " s");
    }

    // ---- Report ----

    private void addNotes() {
        notes.add(
                "Latency is produce to receipt: the producer's send time (System.nanoTime(), written into the body)"
                        + " to the moment the consumer got the record, producer and consumer in one JVM (Brook: the"
                        + " benchmark's Kafka producer and its webhook, the JDK's HTTP server answering 200 at once; RabbitMQ:"
                        + " PerfTest's producer and consumer), in the latency run at a fixed rate. The details give the"
                        + " throughput run's latencies too, which are not comparable: Brook's producer is acknowledged once"
                        + " the log has the records and runs ahead of delivery (the latency is the backlog's age), while"
                        + " RabbitMQ's flow control and the confirm window hold PerfTest's publisher near its consumer's pace.");
        notes.add(String.format(
                Locale.ROOT,
                "Durability: Brook's producer uses acks=all, answered after the fsync (brook.flush.policy=per-ack, the"
                        + " default); RabbitMQ's messages are persistent, to a durable classic queue, with publisher"
                        + " confirms (up to %d unconfirmed), which RabbitMQ sends once the message is on disk or"
                        + " delivered and acknowledged.",
                CONFIRM_WINDOW));
        notes.add(String.format(
                Locale.ROOT,
                "Delivery: Brook POSTs JSON batches of up to %d records of one partition, at most one in flight per"
                        + " partition, and commits the consumer group's offset after each 2xx; RabbitMQ pushes AMQP"
                        + " deliveries to one consumer with a prefetch of %d and a multiple ack every %d messages."
                        + " Brook's body carries offset, timestamp, encodings and headers per record in JSON;"
                        + " RabbitMQ's frames carry the %d-byte body and AMQP properties.",
                settings.batchMaxRecords(),
                PREFETCH,
                MULTI_ACK,
                settings.recordSize()));
        notes.add("Delivered rec/s: Brook counts distinct offsets at the webhook from the first receipt to the last"
                + " (the details give first send to last receipt too); RabbitMQ's is PerfTest's 'receiving rate avg'"
                + " over its run. PerfTest prints no maximum latency, so RabbitMQ's max is n/a. Startup: Brook to"
                + " its first ApiVersions answer; RabbitMQ to its AMQP port accepting a connection.");
        notes.add("Both brokers and both clients run on this one machine, one system after the other, over loopback;"
                + " each system gets a warm-up run first that the figures leave out.");
    }

    private static String formatLatencies(Map<String, Double> latencies) {
        List<String> parts = new ArrayList<>();
        latencies.forEach((name, value) -> parts.add(String.format(Locale.ROOT, "%s %.2f", name, value)));
        return String.join(", ", parts);
    }

    private static double loadAverage() {
        try {
            String text = Files.readString(Path.of("/proc/loadavg"), UTF_8);
            return Double.parseDouble(text.substring(0, text.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
