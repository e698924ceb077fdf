package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.broker.BrokerConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brook server}: runs the broker and, beside it, the HTTP API with the server's shared SQL session ({@code
 * brook sql --server}), topics, produce, consumers, groups, live topic streams, push subscriptions and Prometheus
 * metrics (README's "HTTP API") in the foreground until SIGINT or SIGTERM, then closes the API (stopping its queries
 * and deliveries) and the broker (flushing the logs and writing the clean-shutdown marker) and exits 0.
 * Settings come from a properties file, then {@code --set}, then the dedicated flags; later sources win.
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the Brook broker and its HTTP API (SQL with `brook sql --server`) in the foreground until"
                + " Ctrl-C or SIGTERM.",
        footer = {
            "",
            "Settings are read from --config, then --set, then --data-dir/--kafka-port/--host; later ones win.",
            "Unknown keys and bad values are refused (exit code 2). The keys are listed in README.md."
        })
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Directory holding the logs (key " + BrokerConfig.DATA_DIR + "; default ./brook-data).")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            description =
                    "Kafka protocol port (key " + BrokerConfig.KAFKA_PORT + "; default 9092; 0 picks a free one).")
    Integer kafkaPort;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description = "Address to bind and advertise (key " + BrokerConfig.HOST + "; default 127.0.0.1).")
    String host;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description = "HTTP API port, on the same host (default 8080; 0 picks a free one, which is printed).")
    int httpPort = 8080;

    @Option(names = "--config", paramLabel = "FILE", description = "Java properties file with broker settings.")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "One broker setting, e.g. --set brook.flush.policy=interval (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    private final RunningBroker.Launcher launcher;
    private final RunningHttpApi.Launcher httpLauncher;
    private final ShutdownSignal shutdownSignal;

    ServerCommand() {
        this(new ProcessSignals());
    }

    /** The real broker and HTTP API; the broker counts its requests in the registry the API serves at /metrics. */
    ServerCommand(ShutdownSignal shutdownSignal) {
        this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), shutdownSignal);
    }

    private ServerCommand(PrometheusMeterRegistry metrics, ShutdownSignal shutdownSignal) {
        this(
                config -> RunningBroker.start(config, metrics),
                (host, port, bootstrap, dataDir) -> RunningHttpApi.start(host, port, bootstrap, dataDir, metrics),
                shutdownSignal);
    }

    ServerCommand(
            RunningBroker.Launcher launcher, RunningHttpApi.Launcher httpLauncher, ShutdownSignal shutdownSignal) {
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.httpLauncher = requireNonNull(httpLauncher, "httpLauncher is null");
        this.shutdownSignal = requireNonNull(shutdownSignal, "shutdownSignal is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BrokerConfig config;
        try {
            config = BrokerConfig.parse(brokerProperties());
        } catch (IOException | ConfigException e) {
            err.println("Error: " + e.getMessage());
            return BrookCommand.EXIT_USAGE;
        }
        if (httpPort < 0 || httpPort > 65535) {
            err.println("Error: --http-port is 0-65535 (0 picks a free port); got " + httpPort);
            return BrookCommand.EXIT_USAGE;
        }
        // The HTTP API starts alongside the broker (it needs the broker's address only at its first SQL script): the
        // two start-ups share the time to "Brook ready" instead of adding up.
        AtomicReference<String> bootstrapServers = new AtomicReference<>();
        FutureTask<RunningHttpApi> httpStart = new FutureTask<>(
                () -> httpLauncher.start(config.host(), httpPort, bootstrapServers::get, config.dataDir()));
        Thread httpStarter = new Thread(httpStart, "brook-http-start");
        httpStarter.start();
        RunningBroker broker;
        try {
            broker = launcher.start(config);
        } catch (IOException e) {
            err.println("Error: Brook could not start: " + e.getMessage());
            RunningHttpApi http = awaitHttp(httpStart, err);
            if (http != null) {
                closeQuietly(http, err);
            }
            return BrookCommand.EXIT_FAILURE;
        }
        String bootstrap = config.host() + ":" + broker.kafkaPort();
        bootstrapServers.set(bootstrap);
        RunningHttpApi http = awaitHttp(httpStart, err);
        if (http == null) {
            closeQuietly(broker, err);
            return BrookCommand.EXIT_FAILURE;
        }
        // The ready line comes last: whoever waits for it finds the HTTP API up too.
        out.println("HTTP API on http://" + config.host() + ":" + http.port() + " (brook sql --server http://"
                + config.host() + ":" + http.port() + ")");
        out.println("Brook ready on " + bootstrap);
        out.flush();
        shutdownSignal.await();
        boolean httpClosed = closeQuietly(http, err);
        boolean brokerClosed = closeQuietly(broker, err);
        int exitCode = httpClosed && brokerClosed ? 0 : BrookCommand.EXIT_FAILURE;
        out.flush();
        err.flush();
        shutdownSignal.finished(exitCode);
        return exitCode;
    }

    /** The started HTTP API; null after printing why it did not start. */
    private static RunningHttpApi awaitHttp(FutureTask<RunningHttpApi> httpStart, PrintWriter err)
            throws InterruptedException {
        try {
            return httpStart.get();
        } catch (ExecutionException e) {
            err.println("Error: Brook could not start its HTTP API: " + QueryProgress.message(e.getCause()));
            return null;
        }
    }

    /** Closes one part, printing why it did not close cleanly; whether it did. */
    private static boolean closeQuietly(AutoCloseable part, PrintWriter err) {
        try {
            part.close();
            return true;
        } catch (Exception e) {
            err.println("Error: Brook did not stop cleanly: " + e.getMessage());
            return false;
        }
    }

    /** The properties handed to {@link BrokerConfig#parse}: the file, overlaid with --set, overlaid with the flags. */
    Map<String, String> brokerProperties() throws IOException {
        Map<String, String> properties = new TreeMap<>();
        if (configFile != null) {
            properties.putAll(readPropertiesFile(configFile));
        }
        properties.putAll(settings);
        if (dataDir != null) {
            properties.put(BrokerConfig.DATA_DIR, dataDir.toString());
        }
        if (kafkaPort != null) {
            properties.put(BrokerConfig.KAFKA_PORT, Integer.toString(kafkaPort));
        }
        if (host != null) {
            properties.put(BrokerConfig.HOST, host);
        }
        return Collections.unmodifiableMap(properties);
    }

    static Map<String, String> readPropertiesFile(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IOException("config file '" + file + "' does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot read config file '" + file + "': " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key).strip());
        }
        return values;
    }
}
