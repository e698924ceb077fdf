package io.brook.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Brook broker in a child JVM ({@link BrokerMain} with this test's classpath), which a test can kill with SIGKILL and
 * start again on the same data directory and port. Each incarnation writes its output to its own log file in
 * {@code logDir}. {@link #close()} kills a running child; it is idempotent.
 */
final class ChildBroker implements AutoCloseable {
    private static final Pattern READY = Pattern.compile(Pattern.quote(BrokerMain.READY) + "127\\.0\\.0\\.1:(\\d+)");

    private final Path dataDir;
    private final Path logDir;
    private final java.util.Map<String, String> settings;
    private Process process;
    private int port;
    private int incarnation;

    private ChildBroker(Path dataDir, Path logDir, java.util.Map<String, String> settings) {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.settings = new java.util.TreeMap<>(settings);
    }

    /** Starts a broker on a free port and waits until it accepts connections. */
    static ChildBroker start(Path dataDir, Path logDir) throws IOException {
        return start(dataDir, logDir, java.util.Map.of());
    }

    /** As {@link #start(Path, Path)}, with extra broker settings (every incarnation gets them). */
    static ChildBroker start(Path dataDir, Path logDir, java.util.Map<String, String> settings) throws IOException {
        ChildBroker broker = new ChildBroker(dataDir, logDir, settings);
        broker.launch(0);
        return broker;
    }

    int port() {
        return port;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Kills the broker with SIGKILL (no shutdown hook runs) and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("broker process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** Starts a new broker on the same data directory and port; the previous one must be dead. */
    void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("broker process " + process.pid() + " is still running");
        }
        launch(port);
    }

    private void launch(int requestedPort) throws IOException {
        incarnation++;
        Path log = logDir.resolve("broker-" + incarnation + ".log");
        List<String> arguments = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--port"));
        arguments.add(Integer.toString(requestedPort));
        settings.forEach((key, value) -> arguments.add(key + "=" + value));
        process = new ProcessBuilder(
                        ExternalProcess.javaCommand(List.of("-Xmx512m"), BrokerMain.class.getName(), arguments))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Process started = process;
        await("broker incarnation " + incarnation + " ready (log " + log + ")")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("broker exited with " + started.exitValue() + ":\n"
                                + Files.readString(log, StandardCharsets.UTF_8));
                    }
                    Matcher matcher = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
                    if (matcher.find()) {
                        port = Integer.parseInt(matcher.group(1));
                        return true;
                    }
                    return false;
                });
    }

    int incarnations() {
        return incarnation;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
