package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Push delivery through a crash: {@code brook server} (broker, HTTP API and push delivery in one child JVM) is
 * SIGKILLed while a subscription delivers to a webhook in this test, then started again on the same data directory and
 * ports. The subscription must come back from its file and deliver every record from the committed offsets on: nothing
 * lost (redeliveries of the batches in flight at the kill are allowed), first deliveries in offset order per partition.
 */
class PushCrashIT {
    private static final Pattern HTTP = Pattern.compile("HTTP API on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern READY = Pattern.compile("Brook ready on 127\\.0\\.0\\.1:(\\d+)");
    private static final int RECORDS_PER_PARTITION = 1_000;
    private static final int PARTITIONS = 2;

    private final Map<Integer, Set<Long>> acknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, List<Long>> firstSeen = new ConcurrentHashMap<>();
    private final AtomicInteger batches = new AtomicInteger();

    @Test
    void deliveryResumesFromTheCommittedOffsetsAfterSigkill() throws Exception {
        // Given
        Path work = TestPaths.newDirectory("push-crash-");
        Path logs = Files.createDirectories(work.resolve("logs"));
        ExecutorService receiverThreads = Executors.newFixedThreadPool(4);
        HttpServer receiver = receiver(receiverThreads);
        Server server = Server.launch(work.resolve("data"), logs, 0, 0, 1);
        try {
            try (Admin admin = KafkaClients.admin(server.bootstrap())) {
                admin.createTopics(List.of(new NewTopic("events", PARTITIONS, (short) 1)))
                        .all()
                        .get(30, SECONDS);
            }
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            HttpResponse<String> created = post(
                    server.http(),
                    "/push/subscriptions",
                    "{\"name\": \"events-hook\", \"topic\": \"events\", \"url\": \"" + hook
                            + "\", \"batchMaxRecords\": 20, \"batchMaxWaitMs\": 10}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(server.bootstrap(), Map.of())) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                    for (int partition = 0; partition < PARTITIONS; partition++) {
                        sent.add(producer.send(new ProducerRecord<>("events", partition, "k", "event " + i)));
                    }
                }
                for (Future<RecordMetadata> future : sent) {
                    future.get(30, SECONDS);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> batches.get() >= 5);

            // When
            server.kill();
            int acknowledgedAtKill =
                    acknowledged.values().stream().mapToInt(Set::size).sum();
            server = Server.launch(work.resolve("data"), logs, server.kafkaPort(), server.httpPort(), 2);

            // Then
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    assertThat(acknowledged.getOrDefault(partition, Set.of())).hasSize(RECORDS_PER_PARTITION);
                }
            });
            assertThat(acknowledgedAtKill).isLessThan(PARTITIONS * RECORDS_PER_PARTITION);
            for (List<Long> offsets : firstSeen.values()) {
                assertThat(offsets).isSorted().doesNotHaveDuplicates();
            }
            Server restarted = server;
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(get(restarted.http(), "/push/subscriptions/events-hook"))
                            .contains("\"lag\":0,\"partitions\""));
        } finally {
            server.kill();
            receiver.stop(0);
            receiverThreads.shutdownNow();
            TestPaths.deleteRecursively(work);
        }
    }

    private HttpServer receiver(ExecutorService threads) throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.setExecutor(threads);
        Pattern offset = Pattern.compile("\"offset\":(\\d+)");
        Pattern partitionField = Pattern.compile("\"partition\":(\\d+)");
        receiver.createContext("/hook", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher partitionMatcher = partitionField.matcher(body);
            int partition = partitionMatcher.find() ? Integer.parseInt(partitionMatcher.group(1)) : -1;
            List<Long> offsets = new ArrayList<>();
            Matcher matcher = offset.matcher(body);
            while (matcher.find()) {
                offsets.add(Long.parseLong(matcher.group(1)));
            }
            synchronized (this) {
                List<Long> seen = firstSeen.computeIfAbsent(partition, p -> new ArrayList<>());
                Set<Long> known = Set.copyOf(seen);
                offsets.stream().filter(o -> !known.contains(o)).forEach(seen::add);
            }
            try {
                Thread.sleep(20); // slow enough that the kill lands mid-delivery
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acknowledged
                    .computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet())
                    .addAll(offsets);
            batches.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        return receiver;
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** {@code brook server} in a child JVM; {@link #kill} is SIGKILL. */
    private record Server(Process process, int kafkaPort, int httpPort) {
        static Server launch(Path dataDir, Path logs, int kafkaPort, int httpPort, int incarnation) throws IOException {
            Path log = logs.resolve("server-" + incarnation + ".log");
            List<String> arguments = List.of(
                    "server",
                    "--data-dir",
                    dataDir.toString(),
                    "--host",
                    "127.0.0.1",
                    "--kafka-port",
                    Integer.toString(kafkaPort),
                    "--http-port",
                    Integer.toString(httpPort));
            Process process = new ProcessBuilder(
                            ExternalProcess.javaCommand(List.of("-Xmx512m"), "io.brook.cli.BrookCommand", arguments))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            int[] ports = new int[2];
            await("brook server " + incarnation + " ready (log " + log + ")")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        String output = Files.readString(log, StandardCharsets.UTF_8);
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "brook server exited with " + process.exitValue() + ":\n" + output);
                        }
                        Matcher ready = READY.matcher(output);
                        Matcher http = HTTP.matcher(output);
                        if (ready.find() && http.find()) {
                            ports[0] = Integer.parseInt(ready.group(1));
                            ports[1] = Integer.parseInt(http.group(1));
                            return true;
                        }
                        return false;
                    });
            return new Server(process, ports[0], ports[1]);
        }

        String bootstrap() {
            return "127.0.0.1:" + kafkaPort;
        }

        int http() {
            return httpPort;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("brook server " + process.pid() + " survived SIGKILL for 30 s");
            }
        }
    }
}
