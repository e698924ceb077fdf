package io.brook.cli;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
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
        Broker broker = Broker.start(config);
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
