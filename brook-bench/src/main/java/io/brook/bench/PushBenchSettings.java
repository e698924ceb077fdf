package io.brook.bench;

import static io.brook.bench.BenchSettings.count;
import static io.brook.bench.BenchSettings.seconds;
import static io.brook.bench.BenchSettings.words;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much the push benchmark ({@code bench/run.sh push}) does: record counts, the fixed rate of the latency run, the
 * subscription's batching, time limits and which systems run. Read once from the environment ({@code BENCH_PUSH_*},
 * {@code BENCH_SYSTEMS}, {@code QUICK=1} for 10x fewer records and a 10-s latency run) by {@link #fromEnvironment}.
 */
record PushBenchSettings(
        boolean quick,
        long records,
        long warmupRecords,
        int recordSize,
        int rate,
        int latencySeconds,
        int batchMaxRecords,
        long batchMaxWaitMs,
        int partitions,
        Duration startTimeout,
        Duration runTimeout,
        List<String> systems,
        boolean keepWorkDir) {

    static final String RABBITMQ = "rabbitmq";
    static final String BROOK = BenchSettings.BROOK;
    /** The send time in the value takes up to 20 digits and a separator; PerfTest needs at least 12 bytes. */
    static final int MIN_RECORD_SIZE = 32;

    PushBenchSettings {
        throwIfNotPositive("records", records);
        throwIfNotPositive("warmupRecords", warmupRecords);
        throwIfNotPositive("rate", rate);
        throwIfNotPositive("latencySeconds", latencySeconds);
        throwIfNotPositive("partitions", partitions);
        if (recordSize < MIN_RECORD_SIZE) {
            throw new IllegalArgumentException(
                    "BENCH_PUSH_RECORD_SIZE must be >= " + MIN_RECORD_SIZE + "; got " + recordSize);
        }
        if (batchMaxRecords < 1 || batchMaxRecords > 10_000) {
            throw new IllegalArgumentException("BENCH_PUSH_BATCH_RECORDS must be 1-10000; got " + batchMaxRecords);
        }
        if (batchMaxWaitMs < 0) {
            throw new IllegalArgumentException("BENCH_PUSH_BATCH_WAIT_MS must be >= 0; got " + batchMaxWaitMs);
        }
        requireNonNull(startTimeout, "startTimeout is null");
        requireNonNull(runTimeout, "runTimeout is null");
        systems = List.copyOf(systems);
        for (String system : systems) {
            if (!system.equals(RABBITMQ) && !system.equals(BROOK)) {
                throw new IllegalArgumentException("BENCH_SYSTEMS lists 'rabbitmq' and 'brook'; got '" + system + "'");
            }
        }
    }

    /** The settings named by {@code environment}; a variable left unset takes the default shown in bench/run.sh. */
    static PushBenchSettings fromEnvironment(Map<String, String> environment) {
        boolean quick = "1".equals(environment.get("QUICK"));
        int divisor = quick ? 10 : 1;
        return new PushBenchSettings(
                quick,
                count(environment, "BENCH_PUSH_RECORDS", 200_000 / divisor),
                count(environment, "BENCH_PUSH_WARMUP_RECORDS", 20_000 / divisor),
                (int) count(environment, "BENCH_PUSH_RECORD_SIZE", 100),
                (int) count(environment, "BENCH_PUSH_RATE", 1_000),
                (int) count(environment, "BENCH_PUSH_LATENCY_SECONDS", quick ? 10 : 20),
                (int) count(environment, "BENCH_PUSH_BATCH_RECORDS", 500),
                seconds(environment, "BENCH_PUSH_BATCH_WAIT_MS", 0),
                (int) count(environment, "BENCH_PUSH_PARTITIONS", 1),
                Duration.ofSeconds(count(environment, "BENCH_START_TIMEOUT_SECONDS", 120)),
                Duration.ofSeconds(count(environment, "BENCH_RUN_TIMEOUT_SECONDS", 300)),
                words(environment
                        .getOrDefault("BENCH_SYSTEMS", RABBITMQ + "," + BROOK)
                        .replace(',', ' ')
                        .toLowerCase(Locale.ROOT)),
                "1".equals(environment.get("BENCH_KEEP")));
    }

    /** Records of the latency run: {@link #rate} a second for {@link #latencySeconds}. */
    long latencyRecords() {
        return (long) rate * latencySeconds;
    }

    private static void throwIfNotPositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
