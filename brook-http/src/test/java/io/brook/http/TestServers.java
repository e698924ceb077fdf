package io.brook.http;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What the HTTP tests' servers ({@link ClientApiServer}, {@link SqlApiServer}) share: their broker and their end. */
final class TestServers {
    private TestServers() {}

    /** A broker on a free port of 127.0.0.1 with its data under {@code directory/data}, counting in {@code metrics}. */
    static Broker startBroker(Path directory, MeterRegistry metrics) throws Exception {
        Map<String, String> properties = new TreeMap<>();
        properties.put(BrokerConfig.DATA_DIR, directory.resolve("data").toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, "0");
        return Broker.start(BrokerConfig.parse(properties), metrics);
    }

    /** Closes every resource in order, even when one fails; throws the first failure with the others suppressed. */
    static void closeAll(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
