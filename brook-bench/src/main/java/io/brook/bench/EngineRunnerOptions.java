package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of an engine runner, the same for {@link BrookEngineRunner} and SparkEngineRunner:
 * {@code --workload startup|latency|throughput|etl --work-dir DIR [--rates R1,R2,...] [--step-seconds S]
 * [--warmup-seconds S] [--interval-ms MS] [--latency-rate R] [--latency-seconds S] [--deadline-seconds S]
 * [--bootstrap HOST:PORT] [--topic T] [--etl-max-offsets N]}. The last three are the Kafka JSON ETL workload's: where
 * its topic is and how many records a micro-batch takes at most ({@code maxOffsetsPerTrigger}).
 * {@link #arguments()} writes it, {@link #parse} reads it.
 */
record EngineRunnerOptions(
        String workload,
        Path workDir,
        List<Long> rates,
        int stepSeconds,
        int warmupSeconds,
        long intervalMillis,
        long latencyRate,
        int latencySeconds,
        int deadlineSeconds,
        String bootstrap,
        String topic,
        long etlMaxOffsets) {

    static final Set<String> WORKLOADS = Set.of("startup", "latency", "throughput", "etl");

    EngineRunnerOptions {
        requireNonNull(workload, "workload is null");
        if (!WORKLOADS.contains(workload)) {
            throw new IllegalArgumentException(
                    "workload must be startup, latency, throughput or etl; got '" + workload + "'");
        }
        requireNonNull(workDir, "workDir is null");
        rates = List.copyOf(rates);
        for (long rate : rates) {
            if (rate <= 0) {
                throw new IllegalArgumentException("rates must be > 0, got " + rate);
            }
        }
        if (warmupSeconds < 0 || stepSeconds <= warmupSeconds) {
            throw new IllegalArgumentException("step-seconds must be greater than warmup-seconds >= 0; got "
                    + stepSeconds + " and " + warmupSeconds);
        }
        if (intervalMillis <= 0 || latencyRate <= 0 || latencySeconds <= 0 || deadlineSeconds <= 0) {
            throw new IllegalArgumentException("interval-ms, latency-rate, latency-seconds and deadline-seconds must"
                    + " be > 0; got " + intervalMillis + ", " + latencyRate + ", " + latencySeconds + ", "
                    + deadlineSeconds);
        }
        requireNonNull(bootstrap, "bootstrap is null");
        requireNonNull(topic, "topic is null");
        if (etlMaxOffsets <= 0) {
            throw new IllegalArgumentException("etl-max-offsets must be > 0; got " + etlMaxOffsets);
        }
        if (workload.equals("etl") && (bootstrap.isBlank() || topic.isBlank())) {
            throw new IllegalArgumentException("the etl workload needs --bootstrap and --topic");
        }
    }

    List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        arguments.addAll(List.of("--workload", workload, "--work-dir", workDir.toString()));
        arguments.addAll(List.of(
                "--rates", String.join(",", rates.stream().map(String::valueOf).toList())));
        arguments.addAll(List.of("--step-seconds", Integer.toString(stepSeconds)));
        arguments.addAll(List.of("--warmup-seconds", Integer.toString(warmupSeconds)));
        arguments.addAll(List.of("--interval-ms", Long.toString(intervalMillis)));
        arguments.addAll(List.of("--latency-rate", Long.toString(latencyRate)));
        arguments.addAll(List.of("--latency-seconds", Integer.toString(latencySeconds)));
        arguments.addAll(List.of("--deadline-seconds", Integer.toString(deadlineSeconds)));
        if (!bootstrap.isEmpty()) {
            arguments.addAll(List.of("--bootstrap", bootstrap));
        }
        if (!topic.isEmpty()) {
            arguments.addAll(List.of("--topic", topic));
        }
        arguments.addAll(List.of("--etl-max-offsets", Long.toString(etlMaxOffsets)));
        return List.copyOf(arguments);
    }

    static EngineRunnerOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs; got " + Arrays.toString(args));
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        List<String> known = List.of(
                "workload",
                "work-dir",
                "rates",
                "step-seconds",
                "warmup-seconds",
                "interval-ms",
                "latency-rate",
                "latency-seconds",
                "deadline-seconds",
                "bootstrap",
                "topic",
                "etl-max-offsets");
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
            }
        }
        if (!values.containsKey("workload") || !values.containsKey("work-dir")) {
            throw new IllegalArgumentException("--workload and --work-dir are required");
        }
        List<Long> rates = Arrays.stream(values.getOrDefault("rates", "50000").split(","))
                .map(String::strip)
                .filter(rate -> !rate.isEmpty())
                .map(Long::parseLong)
                .toList();
        return new EngineRunnerOptions(
                values.get("workload"),
                Path.of(values.get("work-dir")),
                rates,
                Integer.parseInt(values.getOrDefault("step-seconds", "15")),
                Integer.parseInt(values.getOrDefault("warmup-seconds", "5")),
                Long.parseLong(values.getOrDefault("interval-ms", "1000")),
                Long.parseLong(values.getOrDefault("latency-rate", "1000")),
                Integer.parseInt(values.getOrDefault("latency-seconds", "30")),
                Integer.parseInt(values.getOrDefault("deadline-seconds", "600")),
                values.getOrDefault("bootstrap", ""),
                values.getOrDefault("topic", ""),
                Long.parseLong(values.getOrDefault("etl-max-offsets", "500000")));
    }
}
