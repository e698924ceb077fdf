package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The summary that RabbitMQ's PerfTest prints when a run ends, parsed:
 *
 * <pre>
 * test stopped (Producer reached message limit, Consumer reached message limit)
 * id: test-035354-288, sending rate avg: 18470 msg/s
 * id: test-035354-288, receiving rate avg: 18470 msg/s
 * id: test-035354-288, consumer latency min/median/75th/95th/99th 188/15892/24444/87827/122855 µs
 * </pre>
 *
 * The rates are PerfTest's averages over the whole run; the consumer latencies (publish to delivery, from the send
 * time PerfTest writes into each body) are converted to milliseconds, keyed by PerfTest's own names ({@code min},
 * {@code median}, {@code 75th}, {@code 95th}, {@code 99th}). The per-second lines before the summary are ignored.
 */
record PerfTestOutput(
        double sendingRate,
        double receivingRate,
        Map<String, Double> consumerLatencyMillis,
        Optional<String> stopReason) {

    private static final Pattern RATE =
            Pattern.compile("^(?:id: [^,]*, )?(sending|receiving) rate avg: ([0-9][0-9.,]*) msg/s\\s*$");
    private static final Pattern CONSUMER_LATENCY =
            Pattern.compile("^(?:id: [^,]*, )?consumer latency ([a-z0-9/]+) ([0-9][0-9./]*) (\\S+)\\s*$");
    private static final Pattern STOPPED = Pattern.compile("^test stopped \\((.*)\\)\\s*$");

    PerfTestOutput {
        consumerLatencyMillis = Collections.unmodifiableMap(new LinkedHashMap<>(consumerLatencyMillis));
        requireNonNull(stopReason, "stopReason is null");
    }

    /** One latency by PerfTest's name for it ({@code median}, {@code 99th}), in milliseconds. */
    OptionalDouble latencyMillis(String name) {
        Double value = consumerLatencyMillis.get(name);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Parses PerfTest's stdout; throws when the summary's rates or its consumer latency line are missing. */
    static PerfTestOutput parse(String stdout) throws RunFailedException {
        Double sending = null;
        Double receiving = null;
        Map<String, Double> latencies = null;
        Optional<String> stopReason = Optional.empty();
        for (String line : stdout.lines().toList()) {
            Matcher rate = RATE.matcher(line);
            if (rate.matches()) {
                double value = Double.parseDouble(rate.group(2).replace(",", ""));
                if (rate.group(1).equals("sending")) {
                    sending = value;
                } else {
                    receiving = value;
                }
                continue;
            }
            Matcher latency = CONSUMER_LATENCY.matcher(line);
            if (latency.matches()) {
                latencies = latencies(line, latency.group(1), latency.group(2), latency.group(3));
                continue;
            }
            Matcher stopped = STOPPED.matcher(line);
            if (stopped.matches()) {
                stopReason = Optional.of(stopped.group(1));
            }
        }
        if (sending == null || receiving == null) {
            throw new RunFailedException("PerfTest printed no 'sending rate avg' and 'receiving rate avg' summary");
        }
        if (latencies == null) {
            throw new RunFailedException("PerfTest printed no 'consumer latency' summary");
        }
        return new PerfTestOutput(sending, receiving, latencies, stopReason);
    }

    private static Map<String, Double> latencies(String line, String names, String values, String unit)
            throws RunFailedException {
        String[] nameList = names.split("/");
        String[] valueList = values.split("/");
        if (nameList.length != valueList.length) {
            throw new RunFailedException("PerfTest's consumer latency line names " + nameList.length
                    + " values but has " + valueList.length + ": " + line);
        }
        double toMillis = millisPer(unit, line);
        Map<String, Double> latencies = new LinkedHashMap<>();
        for (int i = 0; i < nameList.length; i++) {
            latencies.put(nameList[i], Double.parseDouble(valueList[i]) * toMillis);
        }
        return latencies;
    }

    /** Microseconds print as "µs", or as "?s" or "Âµs" when PerfTest's stdout is not UTF-8. */
    private static double millisPer(String unit, String line) throws RunFailedException {
        if (unit.equals("ms")) {
            return 1;
        }
        if (unit.equals("s")) {
            return 1_000;
        }
        if (unit.endsWith("s") && unit.length() <= 3) {
            return 0.001;
        }
        throw new RunFailedException("PerfTest's consumer latency has unit '" + unit + "', not µs or ms: " + line);
    }
}
