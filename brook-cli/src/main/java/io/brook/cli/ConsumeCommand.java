package io.brook.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook consume}: prints a topic's records. It assigns partitions itself (no consumer group), starts at the end
 * or, with {@code --from-beginning}, at the start, and stops after {@code --max} records, after {@code --timeout-ms}
 * without a record, or on Ctrl-C.
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = {
            "Print the records of TOPIC, one per line: [p<partition>@<offset><TAB>][key<TAB>]value.",
            "Without --max or --timeout-ms it runs until Ctrl-C."
        })
final class ConsumeCommand implements Callable<Integer> {
    /** With --max but no --timeout-ms, give up after this long without a record. */
    static final long DEFAULT_IDLE_TIMEOUT_MS = 10_000;

    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "TOPIC", description = "Topic to read.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at each partition's first record, not at its end.")
    boolean fromBeginning;

    @Option(names = "--partition", paramLabel = "P", description = "Read only partition P.")
    Integer partition;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(
            names = "--timeout-ms",
            paramLabel = "T",
            description = "Stop after T ms without a record (default with --max: " + DEFAULT_IDLE_TIMEOUT_MS + ").")
    Long timeoutMs;

    @Option(names = "--print-key", description = "Print the key before the value, separated by a tab.")
    boolean printKey;

    @Option(names = "--print-offset", description = "Print p<partition>@<offset> first, separated by a tab.")
    boolean printOffset;

    @Override
    public Integer call() {
        throwIfOptionsInvalid();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RecordFormat format = new RecordFormat(printOffset, printKey);
        long idleTimeoutMs = idleTimeoutMs(max, timeoutMs);
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = partitionsToRead(consumer.partitionsFor(topic));
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long idleSinceNanos = System.nanoTime();
            while (max == null || printed < max) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    if (idleTimeoutMs >= 0 && System.nanoTime() - idleSinceNanos >= idleTimeoutMs * 1_000_000) {
                        break;
                    }
                    continue;
                }
                idleSinceNanos = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    out.println(format.format(record.partition(), record.offset(), record.key(), record.value()));
                    printed++;
                    if (max != null && printed >= max) {
                        break;
                    }
                }
                out.flush();
            }
        } catch (KafkaException e) {
            out.flush();
            err.println("Error: " + CliErrors.message(e, client.bootstrapServer));
            return BrookCommand.EXIT_FAILURE;
        } catch (TopicNotFoundException e) {
            err.println("Error: " + e.getMessage());
            return BrookCommand.EXIT_FAILURE;
        }
        out.flush();
        err.println("Consumed " + printed + " records from " + topic + ".");
        return 0;
    }

    /** How long to wait without a record before stopping; -1 for ever. */
    static long idleTimeoutMs(Long max, Long timeoutMs) {
        if (timeoutMs != null) {
            return timeoutMs;
        }
        return max != null ? DEFAULT_IDLE_TIMEOUT_MS : -1;
    }

    /** The partitions to assign: all of the topic's, or the one asked for if the topic has it. */
    List<TopicPartition> partitionsToRead(List<PartitionInfo> infos) throws TopicNotFoundException {
        if (infos == null || infos.isEmpty()) {
            throw new TopicNotFoundException("topic '" + topic + "' does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        partitions.sort((left, right) -> Integer.compare(left.partition(), right.partition()));
        if (partition == null) {
            return partitions;
        }
        if (partition >= partitions.size()) {
            throw new TopicNotFoundException(
                    "topic '" + topic + "' has partitions 0-" + (partitions.size() - 1) + "; got " + partition);
        }
        return List.of(new TopicPartition(topic, partition));
    }

    Map<String, Object> consumerProperties() {
        Map<String, Object> properties = client.adminOrConsumerProperties("brook-cli-consumer");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return properties;
    }

    private void throwIfOptionsInvalid() {
        if (partition != null && partition < 0) {
            throw new ParameterException(spec.commandLine(), "--partition must be >= 0; got " + partition);
        }
        if (max != null && max < 1) {
            throw new ParameterException(spec.commandLine(), "--max must be at least 1; got " + max);
        }
        if (timeoutMs != null && timeoutMs < 0) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be >= 0; got " + timeoutMs);
        }
    }

    /** The topic or the partition asked for does not exist. */
    static final class TopicNotFoundException extends Exception {
        private static final long serialVersionUID = 1L;

        TopicNotFoundException(String message) {
            super(message);
        }
    }
}
