package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much the engine benchmark does: the throughput ladder's rates and step lengths, the latency run's length, the
 * child JVMs' heap and time limits, which engines and workloads run, and the Kafka JSON ETL workload's size. Read once from the environment ({@code BENCH_ENGINE_*},
 * {@code BENCH_SYSTEMS}, {@code QUICK=1} for a smoke run with shorter steps and a shorter ladder) by
 * {@link #fromEnvironment}.
 */
record EngineSettings(
        boolean quick,
        List<Long> rates,
        int stepSeconds,
        int warmupSeconds,
        long intervalMillis,
        long latencyRate,
        int latencySeconds,
        String heap,
        Duration runTimeout,
        List<String> systems,
        List<String> workloads,
        long etlEvents,
        long etlMaxOffsets,
        boolean keepWorkDir) {

    static final String SPARK = "spark";
    static final String BROOK = "brook";
    /** The workloads in the order they run; {@code BENCH_ENGINE_WORKLOADS} picks some. */
    static final List<String> WORKLOADS = List.of("startup", "latency", "throughput", "etl");

    static final List<Long> DEFAULT_RATES = List.of(
            50_000L,
            100_000L,
            200_000L,
            400_000L,
            800_000L,
            1_200_000L,
            1_600_000L,
            2_400_000L,
            3_200_000L,
            4_800_000L,
            6_400_000L,
            9_600_000L,
            12_800_000L,
            16_000_000L,
            19_200_000L,
            25_600_000L,
            38_400_000L,
            44_800_000L,
            51_200_000L,
            64_000_000L,
            76_800_000L);
    static final List<Long> QUICK_RATES = List.of(50_000L, 200_000L, 800_000L, 3_200_000L, 12_800_000L);

    EngineSettings {
        rates = List.copyOf(rates);
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("BENCH_ENGINE_RATES names no rate");
        }
        requireNonNull(heap, "heap is null");
        if (!heap.matches("[0-9]+[kmgKMG]?")) {
            throw new IllegalArgumentException("BENCH_ENGINE_HEAP is a JVM heap size such as 2g; got '" + heap + "'");
        }
        requireNonNull(runTimeout, "runTimeout is null");
        systems = List.copyOf(systems);
        for (String system : systems) {
            if (!system.equals(SPARK) && !system.equals(BROOK)) {
                throw new IllegalArgumentException("BENCH_SYSTEMS lists 'spark' and 'brook'; got '" + system + "'");
            }
        }
        workloads = List.copyOf(workloads);
        for (String workload : workloads) {
            if (!WORKLOADS.contains(workload)) {
                throw new IllegalArgumentException(
                        "BENCH_ENGINE_WORKLOADS lists " + WORKLOADS + "; got '" + workload + "'");
            }
        }
        // The runners' own checks (rates > 0, step longer than warm-up, ...) apply here too.
        new EngineRunnerOptions(
                "throughput",
                Path.of("."),
                rates,
                stepSeconds,
                warmupSeconds,
                intervalMillis,
                latencyRate,
                latencySeconds,
                (int) runTimeout.toSeconds(),
                "",
                "",
                etlMaxOffsets);
    }

    /** The settings named by {@code environment}; a variable left unset takes the default shown in bench/run.sh. */
    static EngineSettings fromEnvironment(Map<String, String> environment) {
        boolean quick = "1".equals(environment.get("QUICK"));
        String rates = environment.get("BENCH_ENGINE_RATES");
        return new EngineSettings(
                quick,
                rates == null || rates.isBlank() ? (quick ? QUICK_RATES : DEFAULT_RATES) : rates(rates),
                (int) count(environment, "BENCH_ENGINE_STEP_SECONDS", quick ? 8 : 15),
                (int) count(environment, "BENCH_ENGINE_WARMUP_SECONDS", quick ? 3 : 5),
                count(environment, "BENCH_ENGINE_INTERVAL_MS", 1000),
                count(environment, "BENCH_ENGINE_LATENCY_RATE", 1000),
                (int) count(environment, "BENCH_ENGINE_LATENCY_SECONDS", quick ? 10 : 30),
                environment.getOrDefault("BENCH_ENGINE_HEAP", "2g").strip(),
                Duration.ofSeconds(count(environment, "BENCH_RUN_TIMEOUT_SECONDS", quick ? 300 : 600)),
                words(environment.getOrDefault("BENCH_SYSTEMS", SPARK + "," + BROOK)),
                words(environment.getOrDefault("BENCH_ENGINE_WORKLOADS", String.join(",", WORKLOADS))),
                count(environment, "BENCH_ENGINE_ETL_EVENTS", quick ? 500_000 : 2_000_000),
                count(environment, "BENCH_ENGINE_ETL_MAX_OFFSETS", 500_000),
                "1".equals(environment.get("BENCH_KEEP")));
    }

    /**
     * The command line of one runner: {@code workload} with these settings, its deadline inside the run timeout, and
     * for the ETL workload the topic's bootstrap servers and name (empty strings otherwise).
     */
    EngineRunnerOptions options(String workload, Path workDir, String bootstrap, String topic) {
        return new EngineRunnerOptions(
                workload,
                workDir,
                rates,
                stepSeconds,
                warmupSeconds,
                intervalMillis,
                latencyRate,
                latencySeconds,
                (int) Math.max(1, runTimeout.toSeconds() - 30),
                bootstrap,
                topic,
                etlMaxOffsets);
    }

    private static List<String> words(String text) {
        return Arrays.stream(
                        text.replace(',', ' ').strip().toLowerCase(Locale.ROOT).split("\\s+"))
                .filter(word -> !word.isEmpty())
                .toList();
    }

    private static List<Long> rates(String text) {
        try {
            return Arrays.stream(text.replace('_', ' ').replace(" ", "").split(","))
                    .filter(rate -> !rate.isEmpty())
                    .map(Long::parseLong)
                    .sorted()
                    .toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "BENCH_ENGINE_RATES is a comma-separated list of rows per second; got '" + text + "'", e);
        }
    }

    private static long count(Map<String, String> environment, String name, long defaultValue) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip().replace("_", ""));
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number; got '" + value + "'", e);
        }
    }
}
