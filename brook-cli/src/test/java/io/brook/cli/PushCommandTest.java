package io.brook.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brook push} against the HTTP API that {@code brook server} runs (a real broker, the real wiring). */
class PushCommandTest {
    @TempDir
    Path dir;

    private Broker broker;
    private RunningHttpApi http;
    private HttpServer receiver;
    private final AtomicInteger posts = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        Map<String, String> properties = new TreeMap<>();
        properties.put(BrokerConfig.DATA_DIR, dir.resolve("data").toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, "0");
        properties.put(BrokerConfig.AUTO_CREATE_TOPICS, "false");
        broker = Broker.start(BrokerConfig.parse(properties));
        http = RunningHttpApi.start("127.0.0.1", 0, this::bootstrap, dir.resolve("data"));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            posts.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(adminProperties)) {
            admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
    }

    @AfterEach
    void stop() throws Exception {
        receiver.stop(0);
        http.close();
        broker.close();
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    private String server() {
        return "http://127.0.0.1:" + http.port();
    }

    private String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void createsListsDescribesPausesResumesAndDeletes() throws Exception {
        // When
        CliRun created = CliRun.brook(
                "push",
                "create",
                "orders-hook",
                "--topic",
                "orders",
                "--url",
                hook(),
                "--batch-max-wait",
                "5",
                "--max-attempts",
                "3",
                "--secret",
                "s",
                "--server",
                server());

        // Then
        assertThat(created.err).isEmpty();
        assertThat(created.exitCode).isZero();
        assertThat(created.out)
                .isEqualTo(
                        "Created push subscription orders-hook: orders -> " + hook() + " (group push.orders-hook).\n");
        send(3);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(CliRun.brook("push", "describe", "orders-hook", "--server", server()).out)
                                .contains("delivered 3,"));
        assertThat(CliRun.brook("push", "describe", "orders-hook", "--server", server())
                        .out
                        .lines())
                .containsExactly(
                        "Push subscription orders-hook: ACTIVE",
                        "  topic orders, url " + hook() + ", group push.orders-hook",
                        "  batches of up to 100 records or 5 ms, 3 attempts, no dead-letter topic (pauses on a batch it"
                                + " cannot deliver), signed",
                        "  delivered 3, retries 0, dead-lettered 0, in flight 0, lag 0",
                        "  last error: -",
                        "  PARTITION  COMMITTED  END  LAG",
                        "  0          3          3    0");
        assertThat(CliRun.brook("push", "list", "--server", server()).out.lines())
                .hasSize(2)
                .last()
                .asString()
                .startsWith("orders-hook")
                .contains("ACTIVE");
        assertThat(CliRun.brook("push", "pause", "orders-hook", "--server", server()).out)
                .isEqualTo("Paused push subscription orders-hook.\n");
        assertThat(CliRun.brook("push", "list", "--server", server()).out).contains("PAUSED");
        assertThat(CliRun.brook("push", "resume", "orders-hook", "--server", server()).out)
                .isEqualTo("Resumed push subscription orders-hook.\n");
        assertThat(CliRun.brook("group", "list", "-b", bootstrap()).out).contains("push.orders-hook");
        assertThat(CliRun.brook("push", "delete", "orders-hook", "--server", server()).out)
                .isEqualTo("Deleted push subscription orders-hook.\n");
        assertThat(CliRun.brook("push", "list", "--server", server()).out.lines())
                .hasSize(1);
    }

    @Test
    void printsTheServersErrorAndExitsOne() {
        CliRun unknownTopic =
                CliRun.brook("push", "create", "h", "--topic", "nope", "--url", hook(), "--server", server());
        assertThat(unknownTopic.exitCode).isEqualTo(1);
        assertThat(unknownTopic.err)
                .isEqualTo("Error: topic 'nope' does not exist; create it first (brook topic create nope)\n");

        CliRun negative = CliRun.brook(
                "push",
                "create",
                "h",
                "--topic",
                "orders",
                "--url",
                hook(),
                "--batch-max-records",
                "-1",
                "--server",
                server());
        assertThat(negative.exitCode).isEqualTo(1);
        assertThat(negative.err).isEqualTo("Error: batch-max-records must be 1-10000; got -1\n");

        CliRun unknown = CliRun.brook("push", "describe", "missing", "--server", server());
        assertThat(unknown.exitCode).isEqualTo(1);
        assertThat(unknown.err)
                .isEqualTo("Error: no push subscription 'missing'; list them with brook push list (GET"
                        + " /push/subscriptions)\n");

        CliRun noUrl = CliRun.brook("push", "create", "h", "--topic", "orders", "--server", server());
        assertThat(noUrl.exitCode).isEqualTo(2);
        assertThat(noUrl.err).startsWith("Missing required option: '--url=URL'");

        CliRun nothing = CliRun.brook("push", "list", "--server", "http://127.0.0.1:1");
        assertThat(nothing.exitCode).isEqualTo(1);
        assertThat(nothing.err)
                .startsWith("Error: cannot reach http://127.0.0.1:1 (")
                .endsWith("); is `brook server` running there?\n");
    }

    private void send(int count) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("orders", 0, "k", "v" + i)).get(30, SECONDS);
            }
        }
    }
}
