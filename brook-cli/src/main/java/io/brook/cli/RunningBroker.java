package io.brook.cli;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;

/**
 * A broker started by the CLI ({@code server}, {@code demo}), seen through the little the CLI needs: its bound port and
 * {@link #close()}. Tests put a fake in its place, so the commands' flow is tested without a broker.
 */
interface RunningBroker extends AutoCloseable {
    /** The port the Kafka listener is bound to. */
    int kafkaPort();

    /** Stops the broker: flushes every log and writes the clean-shutdown marker. Idempotent. */
    @Override
    void close() throws Exception;

    /** Starts a real broker; returns once it accepts connections. */
    static RunningBroker start(BrokerConfig config) throws IOException {
        return started(Broker.start(config));
    }

    /** Starts a real broker that counts its requests in {@code metrics} (served by the HTTP API's /metrics). */
    static RunningBroker start(BrokerConfig config, MeterRegistry metrics) throws IOException {
        return started(Broker.start(config, metrics));
    }

    private static RunningBroker started(Broker broker) {
        AutoCloseable closeable = broker;
        return new RunningBroker() {
            @Override
            public int kafkaPort() {
                return broker.kafkaPort();
            }

            @Override
            public void close() throws Exception {
                closeable.close();
            }
        };
    }

    /** How a command starts its broker; {@link RunningBroker#start} outside tests. */
    @FunctionalInterface
    interface Launcher {
        RunningBroker start(BrokerConfig config) throws IOException;
    }
}
