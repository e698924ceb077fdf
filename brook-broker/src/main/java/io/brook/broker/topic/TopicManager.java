package io.brook.broker.topic;

import static java.util.Objects.requireNonNull;

import io.brook.log.LogManager;
import io.brook.log.PartitionLog;
import io.brook.log.Storage;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics of the broker and their partitions' logs. Each topic is described by {@code <dataDir>/.topics/<name>
 * .properties} (id, partition count, configuration overrides), written atomically before a change is acknowledged.
 * Changes are serialised; readers see an immutable snapshot.
 */
public final class TopicManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(TopicManager.class);
    private static final String TOPICS_DIRECTORY = ".topics";

    private final Storage storage;
    private final Path topicsDirectory;
    private final LogManager logs;
    private final TopicConfigs configs;
    private volatile Map<String, Topic> byName = Map.of();
    private volatile Map<Uuid, Topic> byId = Map.of();

    private TopicManager(Storage storage, LogManager logs, TopicConfigs configs) {
        this.storage = storage;
        this.logs = logs;
        this.configs = configs;
        this.topicsDirectory = logs.dataDir().resolve(TOPICS_DIRECTORY);
    }

    /** Loads every topic and opens (recovering if needed) all their partition logs. */
    public static TopicManager load(Storage storage, LogManager logs, TopicConfigs configs) throws IOException {
        TopicManager manager = new TopicManager(storage, logs, configs);
        storage.createDirectories(manager.topicsDirectory);
        Map<String, Topic> loaded = new TreeMap<>();
        for (Path path : storage.list(manager.topicsDirectory)) {
            String fileName = path.getFileName().toString();
            if (fileName.endsWith(".tmp")) {
                storage.deleteIfExists(path);
            } else if (fileName.endsWith(".properties")) {
                Topic topic = manager.read(path);
                loaded.put(topic.name(), topic);
            }
        }
        manager.publish(loaded);
        for (Topic topic : loaded.values()) {
            for (int partition = 0; partition < topic.partitions(); partition++) {
                logs.getOrCreate(topic.name(), partition, configs.logConfig(topic.overrides()));
            }
        }
        LOGGER.info("loaded {} topics", loaded.size());
        return manager;
    }

    public TopicConfigs configs() {
        return configs;
    }

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<Topic> topic(Uuid id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** All topics, sorted by name. */
    public List<Topic> topics() {
        return List.copyOf(byName.values());
    }

    /** The log of a partition, or null if the topic or partition does not exist. */
    public PartitionLog log(String topic, int partition) {
        Topic known = byName.get(topic);
        if (known == null || partition < 0 || partition >= known.partitions()) {
            return null;
        }
        return logs.get(topic, partition);
    }

    /**
     * Checks a topic creation without doing it.
     *
     * @throws org.apache.kafka.common.errors.InvalidTopicException for a bad name
     * @throws TopicExistsException if it exists
     * @throws org.apache.kafka.common.config.ConfigException for a bad override
     */
    public void validateCreate(String name, int partitions, Map<String, String> overrides) {
        org.apache.kafka.common.internals.Topic.validate(name);
        if (org.apache.kafka.common.internals.Topic.isInternal(name)) {
            // __consumer_offsets is the group coordinator's own log (a directory of that name in the data dir).
            throw new org.apache.kafka.common.errors.InvalidTopicException(
                    "Topic name '" + name + "' is reserved for Brook's internal use.");
        }
        if (byName.containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        if (partitions < 1) {
            throw new InvalidPartitionsException("Number of partitions was set to an invalid non-positive value.");
        }
        configs.validate(overrides);
    }

    public synchronized Topic create(String name, int partitions, Map<String, String> overrides) throws IOException {
        validateCreate(name, partitions, overrides);
        Topic topic = new Topic(name, Uuid.randomUuid(), partitions, overrides);
        write(topic);
        for (int partition = 0; partition < partitions; partition++) {
            logs.getOrCreate(name, partition, configs.logConfig(overrides));
        }
        Map<String, Topic> next = new TreeMap<>(byName);
        next.put(name, topic);
        publish(next);
        LOGGER.info(
                "[topic {}] created with {} partitions, id {}, configs {}", name, partitions, topic.id(), overrides);
        return topic;
    }

    public synchronized void delete(String name) throws IOException {
        Topic topic = byName.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("This server does not host this topic: " + name);
        }
        Map<String, Topic> next = new TreeMap<>(byName);
        next.remove(name);
        publish(next);
        storage.deleteIfExists(topicsDirectory.resolve(name + ".properties"));
        storage.fsyncDirectory(topicsDirectory);
        for (int partition = 0; partition < topic.partitions(); partition++) {
            logs.delete(name, partition);
        }
        LOGGER.info("[topic {}] deleted", name);
    }

    public synchronized void validatePartitionIncrease(String name, int count) {
        Topic topic = byName.get(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("This server does not host this topic: " + name);
        }
        if (count < topic.partitions()) {
            throw new InvalidPartitionsException("Topic currently has " + topic.partitions()
                    + " partitions, which is higher than the requested " + count + ".");
        }
        if (count == topic.partitions()) {
            throw new InvalidPartitionsException("Topic already has " + topic.partitions() + " partitions.");
        }
    }

    public synchronized void increasePartitions(String name, int count) throws IOException {
        validatePartitionIncrease(name, count);
        Topic topic = byName.get(name).withPartitions(count);
        for (int partition = 0; partition < count; partition++) {
            logs.getOrCreate(name, partition, configs.logConfig(topic.overrides()));
        }
        write(topic);
        Map<String, Topic> next = new TreeMap<>(byName);
        next.put(name, topic);
        publish(next);
        LOGGER.info("[topic {}] now has {} partitions", name, count);
    }

    /** Replaces a topic's overrides (already validated) and applies them to its logs. */
    public synchronized void setOverrides(String name, Map<String, String> overrides) throws IOException {
        Topic existing = byName.get(name);
        if (existing == null) {
            throw new UnknownTopicOrPartitionException("This server does not host this topic: " + name);
        }
        configs.validate(overrides);
        Topic topic = existing.withOverrides(overrides);
        write(topic);
        Map<String, Topic> next = new TreeMap<>(byName);
        next.put(name, topic);
        publish(next);
        for (int partition = 0; partition < topic.partitions(); partition++) {
            PartitionLog log = logs.get(name, partition);
            if (log != null) {
                log.updateConfig(configs.logConfig(overrides));
            }
        }
        LOGGER.info("[topic {}] configs now {}", name, overrides);
    }

    private void publish(Map<String, Topic> topics) {
        Map<Uuid, Topic> ids = new java.util.HashMap<>();
        topics.values().forEach(topic -> ids.put(topic.id(), topic));
        byName = Collections.unmodifiableMap(new TreeMap<>(topics));
        byId = Map.copyOf(ids);
    }

    private void write(Topic topic) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("name", topic.name());
        properties.setProperty("id", topic.id().toString());
        properties.setProperty("partitions", Integer.toString(topic.partitions()));
        topic.overrides().forEach((key, value) -> properties.setProperty("config." + key, value));
        StringWriter text = new StringWriter();
        properties.store(text, "Brook topic");
        storage.writeAtomically(
                topicsDirectory.resolve(topic.name() + ".properties"),
                text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Topic read(Path path) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(new String(storage.readAll(path), StandardCharsets.UTF_8)));
        Map<String, String> overrides = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("config.")) {
                overrides.put(key.substring("config.".length()), properties.getProperty(key));
            }
        }
        try {
            return new Topic(
                    requireNonNull(properties.getProperty("name"), "name"),
                    Uuid.fromString(requireNonNull(properties.getProperty("id"), "id")),
                    Integer.parseInt(requireNonNull(properties.getProperty("partitions"), "partitions")),
                    overrides);
        } catch (RuntimeException e) {
            throw new IOException("topic file " + path + " is malformed: " + e.getMessage(), e);
        }
    }
}
