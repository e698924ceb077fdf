package io.brook.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Apache Kafka 4.3 itself, one KRaft node (broker and controller) in a child JVM on 127.0.0.1, run from the Maven
 * artifacts on this test's classpath, for tests that must show Brook's clients work against the real thing.
 * {@link #close} kills it.
 */
final class ApacheKafka implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;

    private ApacheKafka(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ApacheKafka start(Path home) throws IOException, InterruptedException {
        int port = freePort();
        int controllerPort = freePort();
        Path properties = home.resolve("server.properties");
        Files.createDirectories(home);
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                        "log.dirs=" + home.resolve("data"),
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        ""),
                StandardCharsets.UTF_8);
        Process format = new ProcessBuilder(ExternalProcess.javaCommand(
                        List.of("-Xmx256m"),
                        "kafka.tools.StorageTool",
                        List.of(
                                "format",
                                "--cluster-id",
                                UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                                "--config",
                                properties.toString())))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("format.out").toFile())
                .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IOException("formatting Kafka's storage failed: " + Files.readString(home.resolve("format.out")));
        }
        Process server = new ProcessBuilder(
                        ExternalProcess.javaCommand(List.of("-Xmx512m"), "kafka.Kafka", List.of(properties.toString())))
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("server.out").toFile())
                .start();
        ApacheKafka kafka = new ApacheKafka(server, port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!kafka.accepts()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                kafka.close();
                throw new IOException(
                        "Apache Kafka did not start; its output: " + Files.readString(home.resolve("server.out")));
            }
            Thread.sleep(200);
        }
        return kafka;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
