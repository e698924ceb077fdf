package io.brook.log;

import java.util.Locale;

/**
 * When the log fsyncs. {@code PER_ACK} (the default) makes an acks=all produce wait for its fsync, shared by all
 * writers that arrive meanwhile (group commit); {@code INTERVAL} fsyncs on a timer and acknowledges at once;
 * {@code NONE} leaves flushing to the operating system, as Apache Kafka does by default.
 */
public enum FlushPolicy {
    PER_ACK("per-ack"),
    INTERVAL("interval"),
    NONE("none");

    private final String configName;

    FlushPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static FlushPolicy fromName(String name) {
        for (FlushPolicy policy : values()) {
            if (policy.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("flush policy must be one of per-ack, interval, none; was '" + name + "'");
    }
}
