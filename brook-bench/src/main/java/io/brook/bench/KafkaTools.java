package io.brook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Kafka 4.3's command-line tools (org.apache.kafka.tools.*) from their own classpath, {@code kafka-tools-lib},
 * each in a JVM of its own as its bin/ script would, with a time limit.
 */
final class KafkaTools {
    private final BenchPaths paths;
    private final Duration timeout;
    private final Path outputDirectory;
    private final Path log4jConfig;

    KafkaTools(BenchPaths paths, Duration timeout) throws IOException, RunFailedException {
        if (!Files.isDirectory(paths.kafkaToolsLib())) {
            throw new RunFailedException(
                    "the Kafka tools' classpath is missing: no directory " + paths.kafkaToolsLib());
        }
        this.paths = paths;
        this.timeout = timeout;
        this.outputDirectory = Files.createDirectories(paths.workDir().resolve("tools"));
        this.log4jConfig = BrokerLaunchers.copyResource("kafka-tools-log4j2.properties", outputDirectory);
    }

    /** What a tool printed and how it ended. {@code exitCode} is -1 when it ran out of time and was stopped. */
    record Result(int exitCode, String stdout, String stderr, double seconds) {
        boolean timedOut() {
            return exitCode == -1;
        }
    }

    /** Runs {@code mainClass} with {@code arguments}; {@code label} names its output files in the work directory. */
    Result run(String label, String mainClass, String heap, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(paths.java().toString());
        command.addAll(KafkaJvm.toolOptions(heap, outputDirectory, log4jConfig));
        command.add("-cp");
        command.add(paths.kafkaToolsLib().resolve("*").toString());
        command.add(mainClass);
        command.addAll(arguments);
        try (ChildProcess tool =
                ChildProcess.start(label, command, outputDirectory, outputDirectory.resolve(label), paths.pidFile())) {
            int exitCode = tool.waitFor(timeout);
            if (exitCode < 0) {
                tool.stop(Duration.ofSeconds(5));
            }
            double seconds = (System.nanoTime() - tool.startNanos()) / 1e9;
            return new Result(exitCode, tool.stdout(), tool.stderr(), seconds);
        }
    }

    Duration timeout() {
        return timeout;
    }
}
