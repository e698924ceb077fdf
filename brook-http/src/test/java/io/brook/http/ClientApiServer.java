package io.brook.http;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.broker.Broker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * What {@code brook server} runs, for the client API's tests: a real broker on 127.0.0.1 on a free port counting its
 * requests in a Prometheus registry, the client API over it, and the HTTP server on another free port; plus an Admin
 * and the JDK's HTTP client. {@link #close} stops them in reverse order.
 */
final class ClientApiServer implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Broker broker;
    private final SqlService sql;
    private final ClientApi api;
    private final BrookHttpServer http;
    private final Admin admin;
    final PrometheusMeterRegistry registry;

    private ClientApiServer(
            Broker broker, SqlService sql, ClientApi api, BrookHttpServer http, PrometheusMeterRegistry registry) {
        this.broker = broker;
        this.sql = sql;
        this.api = api;
        this.http = http;
        this.registry = registry;
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        this.admin = Admin.create(properties);
    }

    static ClientApiServer start(Path directory, Duration consumerIdleTimeout) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Broker broker = TestServers.startBroker(directory, registry);
        String bootstrap = "127.0.0.1:" + broker.kafkaPort();
        SqlService sql = SqlService.forBroker(() -> bootstrap, directory.resolve("checkpoints"));
        ClientApi api = ClientApi.create(
                () -> bootstrap, registry, new ClientApi.Settings(Duration.ofSeconds(10), consumerIdleTimeout));
        BrookHttpServer http = BrookHttpServer.start("127.0.0.1", 0, sql, api.routes());
        return new ClientApiServer(broker, sql, api, http, registry);
    }

    String bootstrap() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.port());
    }

    Admin admin() {
        return admin;
    }

    ClientApi api() {
        return api;
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(TIMEOUT.toSeconds(), SECONDS);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri().resolve(path)).timeout(TIMEOUT).header("Content-Type", "application/json");
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    /** The error code of an error answer. */
    static String code(HttpResponse<String> response) throws Exception {
        return json(response).at("/error/code").asText();
    }

    static String message(HttpResponse<String> response) throws Exception {
        return json(response).at("/error/message").asText();
    }

    @Override
    public void close() throws Exception {
        TestServers.closeAll(admin, http, api, sql, broker);
    }
}
