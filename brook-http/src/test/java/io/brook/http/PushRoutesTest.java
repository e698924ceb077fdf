package io.brook.http;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import io.brook.push.PushService;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

class PushRoutesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Broker broker;
    private SqlService sql;
    private PushService push;
    private BrookHttpServer http;
    private HttpServer receiver;
    private final AtomicInteger received = new AtomicInteger();
    private ClientApi clientApi;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Map<String, String> properties = new TreeMap<>();
        properties.put(BrokerConfig.DATA_DIR, dir.resolve("data").toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, "0");
        properties.put(BrokerConfig.AUTO_CREATE_TOPICS, "false");
        broker = Broker.start(BrokerConfig.parse(properties));
        String bootstrap = "127.0.0.1:" + broker.kafkaPort();
        sql = SqlService.forBroker(() -> bootstrap, dir.resolve("checkpoints"));
        push = PushService.start(() -> bootstrap, dir.resolve("data"));
        clientApi = ClientApi.create(
                () -> bootstrap,
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT),
                ClientApi.Settings.defaults());
        java.util.List<HttpRoutes> routes = new java.util.ArrayList<>(clientApi.routes());
        routes.add(new PushRoutes(push, clientApi.metrics()));
        http = BrookHttpServer.start("127.0.0.1", 0, sql, routes);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.addAndGet(
                        MAPPER.readTree(in.readAllBytes()).path("records").size());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(adminProperties)) {
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
    }

    @AfterEach
    void stop() throws Exception {
        receiver.stop(0);
        http.close();
        clientApi.close();
        push.close();
        sql.close();
        broker.close();
    }

    @Test
    void createsListsDescribesPausesResumesAndDeletesASubscription() throws Exception {
        // When
        Answer created = call("POST", "/push/subscriptions", createBody("orders-hook", "orders", hookUrl(), ""));

        // Then
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("name").asText()).isEqualTo("orders-hook");
        assertThat(created.json().path("group").asText()).isEqualTo("push.orders-hook");
        assertThat(created.json().path("state").asText()).isEqualTo("ACTIVE");
        assertThat(created.json().path("signed").asBoolean()).isTrue();
        assertThat(created.json().has("secret")).isFalse();
        assertThat(call("GET", "/push/subscriptions", null).json().path("subscriptions"))
                .extracting(node -> node.path("name").asText())
                .containsExactly("orders-hook");

        // When
        produce("orders", 5);

        // Then
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode described =
                    call("GET", "/push/subscriptions/orders-hook", null).json();
            assertThat(described.path("delivered").asLong()).isEqualTo(5);
            assertThat(described.path("lag").asLong()).isZero();
            assertThat(described.path("partitions")).hasSize(2);
        });
        assertThat(received.get()).isEqualTo(5);
        // /metrics has the subscription's figures, labelled by its name.
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .contains("brook_push_delivered_records{subscription=\"orders-hook\"} 5.0")
                .contains("brook_push_lag_records{subscription=\"orders-hook\"} 0.0")
                .contains("brook_push_dead_lettered_records{subscription=\"orders-hook\"} 0.0");
        assertThat(call("POST", "/push/subscriptions/orders-hook/pause", "")
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("PAUSED");
        produce("orders", 2);
        assertThat(call("GET", "/push/subscriptions/orders-hook", null)
                        .json()
                        .path("lag")
                        .asLong())
                .isEqualTo(2);
        assertThat(call("POST", "/push/subscriptions/orders-hook/resume", "")
                        .json()
                        .path("state")
                        .asText())
                .isEqualTo("ACTIVE");
        await().atMost(WAIT).untilAsserted(() -> assertThat(received.get()).isEqualTo(7));
        assertThat(call("DELETE", "/push/subscriptions/orders-hook", null).status())
                .isEqualTo(204);
        assertThat(call("GET", "/push/subscriptions", null).json().path("subscriptions"))
                .isEmpty();
    }

    @Test
    void answersBadInputsWithJsonErrorsAndTheRightStatus() throws Exception {
        call("POST", "/push/subscriptions", createBody("taken", "orders", hookUrl(), ""));

        assertError(
                call("POST", "/push/subscriptions", "{"),
                400,
                "INVALID_ARGUMENT",
                "the body is not JSON: Unexpected end-of-input: expected close marker for Object (start marker at"
                        + " [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column:"
                        + " 1]); send {\"name\": \"orders-hook\", \"topic\": \"orders\", \"url\":"
                        + " \"http://127.0.0.1:9000/hook\"}");
        assertError(
                call("POST", "/push/subscriptions", "{\"name\": \"a\", \"topic\": \"orders\"}"),
                400,
                "INVALID_ARGUMENT",
                "the body has no string field 'url'; send {\"name\": \"orders-hook\", \"topic\": \"orders\", \"url\":"
                        + " \"http://127.0.0.1:9000/hook\"}");
        assertError(
                call("POST", "/push/subscriptions", createBody("a", "orders", hookUrl(), ", \"batchMaxRecords\": -3")),
                400,
                "INVALID_ARGUMENT",
                "batch-max-records must be 1-10000; got -3");
        assertError(
                call("POST", "/push/subscriptions", createBody("a", "orders", "localhost:9000", "")),
                400,
                "INVALID_ARGUMENT",
                "url 'localhost:9000' must be http:// or https://; give e.g. http://127.0.0.1:9000/hook");
        assertError(
                call("POST", "/push/subscriptions", createBody("a", "nope", hookUrl(), "")),
                400,
                "UNKNOWN_TOPIC",
                "topic 'nope' does not exist; create it first (brook topic create nope)");
        assertError(
                call("POST", "/push/subscriptions", createBody("a", "orders", hookUrl(), ", \"colour\": 1")),
                400,
                "INVALID_ARGUMENT",
                "unknown field 'colour'; the fields are batchMaxRecords, batchMaxWaitMs, deadLetterTopic, maxAttempts,"
                        + " name, secret, topic, url");
        assertError(
                call("POST", "/push/subscriptions", createBody("taken", "orders", hookUrl(), "")),
                409,
                "SUBSCRIPTION_EXISTS",
                "push subscription 'taken' exists already; delete it first or choose another name");
        assertError(
                call("POST", "/push/subscriptions/missing/pause", ""),
                404,
                "SUBSCRIPTION_NOT_FOUND",
                "no push subscription 'missing'; list them with brook push list (GET /push/subscriptions)");
        assertError(
                call("DELETE", "/push/subscriptions/missing", null),
                404,
                "SUBSCRIPTION_NOT_FOUND",
                "no push subscription 'missing'; list them with brook push list (GET /push/subscriptions)");
    }

    private static void assertError(Answer answer, int status, String code, String message) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.json().path("error").path("code").asText()).isEqualTo(code);
        assertThat(answer.json().path("error").path("message").asText()).isEqualTo(message);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static String createBody(String name, String topic, String url, String more) {
        return "{\"name\": \"" + name + "\", \"topic\": \"" + topic + "\", \"url\": \"" + url
                + "\", \"secret\": \"s\", \"batchMaxWaitMs\": 10" + more + "}";
    }

    private void produce(String topic, int count) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + broker.kafkaPort());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, SECONDS);
            }
        }
    }

    private record Answer(int status, JsonNode json) {}

    private Answer call(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(
                response.statusCode(),
                response.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body()));
    }
}
