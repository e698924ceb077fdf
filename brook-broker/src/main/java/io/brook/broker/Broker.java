package io.brook.broker;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/**
 * A running Brook broker: the Kafka listener, the topics and their logs. {@link #start} returns once the listener
 * accepts connections; {@link #close} stops accepting, finishes in-flight work, flushes every log and writes the
 * clean-shutdown marker. {@code close()} is idempotent.
 */
public final class Broker implements AutoCloseable {
    private final BrokerConfig config;

    private Broker(BrokerConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    public static Broker start(BrokerConfig config) throws IOException {
        throw new IOException("not built yet: " + config.host());
    }

    public BrokerConfig config() {
        return config;
    }

    /** The port the Kafka listener is bound to (useful when the config asked for port 0). */
    public int kafkaPort() {
        return config.kafkaPort();
    }

    @Override
    public void close() {}
}
