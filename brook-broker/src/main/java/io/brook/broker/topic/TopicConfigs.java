package io.brook.broker.topic;

import io.brook.broker.BrokerConfig;
import io.brook.log.LogConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The per-topic configuration keys Brook accepts (Kafka's names), their defaults from the broker configuration, and
 * the resolution of a topic's overrides into a {@link LogConfig}. Unknown keys and bad values are refused with a
 * message naming the key.
 */
public final class TopicConfigs {
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String UNCLEAN_LEADER_ELECTION = "unclean.leader.election.enable";

    private final BrokerConfig broker;
    private final ConfigDef definition;
    private final Map<String, String> defaults;

    public TopicConfigs(BrokerConfig broker) {
        this.defaults = new LinkedHashMap<>();
        defaults.put(CLEANUP_POLICY, "delete");
        defaults.put(COMPRESSION_TYPE, "producer");
        defaults.put(DELETE_RETENTION_MS, "86400000");
        defaults.put(INDEX_INTERVAL_BYTES, Integer.toString(broker.indexIntervalBytes()));
        defaults.put(MAX_MESSAGE_BYTES, Integer.toString(broker.messageMaxBytes()));
        defaults.put(TIMESTAMP_TYPE, "CreateTime");
        defaults.put(MIN_CLEANABLE_DIRTY_RATIO, "0.5");
        defaults.put(MIN_COMPACTION_LAG_MS, "0");
        defaults.put(MIN_INSYNC_REPLICAS, "1");
        defaults.put(RETENTION_BYTES, Long.toString(broker.retentionBytes()));
        defaults.put(RETENTION_MS, Long.toString(broker.retentionMs()));
        defaults.put(SEGMENT_BYTES, Long.toString(broker.segmentBytes()));
        defaults.put(SEGMENT_INDEX_BYTES, Integer.toString(broker.segmentIndexBytes()));
        defaults.put(SEGMENT_MS, Long.toString(broker.segmentMs()));
        defaults.put(UNCLEAN_LEADER_ELECTION, "false");
        this.definition = new ConfigDef()
                .define(
                        CLEANUP_POLICY,
                        Type.LIST,
                        "delete",
                        ValidList.in("delete", "compact"),
                        Importance.MEDIUM,
                        "delete: drop old segments by retention.ms and retention.bytes; compact: keep the latest record"
                                + " per key (records need keys); both: compact,delete.")
                .define(
                        COMPRESSION_TYPE,
                        Type.STRING,
                        "producer",
                        ValidString.in("producer"),
                        Importance.MEDIUM,
                        "Brook stores batches as the producer compressed them; only 'producer' is supported.")
                .define(
                        DELETE_RETENTION_MS,
                        Type.LONG,
                        86400000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Tombstone retention.")
                .define(
                        INDEX_INTERVAL_BYTES,
                        Type.INT,
                        broker.indexIntervalBytes(),
                        Range.atLeast(0),
                        Importance.LOW,
                        "Bytes between index entries.")
                .define(
                        MAX_MESSAGE_BYTES,
                        Type.INT,
                        broker.messageMaxBytes(),
                        Range.atLeast(0),
                        Importance.MEDIUM,
                        "Largest record batch.")
                .define(
                        TIMESTAMP_TYPE,
                        Type.STRING,
                        "CreateTime",
                        ValidString.in("CreateTime", "LogAppendTime"),
                        Importance.MEDIUM,
                        "Whose time records carry: the producer's or the broker's.")
                .define(
                        MIN_CLEANABLE_DIRTY_RATIO,
                        Type.DOUBLE,
                        0.5,
                        Range.between(0, 1),
                        Importance.LOW,
                        "Compaction starts when this share of the log's closed segments has not been cleaned yet.")
                .define(
                        MIN_COMPACTION_LAG_MS,
                        Type.LONG,
                        0L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "How old a record must be before compaction may remove the records it replaces.")
                .define(
                        MIN_INSYNC_REPLICAS,
                        Type.INT,
                        1,
                        Range.between(1, 1),
                        Importance.LOW,
                        "A single node has one replica, so only 1 is meaningful.")
                .define(
                        RETENTION_BYTES,
                        Type.LONG,
                        broker.retentionBytes(),
                        Range.atLeast(-1),
                        Importance.MEDIUM,
                        "Size limit per partition; -1 none.")
                .define(
                        RETENTION_MS,
                        Type.LONG,
                        broker.retentionMs(),
                        Range.atLeast(-1),
                        Importance.MEDIUM,
                        "Age limit; -1 none.")
                .define(
                        SEGMENT_BYTES,
                        Type.INT,
                        (int) Math.min(Integer.MAX_VALUE, broker.segmentBytes()),
                        Range.atLeast(1024),
                        Importance.MEDIUM,
                        "Segment size.")
                .define(
                        SEGMENT_INDEX_BYTES,
                        Type.INT,
                        broker.segmentIndexBytes(),
                        Range.atLeast(64),
                        Importance.LOW,
                        "Index size.")
                .define(SEGMENT_MS, Type.LONG, broker.segmentMs(), Range.atLeast(1), Importance.MEDIUM, "Segment age.")
                .define(
                        UNCLEAN_LEADER_ELECTION,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "Meaningless on a single node; accepted.");
        this.broker = broker;
    }

    /** Every key, sorted. */
    public Set<String> names() {
        return new TreeSet<>(definition.names());
    }

    public String defaultValue(String key) {
        return defaults.get(key);
    }

    public String documentation(String key) {
        ConfigDef.ConfigKey configKey = definition.configKeys().get(key);
        return configKey == null ? null : configKey.documentation;
    }

    public ConfigDef.Type type(String key) {
        ConfigDef.ConfigKey configKey = definition.configKeys().get(key);
        return configKey == null ? null : configKey.type;
    }

    /**
     * Checks overrides.
     *
     * @throws ConfigException naming the first unknown key or bad value
     */
    public void validate(Map<String, String> overrides) {
        for (String key : new TreeSet<>(overrides.keySet())) {
            if (!definition.names().contains(key)) {
                throw new ConfigException("Unknown topic config name: " + key);
            }
            if (overrides.get(key) == null) {
                throw new ConfigException("Null value not supported for topic config " + key);
            }
        }
        definition.parse(overrides);
    }

    /** The log settings of a topic with these overrides. */
    public LogConfig logConfig(Map<String, String> overrides) {
        Map<String, Object> values = definition.parse(overrides);
        return new LogConfig(
                (Integer) values.get(SEGMENT_BYTES),
                (Long) values.get(SEGMENT_MS),
                (Long) values.get(RETENTION_MS),
                (Long) values.get(RETENTION_BYTES),
                (Integer) values.get(MAX_MESSAGE_BYTES),
                (Integer) values.get(INDEX_INTERVAL_BYTES),
                (Integer) values.get(SEGMENT_INDEX_BYTES),
                "LogAppendTime".equals(values.get(TIMESTAMP_TYPE)),
                broker.flushPolicy(),
                cleanupPolicy(values).contains("compact"),
                cleanupPolicy(values).contains("delete"),
                (Long) values.get(DELETE_RETENTION_MS),
                (Double) values.get(MIN_CLEANABLE_DIRTY_RATIO),
                (Long) values.get(MIN_COMPACTION_LAG_MS));
    }

    @SuppressWarnings("unchecked")
    private static List<String> cleanupPolicy(Map<String, Object> values) {
        return (List<String>) values.get(CLEANUP_POLICY);
    }
}
