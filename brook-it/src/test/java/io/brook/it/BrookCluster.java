package io.brook.it;

import static java.util.Objects.requireNonNull;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A handle on one in-process Brook broker for a test: its bootstrap servers, the {@link Broker}, its data directory,
 * and {@link #restart()}, which closes the broker cleanly and starts it again on the same data directory and port.
 * Created and closed by {@link BrookBrokerExtension}; a test may restart it but never closes it. Not thread-safe:
 * restart from the test thread only.
 */
public final class BrookCluster implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> overrides;
    private Broker broker;
    private int port;

    private BrookCluster(Path dataDir, Map<String, String> overrides, Broker broker) {
        this.dataDir = dataDir;
        this.overrides = overrides;
        this.broker = broker;
        this.port = broker.kafkaPort();
    }

    /** Starts a broker on 127.0.0.1, on a free port, storing its logs in {@code dataDir}. */
    static BrookCluster start(Path dataDir, Map<String, String> overrides) throws IOException {
        requireNonNull(dataDir, "dataDir is null");
        Map<String, String> copy = new TreeMap<>(overrides);
        return new BrookCluster(dataDir, copy, Broker.start(config(dataDir, copy, 0)));
    }

    private static BrokerConfig config(Path dataDir, Map<String, String> overrides, int port) {
        Map<String, String> properties = new TreeMap<>(overrides);
        properties.put(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, Integer.toString(port));
        return BrokerConfig.parse(properties);
    }

    /** {@code 127.0.0.1:PORT}, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Broker broker() {
        return broker;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Closes the broker cleanly and starts a new one on the same data directory and port. */
    public void restart() throws IOException {
        broker.close();
        broker = Broker.start(config(dataDir, overrides, port));
        port = broker.kafkaPort();
    }

    @Override
    public void close() throws IOException {
        broker.close();
    }
}
