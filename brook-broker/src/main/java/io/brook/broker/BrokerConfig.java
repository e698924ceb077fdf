package io.brook.broker;

import static java.util.Objects.requireNonNull;

import io.brook.log.FlushPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The broker's configuration: every key declared once (name, type, default, validator, doc) in {@link #DEFINITION},
 * parsed into this record. Keys that Kafka also has keep Kafka's name; Brook's own keys start with {@code brook.}.
 * Unknown keys and bad values are rejected with a {@link ConfigException} that names the key.
 */
public record BrokerConfig(
        String host,
        int kafkaPort,
        Path dataDir,
        int nodeId,
        int defaultPartitions,
        boolean autoCreateTopics,
        int ioThreads,
        int socketRequestMaxBytes,
        int messageMaxBytes,
        long segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        long retentionCheckIntervalMs,
        int indexIntervalBytes,
        int segmentIndexBytes,
        FlushPolicy flushPolicy,
        long flushIntervalMs,
        long backgroundFlushBytes,
        long cleanerBackoffMs,
        GroupSettings groups,
        Map<String, String> originals) {

    public static final String HOST = "brook.host";
    public static final String KAFKA_PORT = "brook.kafka.port";
    public static final String DATA_DIR = "log.dir";
    public static final String NODE_ID = "node.id";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String AUTO_CREATE_TOPICS = "auto.create.topics.enable";
    public static final String IO_THREADS = "num.io.threads";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String SEGMENT_BYTES = "log.segment.bytes";
    public static final String SEGMENT_MS = "log.roll.ms";
    public static final String RETENTION_MS = "log.retention.ms";
    public static final String RETENTION_BYTES = "log.retention.bytes";
    public static final String RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "log.index.size.max.bytes";
    public static final String FLUSH_POLICY = "brook.flush.policy";
    public static final String FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String BACKGROUND_FLUSH_BYTES = "brook.flush.background.bytes";
    public static final String CLEANER_BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(
                    HOST,
                    Type.STRING,
                    "127.0.0.1",
                    Importance.HIGH,
                    "Address the Kafka listener binds to and advertises.")
            .define(
                    KAFKA_PORT,
                    Type.INT,
                    9092,
                    Range.between(0, 65535),
                    Importance.HIGH,
                    "Kafka protocol port; 0 picks a free port.")
            .define(DATA_DIR, Type.STRING, "./brook-data", Importance.HIGH, "Directory holding every partition's log.")
            .define(NODE_ID, Type.INT, 1, Range.atLeast(0), Importance.LOW, "This broker's node id in Metadata.")
            .define(
                    NUM_PARTITIONS,
                    Type.INT,
                    1,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Partitions of a topic created without a partition count.")
            .define(
                    AUTO_CREATE_TOPICS,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Create a topic when a client asks Metadata for one that does not exist.")
            .define(
                    IO_THREADS,
                    Type.INT,
                    Math.max(2, Runtime.getRuntime().availableProcessors()),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Threads that run request handlers off the network threads.")
            .define(
                    SOCKET_REQUEST_MAX_BYTES,
                    Type.INT,
                    100 * 1024 * 1024,
                    Range.atLeast(1024),
                    Importance.MEDIUM,
                    "Largest request frame; a larger one closes its connection.")
            .define(
                    MESSAGE_MAX_BYTES,
                    Type.INT,
                    1024 * 1024 + 12,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "Largest record batch a topic accepts unless the topic sets max.message.bytes.")
            .define(
                    SEGMENT_BYTES,
                    Type.LONG,
                    1024L * 1024 * 1024,
                    Range.atLeast(1024),
                    Importance.MEDIUM,
                    "Segment size at which a partition rolls to a new segment.")
            .define(
                    SEGMENT_MS,
                    Type.LONG,
                    7L * 24 * 60 * 60 * 1000,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Age at which a partition rolls to a new segment.")
            .define(
                    RETENTION_MS,
                    Type.LONG,
                    7L * 24 * 60 * 60 * 1000,
                    Range.atLeast(-1),
                    Importance.MEDIUM,
                    "How long closed segments are kept; -1 keeps them forever.")
            .define(
                    RETENTION_BYTES,
                    Type.LONG,
                    -1L,
                    Range.atLeast(-1),
                    Importance.MEDIUM,
                    "Size a partition may reach before old segments are deleted; -1 means no limit.")
            .define(
                    RETENTION_CHECK_INTERVAL_MS,
                    Type.LONG,
                    5L * 60 * 1000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How often the retention thread looks for segments to delete.")
            .define(
                    INDEX_INTERVAL_BYTES,
                    Type.INT,
                    4096,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Bytes of log between two offset-index entries.")
            .define(
                    SEGMENT_INDEX_BYTES,
                    Type.INT,
                    10 * 1024 * 1024,
                    Range.atLeast(64),
                    Importance.LOW,
                    "Size of each segment's offset and time index; a full index rolls the segment.")
            .define(
                    FLUSH_POLICY,
                    Type.STRING,
                    "per-ack",
                    ValidString.in("per-ack", "interval", "none"),
                    Importance.HIGH,
                    "per-ack: acks=all is answered after fsync (group commit); interval: fsync every "
                            + FLUSH_INTERVAL_MS + "; none: leave it to the operating system.")
            .define(
                    FLUSH_INTERVAL_MS,
                    Type.LONG,
                    1000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "fsync period when " + FLUSH_POLICY + "=interval.")
            .define(
                    BACKGROUND_FLUSH_BYTES,
                    Type.LONG,
                    8L * 1024 * 1024,
                    Range.atLeast(4096),
                    Importance.LOW,
                    "With " + FLUSH_POLICY + "=per-ack: a partition with this many bytes of acks=0/1 appends not yet"
                            + " fsynced is flushed in the background, so dirty data stays bounded.")
            .define(
                    CLEANER_BACKOFF_MS,
                    Type.LONG,
                    15000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How long the log cleaner waits between passes over the compacted topics"
                            + " (cleanup.policy=compact).")
            .define(
                    GROUP_INITIAL_REBALANCE_DELAY_MS,
                    Type.INT,
                    3000,
                    Range.atLeast(0),
                    Importance.MEDIUM,
                    "How long the first rebalance of an empty group waits for more members to join.")
            .define(
                    GROUP_MIN_SESSION_TIMEOUT_MS,
                    Type.INT,
                    6000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Smallest session timeout a group member may ask for.")
            .define(
                    GROUP_MAX_SESSION_TIMEOUT_MS,
                    Type.INT,
                    1800000,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Largest session timeout a group member may ask for.")
            .define(
                    GROUP_MAX_SIZE,
                    Type.INT,
                    Integer.MAX_VALUE,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Most members a consumer group may have.")
            .define(
                    CONSUMER_HEARTBEAT_INTERVAL_MS,
                    Type.INT,
                    5000,
                    Range.atLeast(50),
                    Importance.LOW,
                    "How often members of a consumer-protocol group (group.protocol=consumer) heartbeat.")
            .define(
                    CONSUMER_SESSION_TIMEOUT_MS,
                    Type.INT,
                    45000,
                    Range.atLeast(100),
                    Importance.LOW,
                    "How long a member of a consumer-protocol group may go without a heartbeat before it is removed.")
            .define(
                    OFFSETS_RETENTION_MINUTES,
                    Type.INT,
                    10080,
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "How long the committed offsets of a group without members are kept after the group became empty"
                            + " (or after the commit, whichever is later); then they and the group are deleted.")
            .define(
                    OFFSETS_RETENTION_CHECK_INTERVAL_MS,
                    Type.LONG,
                    600000L,
                    Range.atLeast(1),
                    Importance.LOW,
                    "How often expired offsets are looked for.");

    public BrokerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(flushPolicy, "flushPolicy is null");
        requireNonNull(groups, "groups is null");
        originals =
                java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(originals, "originals is null")));
    }

    /** Every key with its effective value as text, sorted by key (DescribeConfigs of the broker). */
    public Map<String, String> effectiveValues() {
        Map<String, Object> parsed = DEFINITION.parse(originals);
        Map<String, String> values = new TreeMap<>();
        parsed.forEach((key, value) -> values.put(key, value == null ? null : String.valueOf(value)));
        return java.util.Collections.unmodifiableMap(values);
    }

    /** Every default, as a fresh broker would run. */
    public static BrokerConfig defaults() {
        return parse(Map.of());
    }

    /**
     * Parses properties into a config.
     *
     * @throws ConfigException naming the key, for an unknown key (with the closest known one) or a bad value
     */
    public static BrokerConfig parse(Map<String, String> properties) {
        for (String key : new TreeMap<>(properties).keySet()) {
            if (!DEFINITION.names().contains(key)) {
                throw new ConfigException("Unknown configuration key '" + key + "'" + suggestion(key));
            }
        }
        Map<String, Object> values = DEFINITION.parse(properties);
        return new BrokerConfig(
                (String) values.get(HOST),
                (Integer) values.get(KAFKA_PORT),
                Path.of((String) values.get(DATA_DIR)),
                (Integer) values.get(NODE_ID),
                (Integer) values.get(NUM_PARTITIONS),
                (Boolean) values.get(AUTO_CREATE_TOPICS),
                (Integer) values.get(IO_THREADS),
                (Integer) values.get(SOCKET_REQUEST_MAX_BYTES),
                (Integer) values.get(MESSAGE_MAX_BYTES),
                (Long) values.get(SEGMENT_BYTES),
                (Long) values.get(SEGMENT_MS),
                (Long) values.get(RETENTION_MS),
                (Long) values.get(RETENTION_BYTES),
                (Long) values.get(RETENTION_CHECK_INTERVAL_MS),
                (Integer) values.get(INDEX_INTERVAL_BYTES),
                (Integer) values.get(SEGMENT_INDEX_BYTES),
                FlushPolicy.fromName((String) values.get(FLUSH_POLICY)),
                (Long) values.get(FLUSH_INTERVAL_MS),
                (Long) values.get(BACKGROUND_FLUSH_BYTES),
                (Long) values.get(CLEANER_BACKOFF_MS),
                groupSettings(values),
                properties);
    }

    private static GroupSettings groupSettings(Map<String, Object> values) {
        int minSession = (Integer) values.get(GROUP_MIN_SESSION_TIMEOUT_MS);
        int maxSession = (Integer) values.get(GROUP_MAX_SESSION_TIMEOUT_MS);
        if (minSession > maxSession) {
            throw new ConfigException(
                    GROUP_MIN_SESSION_TIMEOUT_MS,
                    minSession,
                    "must not exceed " + GROUP_MAX_SESSION_TIMEOUT_MS + " (" + maxSession + ")");
        }
        int heartbeat = (Integer) values.get(CONSUMER_HEARTBEAT_INTERVAL_MS);
        int session = (Integer) values.get(CONSUMER_SESSION_TIMEOUT_MS);
        if (heartbeat >= session) {
            throw new ConfigException(
                    CONSUMER_HEARTBEAT_INTERVAL_MS,
                    heartbeat,
                    "must be less than " + CONSUMER_SESSION_TIMEOUT_MS + " (" + session + ")");
        }
        return new GroupSettings(
                (Integer) values.get(GROUP_INITIAL_REBALANCE_DELAY_MS),
                minSession,
                maxSession,
                (Integer) values.get(GROUP_MAX_SIZE),
                heartbeat,
                session,
                ((Integer) values.get(OFFSETS_RETENTION_MINUTES)) * 60_000L,
                (Long) values.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS));
    }

    private static String suggestion(String key) {
        List<String> names = new ArrayList<>(DEFINITION.names());
        names.sort(Comparator.naturalOrder());
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int distance = editDistance(key.toLowerCase(Locale.ROOT), name);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = name;
            }
        }
        if (best != null && bestDistance <= Math.max(3, key.length() / 3)) {
            return "; did you mean '" + best + "'?";
        }
        return "; known keys are " + names;
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
