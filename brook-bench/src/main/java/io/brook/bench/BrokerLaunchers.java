package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;

/**
 * Starts the two brokers the way their users do. Apache Kafka: a single KRaft node (broker and controller in one
 * process) from the Maven artifacts in {@code kafka-lib}, storage formatted first, JVM options as kafka-server-start.sh
 * sets them. Brook: {@code brook server} from brook-cli's build, with the JVM options of the ./brook launcher (its
 * class-data-sharing archive too, when one is there and newer than the build).
 */
final class BrokerLaunchers {
    static final String HOST = "127.0.0.1";
    private static final String BROOK_MAIN = "io.brook.cli.BrookCommand";

    private final BenchPaths paths;
    private final BenchSettings settings;
    private final Consumer<String> notes;

    /** {@code notes} receives one line per fact about the launch that the report should state. */
    BrokerLaunchers(BenchPaths paths, BenchSettings settings, Consumer<String> notes) {
        this.paths = paths;
        this.settings = settings;
        this.notes = notes;
    }

    LaunchedBroker startKafka() throws IOException, RunFailedException, InterruptedException {
        throwIfMissing(paths.kafkaLib(), "Kafka's classpath");
        Path home = Files.createDirectories(paths.workDir().resolve(BenchSettings.KAFKA));
        Path logs = Files.createDirectories(home.resolve("logs"));
        Path serverLog4j = copyResource("kafka-server-log4j2.properties", home);
        Path toolsLog4j = copyResource("kafka-tools-log4j2.properties", home);
        int port = freePort();
        int controllerPort = freePort();
        Path properties = home.resolve("server.properties");
        Files.writeString(properties, kafkaServerProperties(home.resolve("data"), port, controllerPort), UTF_8);
        String classpath = paths.kafkaLib().resolve("*").toString();

        // kafka-storage.sh format: a new cluster id, the static voter set from server.properties.
        List<String> format = new ArrayList<>();
        format.add(paths.java().toString());
        format.addAll(KafkaJvm.toolOptions(KafkaJvm.TOOL_HEAP, logs, toolsLog4j));
        format.addAll(List.of(
                "-cp",
                classpath,
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                properties.toString()));
        try (ChildProcess formatting =
                ChildProcess.start("kafka-storage-format", format, home, home.resolve("format"), paths.pidFile())) {
            int exitCode = formatting.waitFor(settings.startTimeout());
            if (exitCode != 0) {
                throw new RunFailedException("kafka-storage format "
                        + (exitCode < 0 ? "timed out" : "exited with code " + exitCode) + ": " + formatting.tail(5));
            }
            notes.accept(String.format(
                    Locale.ROOT,
                    "Kafka's storage format (kafka.tools.StorageTool, a JVM of its own) took %.0f ms before launch;"
                            + " start-up times count from the kafka.Kafka launch.",
                    (System.nanoTime() - formatting.startNanos()) / 1_000_000.0));
        }

        List<String> command = new ArrayList<>();
        command.add(paths.java().toString());
        command.addAll(KafkaJvm.serverOptions(logs, serverLog4j));
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", properties.toString()));
        return started(ChildProcess.start("kafka", command, home, logs.resolve("kafkaServer"), paths.pidFile()), port);
    }

    LaunchedBroker startBrook() throws IOException, RunFailedException, InterruptedException {
        Path jar = brookJar()
                .orElseThrow(() -> new RunFailedException("no Brook build: " + paths.brookHome()
                        + " has no brook-cli-*.jar (build it with ./mvnw -B -DskipTests install -pl brook-cli -am)"));
        Path lib = paths.brookHome().resolve("lib");
        throwIfMissing(lib, "Brook's classpath");
        Path home = Files.createDirectories(paths.workDir().resolve(BenchSettings.BROOK));
        int port = freePort();

        // As ./brook runs it: JVM warnings to stderr, the AppCDS archive that ./brook trains when it is up to date.
        List<String> command = new ArrayList<>();
        command.add(paths.java().toString());
        command.addAll(List.of("-Xshare:auto", "-Xlog:disable", "-Xlog:all=warning:stderr"));
        Path archive = paths.brookHome().resolve("brook-classes.jsa");
        if (!settings.brookCds()) {
            notes.accept("Brook ran without its class-data-sharing archive (BENCH_BROOK_CDS=off).");
        } else if (isFresh(archive, jar, lib)) {
            command.add("-XX:SharedArchiveFile=" + archive);
            notes.accept("Brook started with the AppCDS archive that ./brook keeps (" + archive.getFileName()
                    + "); BENCH_BROOK_CDS=off measures it without.");
        } else {
            notes.accept("Brook started without an AppCDS archive (none newer than the build; ./brook makes one).");
        }
        command.addAll(settings.brookJavaOptions());
        command.addAll(List.of("-cp", jar + ":" + lib.resolve("*"), BROOK_MAIN, "server"));
        command.addAll(List.of(
                "--data-dir", home.resolve("data").toString(), "--kafka-port", Integer.toString(port), "--host", HOST));
        // brook server also serves its HTTP API; a free port keeps it clear of whatever holds 8080 here.
        command.addAll(List.of("--http-port", "0"));
        // The same group setting as Kafka's server.properties below (Kafka's config/server.properties has it too).
        command.addAll(List.of("--set", "group.initial.rebalance.delay.ms=0"));
        command.addAll(settings.brookServerArguments());
        return started(ChildProcess.start("brook", command, home, home.resolve("server"), paths.pidFile()), port);
    }

    static String kafkaServerProperties(Path dataDir, int port, int controllerPort) {
        return String.join(
                "\n",
                "# A single KRaft node: broker and controller in one process, on loopback.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + HOST + ":" + controllerPort,
                "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dataDir,
                "# One node: internal topics with one replica, as Kafka's own config/server.properties has them.",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
    }

    private LaunchedBroker started(ChildProcess process, int port) throws RunFailedException, InterruptedException {
        try {
            return new LaunchedBroker(
                    process, HOST, port, Readiness.await(process, HOST, port, settings.startTimeout()));
        } catch (RunFailedException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    private Optional<Path> brookJar() throws IOException {
        if (!Files.isDirectory(paths.brookHome())) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(paths.brookHome(), "brook-cli-*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (!name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar") && !name.endsWith("-tests.jar")) {
                    return Optional.of(jar);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether {@code archive} exists and is no older than the jar and every library, as ./brook decides. */
    private static boolean isFresh(Path archive, Path jar, Path lib) throws IOException {
        if (!Files.isRegularFile(archive)) {
            return false;
        }
        FileTime archived = Files.getLastModifiedTime(archive);
        if (Files.getLastModifiedTime(jar).compareTo(archived) > 0) {
            return false;
        }
        try (DirectoryStream<Path> libraries = Files.newDirectoryStream(lib)) {
            for (Path library : libraries) {
                if (Files.getLastModifiedTime(library).compareTo(archived) > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Copies one of brook-bench's resources into {@code directory}. */
    static Path copyResource(String name, Path directory) throws IOException {
        Path target = directory.resolve(name);
        try (InputStream input = BrokerLaunchers.class.getResourceAsStream(name)) {
            if (input == null) {
                throw new IllegalStateException("resource " + name + " is missing from brook-bench's jar");
            }
            Files.copy(input, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void throwIfMissing(Path directory, String what) throws RunFailedException {
        if (!Files.isDirectory(directory)) {
            throw new RunFailedException(what + " is missing: no directory " + directory);
        }
    }

    /** A port free on loopback now; the broker binds it a moment later. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
