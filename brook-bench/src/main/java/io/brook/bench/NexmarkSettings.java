package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much the Nexmark benchmark does, read once from the environment by {@link #fromEnvironment}: the events in the
 * topic ({@code BENCH_NEXMARK_EVENTS}), the micro-batch cap ({@code BENCH_NEXMARK_MAX_OFFSETS}, both engines'
 * maxOffsetsPerTrigger), the queries ({@code BENCH_NEXMARK_QUERIES}), the engines ({@code BENCH_SYSTEMS}), the child
 * JVMs' heap ({@code BENCH_ENGINE_HEAP}) and the time one query may take on one engine ({@code
 * BENCH_RUN_TIMEOUT_SECONDS}); {@code QUICK=1} makes a smoke run of fewer events.
 */
record NexmarkSettings(
        boolean quick,
        long events,
        long maxOffsets,
        List<String> queries,
        List<String> systems,
        String heap,
        Duration runTimeout) {

    /** The queries of examples/nexmark, in the order they run (the Flink suite's q6 is not among them). */
    static final List<String> QUERIES = List.of("q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8");

    /** About 15 minutes for both engines on a 2-core machine. */
    static final long DEFAULT_EVENTS = 1_000_000;

    static final long QUICK_EVENTS = 200_000;

    NexmarkSettings {
        queries = List.copyOf(queries);
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("BENCH_NEXMARK_QUERIES names no query");
        }
        for (String query : queries) {
            if (!QUERIES.contains(query)) {
                throw new IllegalArgumentException("BENCH_NEXMARK_QUERIES lists " + QUERIES + "; got '" + query + "'");
            }
        }
        systems = List.copyOf(systems);
        for (String system : systems) {
            if (!system.equals(EngineSettings.SPARK) && !system.equals(EngineSettings.BROOK)) {
                throw new IllegalArgumentException("BENCH_SYSTEMS lists 'spark' and 'brook'; got '" + system + "'");
            }
        }
        requireNonNull(heap, "heap is null");
        if (!heap.matches("[0-9]+[kmgKMG]?")) {
            throw new IllegalArgumentException("BENCH_ENGINE_HEAP is a JVM heap size such as 2g; got '" + heap + "'");
        }
        requireNonNull(runTimeout, "runTimeout is null");
        if (runTimeout.toSeconds() < 30) {
            throw new IllegalArgumentException(
                    "BENCH_RUN_TIMEOUT_SECONDS must be >= 30; got " + runTimeout.toSeconds());
        }
    }

    /** The settings named by {@code environment}; a variable left unset takes the default shown in bench/run.sh. */
    static NexmarkSettings fromEnvironment(Map<String, String> environment) {
        boolean quick = "1".equals(environment.get("QUICK"));
        return new NexmarkSettings(
                quick,
                count(environment, "BENCH_NEXMARK_EVENTS", quick ? QUICK_EVENTS : DEFAULT_EVENTS),
                count(environment, "BENCH_NEXMARK_MAX_OFFSETS", quick ? 50_000 : 500_000),
                words(environment.getOrDefault("BENCH_NEXMARK_QUERIES", String.join(",", QUERIES))),
                words(environment.getOrDefault("BENCH_SYSTEMS", EngineSettings.SPARK + "," + EngineSettings.BROOK)),
                environment.getOrDefault("BENCH_ENGINE_HEAP", "2g").strip(),
                Duration.ofSeconds(count(environment, "BENCH_RUN_TIMEOUT_SECONDS", quick ? 120 : 300)));
    }

    private static List<String> words(String text) {
        return Arrays.stream(
                        text.replace(',', ' ').strip().toLowerCase(Locale.ROOT).split("\\s+"))
                .filter(word -> !word.isEmpty())
                .toList();
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
