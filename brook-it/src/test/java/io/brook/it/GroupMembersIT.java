package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A group of consumers in their own JVMs reads a 6-partition topic while it is being written, and members join,
 * leave and are killed with SIGKILL mid-stream. Each member records what it processed, then commits (at least once).
 * Every record is processed at least once, and the counts per key, deduplicated by offset (the consumer's own
 * idempotent bookkeeping), equal the produced counts exactly. Both group protocols.
 */
class GroupMembersIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = BrookBrokerExtension.withConfig(Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.session.timeout.ms", "6000"));

    private static final int PARTITIONS = 6;
    private static final int KEYS = 60;
    private static final int RECORDS = 9_000;
    private static final Duration WAIT = Duration.ofSeconds(120);

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void everyRecordIsProcessedAtLeastOnceThroughJoinsLeavesAndKills(String protocol, BrookCluster cluster)
            throws Exception {
        String topic = "members-" + protocol;
        String group = "members-" + protocol;
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
        Path work = TestPaths.newDirectory("members-" + protocol + "-");
        List<Member> members = new ArrayList<>();
        Map<String, Integer> produced = new HashMap<>();
        try {
            // Given: three members
            for (int i = 0; i < 3; i++) {
                members.add(Member.start(cluster, group, topic, protocol, work, i));
            }
            // When: records are written over ~8 s while members are killed, join and leave
            try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
                for (int i = 0; i < RECORDS; i++) {
                    String key = "key-" + (i % KEYS);
                    produced.merge(key, 1, Integer::sum);
                    producer.send(new ProducerRecord<>(topic, key, "value-" + i));
                    if (i % 300 == 299) {
                        producer.flush();
                        Thread.sleep(250);
                    }
                    if (i == 2_000) {
                        members.get(0).kill(); // SIGKILL mid-stream
                    } else if (i == 4_000) {
                        members.add(Member.start(cluster, group, topic, protocol, work, 3));
                    } else if (i == 5_500) {
                        members.get(1).kill();
                    } else if (i == 7_000) {
                        members.get(2).stop(); // leaves cleanly (SIGTERM)
                        members.add(Member.start(cluster, group, topic, protocol, work, 4));
                    }
                }
                producer.flush();
            }

            // Then: every offset of every partition is processed, by some member, at least once
            Map<TopicPartition, Long> ends = endOffsets(cluster, topic);
            long deadline = System.nanoTime() + WAIT.toNanos();
            Set<String> processed = new HashSet<>();
            Map<String, Integer> counted = new HashMap<>();
            while (true) {
                processed.clear();
                counted.clear();
                for (Path file : outputs(work)) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        String[] fields = line.split(" ");
                        if (fields.length == 3 && processed.add(fields[0] + "@" + fields[1])) {
                            counted.merge(fields[2], 1, Integer::sum);
                        }
                    }
                }
                if (processed.size() == RECORDS || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(200);
            }
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).isEqualTo(RECORDS);
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                for (long offset = 0; offset < end.getValue(); offset++) {
                    assertThat(processed)
                            .as("processed %s at least once", end.getKey())
                            .contains(end.getKey().partition() + "@" + offset);
                }
            }
            assertThat(counted).isEqualTo(produced);
        } finally {
            for (Member member : members) {
                member.kill();
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(BrookCluster cluster, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.listOffsets(request).all().get(30, SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        }
        return ends;
    }

    private static List<Path> outputs(Path work) throws IOException {
        try (var files = Files.list(work)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".processed"))
                    .toList();
        }
    }

    /** A CountingMember child JVM. */
    private record Member(Process process) {
        static Member start(BrookCluster cluster, String group, String topic, String protocol, Path work, int id)
                throws IOException {
            List<String> command = ExternalProcess.javaCommand(
                    List.of("-Xmx128m"),
                    CountingMember.class.getName(),
                    List.of(
                            cluster.bootstrapServers(),
                            group,
                            topic,
                            protocol,
                            work.resolve("member-" + id + ".processed").toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("member-" + id + ".out").toFile())
                    .start();
            return new Member(process);
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
