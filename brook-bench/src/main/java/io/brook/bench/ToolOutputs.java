package io.brook.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what Kafka 4.3's performance tools print into figure values keyed by the suffixes of {@link Run#figures()}.
 * A run whose output shows it did not finish (fewer records than asked, no summary line) throws
 * {@link RunFailedException} with the tool's own words.
 */
final class ToolOutputs {
    // ProducerPerformance's total line, e.g. "1000 records sent, 9900.990099 records/sec (0.94 MB/sec), 2.31 ms avg
    // latency, 180.00 ms max latency, 1 ms 50th, 4 ms 95th, 50 ms 99th, 180 ms 99.9th."
    private static final Pattern PRODUCER_TOTAL = Pattern.compile("(?m)^(\\d+) records sent, ([0-9.]+) records/sec "
            + "\\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency, ([0-9.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, "
            + "(\\d+) ms 99th, (\\d+) ms 99\\.9th\\.$");
    private static final String CONSUMER_HEADER = "start.time, end.time, data.consumed.in.MB, MB.sec, "
            + "data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";
    private static final Pattern LATENCY_AVERAGE = Pattern.compile("(?m)^Avg latency: ([0-9.]+) ms$");
    private static final Pattern LATENCY_PERCENTILES =
            Pattern.compile("(?m)^Percentiles: 50th = (\\d+), 99th = (\\d+), 99\\.9th = (\\d+)$");

    private ToolOutputs() {}

    /** ProducerPerformance: rps, mbps and the latency of each send from the call to its acknowledgement. */
    static Map<String, Double> producerPerformance(String stdout, long expectedRecords) throws RunFailedException {
        Matcher matcher = PRODUCER_TOTAL.matcher(stdout);
        if (!matcher.find()) {
            throw new RunFailedException("ProducerPerformance printed no summary line");
        }
        long sent = Long.parseLong(matcher.group(1));
        if (sent != expectedRecords) {
            throw new RunFailedException(
                    "only " + sent + " of " + expectedRecords + " records were acknowledged without error");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rps", Double.parseDouble(matcher.group(2)));
        values.put("mbps", Double.parseDouble(matcher.group(3)));
        values.put("avg_ms", Double.parseDouble(matcher.group(4)));
        values.put("p50_ms", Double.parseDouble(matcher.group(6)));
        values.put("p99_ms", Double.parseDouble(matcher.group(8)));
        values.put("p999_ms", Double.parseDouble(matcher.group(9)));
        return values;
    }

    /**
     * ConsumerPerformance: rps and mbps of the fetch phase (after the consumer joined its group; the tool's
     * fetch.nMsg.sec and fetch.MB.sec) and the time the group join took (rebalance.time.ms).
     */
    /** The ten fields of ConsumerPerformance's result line (start.time, end.time, ... fetch.nMsg.sec). */
    static String[] consumerPerformanceFields(String stdout) throws RunFailedException {
        List<String> lines = stdout.lines().map(String::strip).toList();
        int header = lines.indexOf(CONSUMER_HEADER);
        if (header < 0 || header + 1 >= lines.size()) {
            throw new RunFailedException("ConsumerPerformance printed no result line");
        }
        String[] fields = lines.get(header + 1).split(", ");
        if (fields.length != 10) {
            throw new RunFailedException("ConsumerPerformance result line has " + fields.length
                    + " fields, expected 10: " + lines.get(header + 1));
        }
        return fields;
    }

    static Map<String, Double> consumerPerformance(String stdout, long expectedRecords) throws RunFailedException {
        for (String line : stdout.lines().map(String::strip).toList()) {
            if (line.startsWith("WARNING: Exiting before consuming")) {
                throw new RunFailedException(line);
            }
        }
        String[] fields = consumerPerformanceFields(stdout);
        try {
            long consumed = Long.parseLong(fields[4]);
            if (consumed < expectedRecords) {
                throw new RunFailedException("consumed " + consumed + " of " + expectedRecords + " records");
            }
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("rps", Double.parseDouble(fields[9]));
            values.put("mbps", Double.parseDouble(fields[8]));
            values.put("join_ms", Double.parseDouble(fields[6]));
            return values;
        } catch (NumberFormatException e) {
            throw new RunFailedException(
                    "ConsumerPerformance result line is not numeric: " + String.join(", ", fields), e);
        }
    }

    /** EndToEndLatency: the average and percentiles of send-acknowledge-fetch round trips, one record at a time. */
    static Map<String, Double> endToEndLatency(String stdout) throws RunFailedException {
        Matcher average = LATENCY_AVERAGE.matcher(stdout);
        Matcher percentiles = LATENCY_PERCENTILES.matcher(stdout);
        if (!average.find() || !percentiles.find()) {
            throw new RunFailedException("EndToEndLatency printed no result lines");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("avg_ms", Double.parseDouble(average.group(1)));
        values.put("p50_ms", Double.parseDouble(percentiles.group(1)));
        values.put("p99_ms", Double.parseDouble(percentiles.group(2)));
        values.put("p999_ms", Double.parseDouble(percentiles.group(3)));
        return values;
    }

    /**
     * The line of a failed tool's output that says best what went wrong: the first exception or error line, else the
     * last line of stderr, else of stdout; at most 300 characters.
     */
    static String failureLine(String stderr, String stdout) {
        for (String text : List.of(stderr, stdout)) {
            for (String line : text.lines().map(String::strip).toList()) {
                if (line.contains("Exception") || line.startsWith("ERROR") || line.contains("] ERROR ")) {
                    return shorten(line);
                }
            }
        }
        for (String text : List.of(stderr, stdout)) {
            List<String> lines = text.lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty())
                    .toList();
            if (!lines.isEmpty()) {
                return shorten(lines.get(lines.size() - 1));
            }
        }
        return "no output";
    }

    private static String shorten(String line) {
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }
}
