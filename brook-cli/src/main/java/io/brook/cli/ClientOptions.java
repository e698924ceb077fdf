package io.brook.cli;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** The options every client command shares: where the broker is. */
final class ClientOptions {
    static final String BOOTSTRAP_ENV = "BROOK_BOOTSTRAP";

    /** A CLI call should fail within seconds when no broker answers, not after Kafka's default minute. */
    static final int API_TIMEOUT_MS = 15_000;

    @Option(
            names = {"-b", "--bootstrap-server"},
            paramLabel = "HOST:PORT",
            defaultValue = "${env:" + BOOTSTRAP_ENV + ":-127.0.0.1:9092}",
            description = "Broker to talk to (default: ${DEFAULT-VALUE}; set " + BOOTSTRAP_ENV + " to change it).")
    String bootstrapServer;

    /** Properties every client of the CLI starts from (only keys that producers, consumers and Admin all know). */
    Map<String, Object> clientProperties(String clientId) {
        Map<String, Object> properties = new TreeMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, API_TIMEOUT_MS);
        return properties;
    }

    /** {@link #clientProperties} plus the overall timeout of an Admin or consumer call. */
    Map<String, Object> adminOrConsumerProperties(String clientId) {
        Map<String, Object> properties = clientProperties(clientId);
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, API_TIMEOUT_MS);
        return properties;
    }
}
