package io.brook.cli;

import static io.brook.engine.api.functions.col;
import static java.util.Objects.requireNonNull;

import io.brook.broker.BrokerConfig;
import io.brook.engine.api.Brook;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.http.SqlService;
import io.brook.push.PushException;
import io.brook.push.PushService;
import io.brook.push.SubscriptionSpec;
import io.brook.sql.SqlSession;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code brook demo}: Brook's streaming ETL in one process. It starts a broker, creates the topics {@value #CLICKS} and
 * {@value #PAGE_STATS}, runs example 1 ({@code examples/clickstream.sql}) through a {@link SqlSession} on an engine in
 * this process, printing each statement's result and then one progress line per micro-batch ({@link QueryProgress}),
 * and feeds it clicks from a {@link ClickGenerator} at {@code --rate}. After {@code --events} clicks it sends one more,
 * two minutes of event time later, so that the watermark closes the last one-minute windows; it waits until the queries
 * have processed everything, prints a summary (window rows in Parquet and in the topic) and stops everything. It serves
 * the dashboard and the HTTP API over the same broker and SQL session (the example's queries show there, and {@code brook
 * sql --server} can add more), and a push subscription delivers every {@value #PAGE_STATS} record to a webhook of the
 * demo's own ({@link DemoWebhook}), so the dashboard has a topic, groups, a subscription and queries to show. With
 * {@code --events 0} it runs until Ctrl-C, which stops everything cleanly at any time. The data directory (a new
 * temporary one unless {@code --data-dir} is given) is kept, since its Parquet files are the demo's output.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Brook's streaming ETL in one process: a broker, a click generator and example 1"
                    + " (examples/clickstream.sql: clicks cleaned, joined with a page table and counted per page and"
                    + " minute into the topic " + DemoCommand.PAGE_STATS + " and Parquet files).",
            "Serves the dashboard (its address is printed) and the HTTP API; a push subscription POSTs the window"
                    + " rows to a webhook of the demo's own.",
            "Prints one progress line per micro-batch; ends by itself after --events clicks (about a minute and a"
                    + " half by default), or at Ctrl-C."
        })
final class DemoCommand implements Callable<Integer> {
    static final String CLICKS = "clicks";
    static final String PAGE_STATS = "page-stats";
    static final int CLICKS_PARTITIONS = 3;
    static final String SCRIPT = "clickstream.sql";
    static final String PAGES = "data/pages.csv";
    /** How far after the last click the closing click's event time is: past the last window's end and the delay. */
    static final Duration CLOSING_CLICK_AHEAD = Duration.ofMinutes(2);

    private static final Logger LOGGER = LoggerFactory.getLogger(DemoCommand.class);
    private static final String BROKER_LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.io.brook";
    private static final Duration PACE_SLEEP_MAX = Duration.ofMillis(100);
    private static final int SUMMARY_ROWS = 8;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_HTTP_PORT = 8080;
    static final String SUBSCRIPTION = "page-stats-webhook";
    /** How long the summary waits for the push subscription to deliver the last windows. */
    private static final Duration PUSH_CATCH_UP = Duration.ofSeconds(20);
    /** A live SELECT sent to the demo's HTTP API waits this long for its client to stream it. */
    private static final Duration LIVE_ATTACH_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Keep the broker's data, the Parquet output and the checkpoints in DIR (default: a new"
                    + " temporary directory, kept at the end).")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Kafka port of the demo broker (default: 0, any free port).")
    int kafkaPort;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "20",
            description = "Clicks per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "1500",
            description = "Clicks to produce before the demo closes its windows and ends (default: ${DEFAULT-VALUE});"
                    + " 0 runs until Ctrl-C.")
    long events;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "42",
            description = "Seed of the click generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--start-time",
            paramLabel = "INSTANT",
            description = "Give the clicks event times from INSTANT (e.g. 2026-12-01T10:00:00Z) on, one every 1/RATE"
                    + " seconds, instead of the time they are sent: a run that is the same every time.")
    String startTime;

    @Option(
            names = "--trigger",
            paramLabel = "INTERVAL",
            defaultValue = "2 seconds",
            description = "How often the queries run a micro-batch (default: ${DEFAULT-VALUE}).")
    String trigger;

    @Option(
            names = "--examples",
            paramLabel = "DIR",
            description = "Directory with " + SCRIPT + " and " + PAGES + " (default: examples/ in the working"
                    + " directory or in Brook's installation).")
    Path examples;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description = "Port of the dashboard and the HTTP API (default: " + DEFAULT_HTTP_PORT + ", or any free"
                    + " port when that one is taken; 0: any free port).")
    Integer httpPort;

    @Option(names = "--verbose", description = "Show the broker's and the engine's INFO log lines (on stderr).")
    boolean verbose;

    private final RunningBroker.Launcher launcher;
    private final Supplier<Brook> engine;
    private final ShutdownSignal shutdownSignal;
    private final Clock clock;
    private final PrometheusMeterRegistry metrics;

    DemoCommand() {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** The real broker, whose request counts the dashboard's {@code /metrics} serves. */
    private DemoCommand(PrometheusMeterRegistry metrics) {
        this(
                config -> RunningBroker.start(config, metrics),
                Brook::local,
                new ProcessSignals(),
                Clock.systemUTC(),
                metrics);
    }

    DemoCommand(RunningBroker.Launcher launcher, Supplier<Brook> engine, ShutdownSignal shutdownSignal, Clock clock) {
        this(launcher, engine, shutdownSignal, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    private DemoCommand(
            RunningBroker.Launcher launcher,
            Supplier<Brook> engine,
            ShutdownSignal shutdownSignal,
            Clock clock,
            PrometheusMeterRegistry metrics) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.shutdownSignal = requireNonNull(shutdownSignal, "shutdownSignal is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Instant start = throwIfOptionsInvalid();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path examplesDirectory = examples != null ? examples : findExamples().orElse(null);
        if (examplesDirectory == null || !hasExample(examplesDirectory)) {
            err.println("Error: " + examplesNotFound(examplesDirectory));
            return BrookCommand.EXIT_USAGE;
        }
        if (!verbose && System.getProperty(BROKER_LOG_LEVEL_PROPERTY) == null) {
            // slf4j-simple reads a logger's level when the logger is created, and the broker's are not yet.
            System.setProperty(BROKER_LOG_LEVEL_PROPERTY, "warn");
        }
        boolean temporary = dataDir == null;
        Path directory = temporary ? Files.createTempDirectory("brook-demo-") : dataDir;
        BrokerConfig config;
        try {
            config = BrokerConfig.parse(Map.of(
                    BrokerConfig.DATA_DIR, directory.resolve("broker").toString(),
                    BrokerConfig.KAFKA_PORT, Integer.toString(kafkaPort),
                    BrokerConfig.HOST, "127.0.0.1"));
        } catch (ConfigException e) {
            err.println("Error: " + e.getMessage());
            return BrookCommand.EXIT_USAGE;
        }
        out.println("Starting Brook in this process (data in " + directory + ")");
        out.flush();
        long startNanos = System.nanoTime();
        RunningBroker broker;
        try {
            broker = launcher.start(config);
        } catch (IOException e) {
            err.println("Error: Brook could not start: " + e.getMessage());
            if (temporary) {
                deleteRecursively(directory);
            }
            return BrookCommand.EXIT_FAILURE;
        }
        String bootstrap = config.host() + ":" + broker.kafkaPort();
        out.println("Brook ready on " + bootstrap + " after " + millisSince(startNanos) + " ms (flush policy "
                + config.flushPolicy().configName() + ")");
        out.flush();
        Demo demo = new Demo(out, err, config.host(), bootstrap, directory, examplesDirectory.toAbsolutePath(), start);
        int exitCode = demo.runAndStop(broker);
        out.flush();
        err.flush();
        return exitCode;
    }

    /** The validated options; the fixed start of the event times, or null for the clock's time. */
    private Instant throwIfOptionsInvalid() {
        if (events < 0) {
            throw new ParameterException(spec.commandLine(), "--events must be >= 0 (0: until Ctrl-C); got " + events);
        }
        if (rate < 1) {
            throw new ParameterException(spec.commandLine(), "--rate must be at least 1; got " + rate);
        }
        if (httpPort != null && (httpPort < 0 || httpPort > 65535)) {
            throw new ParameterException(
                    spec.commandLine(), "--http-port is 0-65535 (0 picks a free port); got " + httpPort);
        }
        if (startTime == null) {
            return null;
        }
        try {
            return Instant.parse(startTime);
        } catch (DateTimeParseException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--start-time must be an instant such as 2026-12-01T10:00:00Z; got '" + startTime + "'");
        }
    }

    /** examples/ in the working directory, or in a directory above Brook's jar (or classes directory). */
    private static Optional<Path> findExamples() {
        List<Path> candidates = candidateExamples();
        return candidates.stream().filter(DemoCommand::hasExample).findFirst();
    }

    private static List<Path> candidateExamples() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("examples").toAbsolutePath());
        Path installation = installation();
        // brook-cli/target/brook-cli-VERSION.jar or brook-cli/target/classes: the repository is three levels up.
        for (Path directory = installation; directory != null && candidates.size() < 5; ) {
            candidates.add(directory.resolve("examples"));
            directory = directory.getParent();
        }
        return candidates;
    }

    private static Path installation() {
        try {
            CodeSource source = DemoCommand.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).getParent();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static boolean hasExample(Path directory) {
        return Files.isRegularFile(directory.resolve(SCRIPT)) && Files.isRegularFile(directory.resolve(PAGES));
    }

    private static String examplesNotFound(Path given) {
        if (given != null) {
            return "no " + SCRIPT + " and " + PAGES + " in " + given + " (--examples)";
        }
        return "cannot find examples/" + SCRIPT + " and examples/" + PAGES + "; looked in "
                + String.join(
                        ", ", candidateExamples().stream().map(Path::toString).toList())
                + ". Run the demo from Brook's repository (./brook demo) or name the directory with --examples DIR";
    }

    /** The port to serve HTTP on: the one given, else the default one when it is free, else any free one (0). */
    private int chosenHttpPort(String host) {
        if (httpPort != null) {
            return httpPort;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, DEFAULT_HTTP_PORT));
            return DEFAULT_HTTP_PORT;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOGGER.warn("Could not remove the demo's data directory {}", directory, e);
        }
    }

    /** One run of the demo on a started broker. */
    private final class Demo {
        private final PrintWriter out;
        private final PrintWriter err;
        private final String host;
        private final String bootstrap;
        private final Path directory;
        private final Path examplesDirectory;
        private final Instant start;
        private final Path output;
        private final BlockingQueue<Boolean> wakeUps = new LinkedBlockingQueue<>();
        private final AtomicBoolean stopRequested = new AtomicBoolean();

        Demo(
                PrintWriter out,
                PrintWriter err,
                String host,
                String bootstrap,
                Path directory,
                Path examplesDirectory,
                Instant start) {
            this.out = out;
            this.err = err;
            this.host = host;
            this.bootstrap = bootstrap;
            this.directory = directory;
            this.examplesDirectory = examplesDirectory;
            this.start = start;
            this.output = directory.resolve("clickstream");
        }

        /** Runs the demo, stops the broker and tells the shutdown signal; the exit code. */
        int runAndStop(RunningBroker broker) throws InterruptedException {
            Thread waiter = new Thread(
                    () -> {
                        try {
                            shutdownSignal.await();
                            stopRequested.set(true);
                            wakeUps.add(true);
                        } catch (InterruptedException e) {
                            // The demo ended first.
                        }
                    },
                    "brook-demo-shutdown");
            waiter.setDaemon(true);
            waiter.start();
            int exitCode;
            try {
                exitCode = run();
            } catch (ExecutionException | KafkaException | TimeoutException | PushException e) {
                out.flush();
                err.println("Error: " + CliErrors.message(e, bootstrap));
                exitCode = BrookCommand.EXIT_FAILURE;
            } catch (IOException e) {
                out.flush();
                err.println("Error: the dashboard and HTTP API could not start: " + e.getMessage());
                exitCode = BrookCommand.EXIT_FAILURE;
            } catch (RuntimeException | Error e) {
                // A bug: the broker's threads must not keep the JVM alive after the demo's thread died of it.
                waiter.interrupt();
                try {
                    broker.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            } finally {
                waiter.interrupt();
            }
            out.print("Stopping Brook... ");
            out.flush();
            try {
                broker.close();
                out.println("stopped cleanly.");
            } catch (Exception e) {
                out.println();
                err.println("Error: Brook did not stop cleanly: " + e.getMessage());
                exitCode = BrookCommand.EXIT_FAILURE;
            }
            printWhatStays();
            out.flush();
            err.flush();
            shutdownSignal.finished(exitCode);
            return exitCode;
        }

        private int run() throws ExecutionException, InterruptedException, TimeoutException, IOException {
            createTopics();
            SqlRunner.Script script;
            try {
                Path file = examplesDirectory.resolve(SCRIPT);
                script = new SqlRunner.Script(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.println("Error: cannot read " + examplesDirectory.resolve(SCRIPT) + ": " + e);
                return BrookCommand.EXIT_FAILURE;
            }
            List<String> pages = pages();
            try (Brook brook = engine.get()) {
                QueryProgress progress = new QueryProgress(out, err, () -> wakeUps.add(true));
                brook.addListener(progress);
                SqlSession session = new SqlSession(brook);
                session.define("BOOTSTRAP", bootstrap);
                session.define("TOPIC", CLICKS);
                session.define("OUT", output.toString());
                session.define("PAGES", examplesDirectory.resolve(PAGES).toString());
                // The HTTP API serves this session: the dashboard shows the example's queries, and brook sql --server
                // can add more. It closes the session (stopping its queries) and the push subscriptions.
                SqlService sql = new SqlService(() -> session, false, LIVE_ATTACH_TIMEOUT);
                PushService push;
                try {
                    push = PushService.start(() -> bootstrap, directory);
                } catch (IOException | RuntimeException e) {
                    closeQuietly(sql);
                    throw e;
                }
                DemoWebhook webhook = new DemoWebhook();
                RunningHttpApi http = RunningHttpApi.start(
                        host, chosenHttpPort(host), () -> bootstrap, metrics, sql, push, List.of(webhook));
                try {
                    return run(brook, progress, session, sql, push, webhook, http.port(), script, pages);
                } finally {
                    closeQuietly(http);
                }
            }
        }

        private int run(
                Brook brook,
                QueryProgress progress,
                SqlSession session,
                SqlService sql,
                PushService push,
                DemoWebhook webhook,
                int httpPort,
                SqlRunner.Script script,
                List<String> pages)
                throws ExecutionException, InterruptedException {
            String address = "http://" + host + ":" + httpPort;
            printWhereToLook(address);
            SqlRunner runner = new SqlRunner(engine, shutdownSignal, out, err);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(SqlSession.TRIGGER, trigger);
            if (!sql.withSession(served -> runner.execute(served, settings, List.of(script)))) {
                return BrookCommand.EXIT_FAILURE;
            }
            subscribe(push, address + DemoWebhook.PATH);
            ClickFeed feed = new ClickFeed(new ClickGenerator(seed, pages), session);
            Thread thread = new Thread(feed, "brook-demo-clicks");
            thread.start();
            print("Producing " + (events == 0 ? "clicks" : String.format(Locale.ROOT, "%,d clicks", events)) + " at "
                    + rate + "/s to topic " + CLICKS + " (some with messy page names, a few invalid); Ctrl-C stops the"
                    + " demo");
            while (!stopRequested.get() && !feed.ended() && !progress.failed()) {
                wakeUps.poll(100, TimeUnit.MILLISECONDS);
            }
            feed.stop();
            if (stopRequested.get()) {
                print("Stopping the queries and the click generator (Ctrl-C)");
            }
            // Stops the queries (the feed may be waiting for them to catch up); the HTTP API stays up until the end.
            closeQuietly(sql);
            thread.join(JOIN_TIMEOUT.toMillis());
            if (progress.failed()) {
                return BrookCommand.EXIT_FAILURE;
            }
            if (feed.failure() != null) {
                out.flush();
                err.println("Error: the click generator failed: " + CliErrors.message(feed.failure(), bootstrap));
                return BrookCommand.EXIT_FAILURE;
            }
            boolean delivered = feed.finished() && awaitDelivered(push);
            printSummary(brook, feed, webhook, delivered, address + DemoWebhook.PATH);
            return 0;
        }

        /**
         * A push subscription from {@value #PAGE_STATS} to the demo's own webhook: a fresh one each run, since an
         * earlier run's may point at another port.
         */
        private void subscribe(PushService push, String url) {
            if (push.list().stream().anyMatch(status -> status.spec().name().equals(SUBSCRIPTION))) {
                push.delete(SUBSCRIPTION);
            }
            push.create(SubscriptionSpec.of(SUBSCRIPTION, PAGE_STATS, url));
            print("Created push subscription " + SUBSCRIPTION + ": each " + PAGE_STATS + " record is POSTed to " + url);
        }

        /** Waits until the push subscription has delivered everything in its topic; whether it did in time. */
        private boolean awaitDelivered(PushService push) throws InterruptedException {
            long deadline = System.nanoTime() + PUSH_CATCH_UP.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (push.describe(SUBSCRIPTION).lag() == 0) {
                        return true;
                    }
                } catch (PushException e) {
                    LOGGER.debug("Push subscription status not there yet", e);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            return false;
        }

        private void closeQuietly(AutoCloseable part) {
            try {
                part.close();
            } catch (Exception e) {
                out.flush();
                err.println("Error: " + QueryProgress.message(e));
            }
        }

        private void createTopics() throws ExecutionException, InterruptedException {
            try (Admin admin = admin()) {
                create(admin, new NewTopic(CLICKS, Optional.of(CLICKS_PARTITIONS), Optional.empty()));
                create(admin, new NewTopic(PAGE_STATS, Optional.of(1), Optional.empty()));
            }
        }

        private void create(Admin admin, NewTopic topic) throws ExecutionException, InterruptedException {
            String partitions = topic.numPartitions() == 1 ? "1 partition" : topic.numPartitions() + " partitions";
            try {
                admin.createTopics(List.of(topic)).all().get();
                out.println("Created topic " + topic.name() + " with " + partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                out.println("Topic " + topic.name() + " exists already (from an earlier run); adding to it");
            }
        }

        private Admin admin() {
            Map<String, Object> properties = common("brook-demo-admin");
            properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
            return Admin.create(properties);
        }

        private Map<String, Object> common(String clientId) {
            Map<String, Object> properties = new TreeMap<>();
            properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
            properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
            return properties;
        }

        private void printWhereToLook(String address) {
            out.println();
            out.println(
                    "Dashboard:        " + address + "/  (topics, groups, push, the queries' progress, a live tail)");
            out.println("Running " + shown(examplesDirectory.resolve(SCRIPT)) + ": clicks are cleaned, joined with "
                    + shown(examplesDirectory.resolve(PAGES))
                    + " and counted per page and minute. Where to look while it runs:");
            out.println("  Parquet files:  " + output.resolve("page-stats"));
            out.println("  Kafka topic:    ./brook consume " + PAGE_STATS + " --from-beginning --bootstrap-server "
                    + bootstrap);
            out.println("  the clicks:     ./brook consume " + CLICKS + " --bootstrap-server " + bootstrap);
            out.println("  checkpoints:    " + output.resolve("checkpoints"));
            out.println("  HTTP API:       curl " + address + "/topics, or ./brook sql --server " + address);
            out.println("A one-minute window is written once the watermark (latest click time - 5 s) passes its end.");
            out.println();
            out.flush();
        }

        /** A path under the working directory as a relative one, as the user would type it. */
        private Path shown(Path path) {
            Path workingDirectory = Path.of("").toAbsolutePath();
            return path.startsWith(workingDirectory) ? workingDirectory.relativize(path) : path;
        }

        /** The page names of the example's page table: the first column after the header. */
        private List<String> pages() {
            Path file = examplesDirectory.resolve(PAGES);
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                List<String> pages = lines.stream()
                        .skip(1)
                        .filter(line -> !line.isBlank())
                        .map(line -> line.split(",", -1)[0].strip())
                        .toList();
                if (pages.isEmpty()) {
                    throw new IllegalStateException("the page table " + file + " has no rows");
                }
                return pages;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the page table " + file, e);
            }
        }

        private void printSummary(Brook brook, ClickFeed feed, DemoWebhook webhook, boolean delivered, String url)
                throws ExecutionException, InterruptedException {
            Path parquet = output.resolve("page-stats");
            long parquetRows = parquetRows(brook, parquet);
            long topicRecords = topicRecords();
            Map<ClickGenerator.Kind, Long> kinds = feed.kinds();
            long produced = kinds.values().stream().mapToLong(Long::longValue).sum();
            long messy = kinds.getOrDefault(ClickGenerator.Kind.MESSY_PAGE, 0L);
            long invalid = kinds.entrySet().stream()
                    .filter(entry -> !entry.getKey().valid())
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            print("");
            print("Summary");
            print(String.format(
                    Locale.ROOT,
                    "  clicks:     %,d produced in %.1f s (%,d with a messy page name, cleaned; %,d invalid, dropped)%s",
                    produced,
                    feed.seconds(),
                    messy,
                    invalid,
                    feed.finished() ? ", and 1 more to close the windows" : ""));
            print(String.format(
                    Locale.ROOT,
                    "  page-stats: %,d window rows in the Parquet files (%s), %,d records in topic %s",
                    parquetRows,
                    parquet,
                    topicRecords,
                    PAGE_STATS));
            print(String.format(
                    Locale.ROOT,
                    "  push:       %,d records POSTed to %s in %,d batches by subscription %s%s",
                    webhook.records(),
                    url,
                    webhook.batches(),
                    SUBSCRIPTION,
                    delivered ? "" : " (it had not caught up when the demo ended)"));
            if (parquetRows > 0) {
                print(
                        parquetRows <= SUMMARY_ROWS
                                ? "  the windows:"
                                : "  the latest windows (" + SUMMARY_ROWS + " of " + parquetRows + "):");
                Dataset<Row> latest = brook.read()
                        .parquet(parquet.toString())
                        .orderBy(col("window_start").desc(), col("views").desc(), col("page"));
                print(latest.showString(SUMMARY_ROWS).stripTrailing().indent(2).stripTrailing());
            }
            print("");
        }

        private long parquetRows(Brook brook, Path parquet) {
            try (Stream<Path> files = Files.walk(parquet)) {
                if (files.noneMatch(file -> file.getFileName().toString().endsWith(".parquet"))) {
                    return 0;
                }
            } catch (IOException e) {
                return 0;
            }
            return brook.read().parquet(parquet.toString()).count();
        }

        private long topicRecords() throws ExecutionException, InterruptedException {
            try (Admin admin = admin()) {
                TopicPartition partition = new TopicPartition(PAGE_STATS, 0);
                ListOffsetsResult earliest = admin.listOffsets(Map.of(partition, OffsetSpec.earliest()));
                ListOffsetsResult latest = admin.listOffsets(Map.of(partition, OffsetSpec.latest()));
                return latest.partitionResult(partition).get().offset()
                        - earliest.partitionResult(partition).get().offset();
            }
        }

        private void printWhatStays() {
            out.println();
            out.println("The output stays in " + directory + " (remove it when done):");
            out.println("  " + output.resolve("page-stats") + "   Parquet, one row per page and minute");
            out.println("  ./brook server --data-dir " + directory.resolve("broker")
                    + "   serves the topics again, e.g. for ./brook consume " + PAGE_STATS + " --from-beginning");
            out.println("Run the example against a broker of your own: ./brook run examples/" + SCRIPT
                    + " (README.md has more)");
        }

        private void print(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }

        /**
         * Produces the clicks on its own thread, paced at {@code --rate}; then the closing click, and waits until the
         * queries have processed everything. {@link #stop} ends it early.
         */
        private final class ClickFeed implements Runnable {
            private final ClickGenerator generator;
            private final SqlSession session;
            private final AtomicReference<Exception> failure = new AtomicReference<>();
            private final Map<ClickGenerator.Kind, Long> kinds = new EnumMap<>(ClickGenerator.Kind.class);
            private volatile boolean stopped;
            private volatile boolean finished;
            private volatile double seconds;

            ClickFeed(ClickGenerator generator, SqlSession session) {
                this.generator = generator;
                this.session = session;
            }

            @Override
            public void run() {
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
                    long startNanos = System.nanoTime();
                    Instant last = null;
                    try {
                        for (long index = 0; (events == 0 || index < events) && awaitDue(startNanos, index); index++) {
                            Instant time =
                                    start == null ? clock.instant() : start.plusNanos(index * 1_000_000_000L / rate);
                            ClickGenerator.Click click = generator.next(time);
                            send(producer, click);
                            synchronized (kinds) {
                                kinds.merge(click.kind(), 1L, Long::sum);
                            }
                            last = click.time();
                        }
                        producer.flush();
                        throwIfSendFailed();
                    } finally {
                        seconds = (System.nanoTime() - startNanos) / 1e9;
                    }
                    if (stopped || last == null) {
                        return;
                    }
                    ClickGenerator.Click closing = generator.clean(last.plus(CLOSING_CLICK_AHEAD));
                    send(producer, closing);
                    producer.flush();
                    throwIfSendFailed();
                    print(String.format(
                            Locale.ROOT,
                            "Produced %,d clicks; sent one more at %s, %d minutes after the last, so that the"
                                    + " watermark closes the last windows; waiting for the queries to catch up",
                            events,
                            closing.time(),
                            CLOSING_CLICK_AHEAD.toMinutes()));
                    session.processAllAvailable();
                    finished = !stopped;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    // A Kafka error, or a query that failed while catching up (QueryProgress reports that one too).
                    if (!stopped) {
                        failure.set(e);
                    }
                } finally {
                    wakeUps.add(true);
                }
            }

            /** Sleeps until click {@code index} is due; false when stopped meanwhile. */
            private boolean awaitDue(long startNanos, long index) throws InterruptedException {
                long due = startNanos + index * 1_000_000_000L / rate;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    if (stopped) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, PACE_SLEEP_MAX.toNanos()));
                }
                return !stopped;
            }

            private void send(KafkaProducer<String, String> producer, ClickGenerator.Click click) {
                throwIfSendFailed();
                producer.send(new ProducerRecord<>(CLICKS, click.key(), click.json()), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    }
                });
            }

            private void throwIfSendFailed() {
                Exception exception = failure.get();
                if (exception != null) {
                    throw new KafkaException("a click could not be produced: " + exception.getMessage(), exception);
                }
            }

            private Map<String, Object> producerProperties() {
                Map<String, Object> properties = common("brook-demo-clicks");
                properties.put(ProducerConfig.ACKS_CONFIG, "all");
                properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
                properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS * 2);
                properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
                properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
                return properties;
            }

            void stop() {
                stopped = true;
            }

            /** Whether the clicks were produced and processed, the windows closed. */
            boolean finished() {
                return finished;
            }

            /** Whether it finished or failed. */
            boolean ended() {
                return finished || failure.get() != null;
            }

            Exception failure() {
                return finished ? null : failure.get();
            }

            double seconds() {
                return seconds;
            }

            Map<ClickGenerator.Kind, Long> kinds() {
                synchronized (kinds) {
                    return new EnumMap<>(kinds);
                }
            }
        }
    }
}
