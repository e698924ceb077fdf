package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much the broker benchmark does: record counts, time limits and which systems run. Read once from the environment
 * ({@code BENCH_*} variables, {@code QUICK=1} for a smoke run with 10x fewer records) by {@link #fromEnvironment}.
 */
record BenchSettings(
        boolean quick,
        long records100b,
        long records1kib,
        long rateRecords,
        int rate,
        int latencyRecords,
        Duration settle,
        Duration startTimeout,
        Duration runTimeout,
        List<String> systems,
        boolean brookCds,
        List<String> brookJavaOptions,
        List<String> brookServerArguments,
        boolean keepWorkDir) {

    static final String KAFKA = "kafka";
    static final String BROOK = "brook";

    BenchSettings {
        throwIfNotPositive("records100b", records100b);
        throwIfNotPositive("records1kib", records1kib);
        throwIfNotPositive("rateRecords", rateRecords);
        throwIfNotPositive("rate", rate);
        throwIfNotPositive("latencyRecords", latencyRecords);
        requireNonNull(settle, "settle is null");
        requireNonNull(startTimeout, "startTimeout is null");
        requireNonNull(runTimeout, "runTimeout is null");
        systems = List.copyOf(systems);
        for (String system : systems) {
            if (!system.equals(KAFKA) && !system.equals(BROOK)) {
                throw new IllegalArgumentException("BENCH_SYSTEMS lists 'kafka' and 'brook'; got '" + system + "'");
            }
        }
        brookJavaOptions = List.copyOf(brookJavaOptions);
        brookServerArguments = List.copyOf(brookServerArguments);
    }

    /** The settings named by {@code environment}; a variable left unset takes the default shown in bench/run.sh. */
    static BenchSettings fromEnvironment(Map<String, String> environment) {
        boolean quick = "1".equals(environment.get("QUICK"));
        int divisor = quick ? 10 : 1;
        return new BenchSettings(
                quick,
                count(environment, "BENCH_RECORDS_100B", 2_000_000 / divisor),
                count(environment, "BENCH_RECORDS_1KIB", 600_000 / divisor),
                count(environment, "BENCH_RATE_RECORDS", 1_000_000 / divisor),
                (int) count(environment, "BENCH_RATE", 50_000),
                (int) count(environment, "BENCH_LATENCY_RECORDS", 10_000 / divisor),
                Duration.ofSeconds(seconds(environment, "BENCH_SETTLE_SECONDS", quick ? 2 : 5)),
                Duration.ofSeconds(count(environment, "BENCH_START_TIMEOUT_SECONDS", 120)),
                Duration.ofSeconds(count(environment, "BENCH_RUN_TIMEOUT_SECONDS", 300)),
                words(environment
                        .getOrDefault("BENCH_SYSTEMS", KAFKA + "," + BROOK)
                        .replace(',', ' ')
                        .toLowerCase(Locale.ROOT)),
                !"off".equals(environment.get("BENCH_BROOK_CDS")),
                words(environment.getOrDefault("BENCH_BROOK_JAVA_OPTS", "")),
                words(environment.getOrDefault("BENCH_BROOK_ARGS", "")),
                "1".equals(environment.get("BENCH_KEEP")));
    }

    /** The positive whole number in variable {@code name}, or {@code defaultValue} when it is unset or blank. */
    static long count(Map<String, String> environment, String name, long defaultValue) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip().replace("_", ""));
            throwIfNotPositive(name, parsed);
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number; got '" + value + "'", e);
        }
    }

    /** Like {@link #count} but 0 is allowed. */
    static long seconds(Map<String, String> environment, String name, long defaultValue) {
        String value = environment.get(name);
        return value != null && value.strip().equals("0") ? 0 : count(environment, name, defaultValue);
    }

    static List<String> words(String value) {
        return Arrays.stream(value.strip().split("\\s+"))
                .filter(word -> !word.isEmpty())
                .toList();
    }

    private static void throwIfNotPositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
