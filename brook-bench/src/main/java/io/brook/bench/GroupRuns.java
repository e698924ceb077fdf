package io.brook.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The consumer-group figures: a group of three ConsumerPerformance processes reading a 6-partition topic together,
 * and the time from a member's SIGKILL until the other members read its partitions. The same settings for both
 * systems.
 */
final class GroupRuns {
    static final int MEMBERS = 3;
    static final int PARTITIONS = 6;
    private static final DateTimeFormatter TOOL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss:SSS");
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(120);

    private GroupRuns() {}

    /** Writes {@code records} records of {@code size} bytes, the same number to each of the topic's partitions. */
    static void fillEvenly(String bootstrap, String topic, long records, int size) throws RunFailedException {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap, "1"))) {
            byte[] value = new byte[size];
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, value));
            }
            producer.flush();
        } catch (RuntimeException e) {
            throw new RunFailedException("could not fill " + topic + ": " + e.getMessage(), e);
        }
    }

    private static Properties producerProperties(String bootstrap, String acks) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, acks);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }

    /**
     * Three ConsumerPerformance processes in one group, started together, each reading a quarter of the records: the
     * first member to join reads from every partition until the others arrive, and a quarter is what each can still
     * find after that rebalance (a third could leave one member short, waiting forever). Figures: {@code rps} = records
     * read / (last member's end - first member's start), {@code join_ms} = the slowest member's rebalance time.
     */
    static Map<String, Double> groupRead(KafkaTools tools, String label, String bootstrap, String topic, long records)
            throws RunFailedException, InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(MEMBERS);
        try {
            List<Future<KafkaTools.Result>> runs = new ArrayList<>();
            for (int member = 0; member < MEMBERS; member++) {
                String memberLabel = label + "-" + member;
                runs.add(threads.submit(() -> tools.run(
                        memberLabel,
                        "org.apache.kafka.tools.ConsumerPerformance",
                        KafkaJvm.PERF_TOOL_HEAP,
                        List.of(
                                "--bootstrap-server", bootstrap,
                                "--topic", topic,
                                "--group", label,
                                "--num-records", Long.toString(records / 4),
                                "--timeout", "30000"))));
            }
            long firstStart = Long.MAX_VALUE;
            long lastEnd = Long.MIN_VALUE;
            double join = 0;
            for (Future<KafkaTools.Result> run : runs) {
                KafkaTools.Result result = run.get();
                if (result.exitCode() != 0 || result.timedOut()) {
                    throw new RunFailedException("a group member exited with " + result.exitCode() + ": "
                            + ToolOutputs.failureLine(result.stderr(), result.stdout()));
                }
                String[] fields = ToolOutputs.consumerPerformanceFields(result.stdout());
                firstStart = Math.min(firstStart, toolTime(fields[0]));
                lastEnd = Math.max(lastEnd, toolTime(fields[1]));
                join = Math.max(join, Double.parseDouble(fields[6]));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            double read = (double) (records / 4) * MEMBERS;
            values.put("rps", read / Math.max(0.001, (lastEnd - firstStart) / 1000.0));
            values.put("join_ms", join);
            return values;
        } catch (ExecutionException e) {
            throw new RunFailedException("a group member failed: " + e.getCause(), e);
        } finally {
            threads.shutdownNow();
        }
    }

    private static long toolTime(String text) throws RunFailedException {
        try {
            return LocalDateTime.parse(text.strip(), TOOL_TIME)
                    .atZone(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
        } catch (RuntimeException e) {
            throw new RunFailedException("ConsumerPerformance printed an unreadable time: " + text, e);
        }
    }

    /**
     * Three FailoverMember processes share a topic that a producer keeps writing; one is killed with SIGKILL; the
     * figure is the time until the other two have read from every partition it held.
     */
    static Map<String, Double> failover(BenchPaths paths, String label, String bootstrap, String topic)
            throws RunFailedException, InterruptedException, IOException {
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produceSteadily(bootstrap, topic, producing), label + "-producer");
        producer.setDaemon(true);
        producer.start();
        List<ChildProcess> members = new ArrayList<>();
        Path directory = paths.workDir().resolve("tools");
        try {
            for (int i = 0; i < MEMBERS; i++) {
                List<String> command = List.of(
                        paths.java().toString(),
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FailoverMember.class.getName(),
                        bootstrap,
                        label,
                        topic);
                members.add(ChildProcess.start(
                        label + "-" + i, command, directory, directory.resolve(label + "-" + i), paths.pidFile()));
            }
            long deadline = System.nanoTime() + FAILOVER_WAIT.toNanos();
            List<Set<Integer>> assigned = new ArrayList<>();
            while (true) {
                assigned.clear();
                Set<Integer> all = new HashSet<>();
                boolean reading = true;
                for (ChildProcess member : members) {
                    MemberView view = MemberView.of(member.stdout());
                    assigned.add(view.assigned);
                    all.addAll(view.assigned);
                    reading &=
                            !view.assigned.isEmpty() && view.firstReads.keySet().containsAll(view.assigned);
                }
                if (reading && all.size() == PARTITIONS && assigned.stream().allMatch(set -> set.size() == 2)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new RunFailedException("the group did not settle with 2 partitions each: " + assigned);
                }
                Thread.sleep(100);
            }
            Set<Integer> orphaned = assigned.get(0);
            long killedAt = System.currentTimeMillis();
            members.get(0).kill();
            while (true) {
                Map<Integer, Long> taken = new HashMap<>();
                for (ChildProcess member : members.subList(1, members.size())) {
                    MemberView.of(member.stdout()).firstReads.forEach((partition, at) -> {
                        if (at >= killedAt && orphaned.contains(partition)) {
                            taken.merge(partition, at, Math::min);
                        }
                    });
                }
                if (taken.keySet().containsAll(orphaned)) {
                    long last = taken.values().stream()
                            .mapToLong(Long::longValue)
                            .max()
                            .orElseThrow();
                    return Map.of("ms", (double) (last - killedAt));
                }
                if (System.nanoTime() > deadline) {
                    throw new RunFailedException(
                            "partitions " + orphaned + " of the killed member were not read again");
                }
                Thread.sleep(50);
            }
        } finally {
            producing.set(false);
            members.forEach(ChildProcess::close);
            producer.join(10_000);
        }
    }

    private static void produceSteadily(String bootstrap, String topic, AtomicBoolean producing) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap, "1"))) {
            byte[] value = new byte[100];
            for (int i = 0; producing.get(); i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value));
                if (i % PARTITIONS == PARTITIONS - 1) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The run fails by its own timeout if nothing is produced.
        }
    }

    /** What a FailoverMember printed: its latest assignment and, since it, the first read time per partition. */
    private record MemberView(Set<Integer> assigned, Map<Integer, Long> firstReads) {
        static MemberView of(String stdout) {
            Set<Integer> assigned = new HashSet<>();
            Map<Integer, Long> firstReads = new HashMap<>();
            for (String line : stdout.lines().toList()) {
                String[] fields = line.strip().split(" ");
                if (fields[0].equals("assigned")) {
                    assigned.clear();
                    firstReads.clear();
                    if (fields.length == 3) {
                        for (String partition : fields[2].split(",")) {
                            assigned.add(Integer.parseInt(partition));
                        }
                    }
                } else if (fields[0].equals("first") && fields.length == 3) {
                    firstReads.putIfAbsent(Integer.parseInt(fields[2]), Long.parseLong(fields[1]));
                }
            }
            return new MemberView(assigned, firstReads);
        }
    }
}
