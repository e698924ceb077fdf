package io.brook.it;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A group member in its own JVM, for GroupMembersIT: {@code BOOTSTRAP GROUP TOPIC PROTOCOL OUTPUT}. It processes each
 * record by appending {@code partition offset key} to OUTPUT (flushed), then commits what it processed: at least once.
 * It leaves the group cleanly on SIGTERM; SIGKILL stops it mid-batch, which is the point.
 */
public final class CountingMember {
    private CountingMember() {}

    public static void main(String[] args) throws IOException {
        String bootstrap = args[0];
        String group = args[1];
        String topic = args[2];
        String protocol = args[3];
        Path output = Path.of(args[4]);
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        if (protocol.equals("classic")) {
            settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        AtomicBoolean stopping = new AtomicBoolean();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, settings);
                BufferedWriter out = Files.newBufferedWriter(
                        output, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.set(true);
                consumer.wakeup();
                try {
                    main.join(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            consumer.subscribe(List.of(topic));
            while (!stopping.get()) {
                try {
                    boolean any = false;
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        out.write(record.partition() + " " + record.offset() + " " + record.key() + "\n");
                        any = true;
                    }
                    if (any) {
                        out.flush();
                        consumer.commitSync();
                    }
                } catch (WakeupException e) {
                    // SIGTERM: leave the loop and the group.
                } catch (org.apache.kafka.common.errors.RebalanceInProgressException
                        | org.apache.kafka.clients.consumer.CommitFailedException
                        | org.apache.kafka.common.errors.StaleMemberEpochException e) {
                    // The partitions moved before the commit: their new owner processes them again (at least once).
                }
            }
        }
    }
}
