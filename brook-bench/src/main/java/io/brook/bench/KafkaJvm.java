package io.brook.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options Kafka 4.3's bin/kafka-run-class.sh gives every Kafka process when no KAFKA_* variable overrides them:
 * heap, G1 tuning, local JMX, log directory and Log4j 2 configuration. kafka-server-start.sh adds the 1 GiB heap and
 * the GC log ({@code -name kafkaServer -loggc}); the perf-test scripts set a 512 MiB heap; the other tools keep 256 MiB.
 */
final class KafkaJvm {
    static final String SERVER_HEAP = "-Xmx1G -Xms1G";
    static final String PERF_TOOL_HEAP = "-Xmx512M";
    static final String TOOL_HEAP = "-Xmx256M";

    // KAFKA_JVM_PERFORMANCE_OPTS' default; its -XX:MaxInlineLevel=15 is left out: JDK 14 and later default to 15.
    private static final List<String> PERFORMANCE = List.of(
            "-server",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true");
    // KAFKA_JMX_OPTS' default: the local JMX agent, no port.
    private static final List<String> JMX = List.of(
            "-Dcom.sun.management.jmxremote=true",
            "-Dcom.sun.management.jmxremote.authenticate=false",
            "-Dcom.sun.management.jmxremote.ssl=false");

    private KafkaJvm() {}

    /** The broker's options, as kafka-server-start.sh runs kafka.Kafka. */
    static List<String> serverOptions(Path logDir, Path log4jConfig) {
        List<String> options = new ArrayList<>(Arrays.asList(SERVER_HEAP.split(" ")));
        options.addAll(PERFORMANCE);
        options.add("-Xlog:gc*:file=" + logDir.resolve("kafkaServer-gc.log") + ":time,tags:filecount=10,filesize=100M");
        options.addAll(JMX);
        options.add("-Dkafka.logs.dir=" + logDir);
        options.add("-Dlog4j2.configurationFile=" + log4jConfig);
        return List.copyOf(options);
    }

    /**
     * A tool's options with {@code heap}. The English locale is the benchmark's addition: it only fixes the decimal
     * point of the numbers the tools print, which the benchmark parses.
     */
    static List<String> toolOptions(String heap, Path logDir, Path log4jConfig) {
        List<String> options = new ArrayList<>(Arrays.asList(heap.split(" ")));
        options.addAll(PERFORMANCE);
        options.addAll(JMX);
        options.add("-Dkafka.logs.dir=" + logDir);
        options.add("-Dlog4j2.configurationFile=" + log4jConfig);
        options.add("-Duser.language=en");
        options.add("-Duser.country=US");
        return List.copyOf(options);
    }

    /** The options as one line, for the report's notes. */
    static String describeServer() {
        return SERVER_HEAP + " " + String.join(" ", PERFORMANCE) + " -Xlog:gc*:file=... " + String.join(" ", JMX);
    }
}
