package io.brook.broker;

import static java.util.Objects.requireNonNull;

import io.brook.broker.topic.TopicManager;
import io.brook.log.LogManager;
import io.brook.log.Time;
import java.util.function.IntSupplier;

/**
 * What request handlers share: the configuration, this node's identity and the topics and logs. The advertised port
 * is a supplier because it is known only once the listener is bound.
 */
public record BrokerContext(
        BrokerConfig config, String clusterId, IntSupplier port, TopicManager topics, LogManager logs, Time time) {
    public BrokerContext {
        requireNonNull(config, "config is null");
        requireNonNull(clusterId, "clusterId is null");
        requireNonNull(port, "port is null");
        requireNonNull(topics, "topics is null");
        requireNonNull(logs, "logs is null");
        requireNonNull(time, "time is null");
    }

    public int nodeId() {
        return config.nodeId();
    }

    public String host() {
        return config.host();
    }
}
