package io.brook.engine.connector.file;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a partitioned file sink declares a partition complete, as Flink's filesystem sink does ({@code
 * sink.partition-commit.*}): the {@code success-file} policy writes an empty {@code _SUCCESS} file (or {@code
 * sink.partition-commit.success-file.name}) into the partition's directory. The {@code process-time} trigger (the
 * default) commits a partition once {@code sink.partition-commit.delay} (default 0) has passed since a micro-batch
 * first wrote into it; {@code partition-time} once the query's event-time watermark passes the time read from the
 * partition's values by {@code partition.time-extractor.timestamp-pattern} (e.g. {@code $dt $hm:00}; default the first
 * partition column's value) and {@code partition.time-extractor.timestamp-formatter} (default {@code yyyy-MM-dd
 * HH:mm:ss}, or a bare {@code yyyy-MM-dd}), in UTC, plus the delay. When the input ends, every partition commits. A
 * sink with no policy commits nothing: {@link #NONE}.
 */
public record PartitionCommit(
        Optional<Trigger> trigger,
        long delayMillis,
        boolean successFile,
        String successFileName,
        Optional<String> timestampPattern,
        String timestampFormatter) {

    /** What makes a partition ready to commit. */
    public enum Trigger {
        /** The processing time since a micro-batch first wrote into the partition passes the delay. */
        PROCESS_TIME,
        /** The watermark passes the partition's time plus the delay. */
        PARTITION_TIME
    }

    public static final String TRIGGER = "sink.partition-commit.trigger";
    public static final String DELAY = "sink.partition-commit.delay";
    public static final String POLICY_KIND = "sink.partition-commit.policy.kind";
    public static final String SUCCESS_FILE_NAME = "sink.partition-commit.success-file.name";
    public static final String TIMESTAMP_PATTERN = "partition.time-extractor.timestamp-pattern";
    public static final String TIMESTAMP_FORMATTER = "partition.time-extractor.timestamp-formatter";

    /** Every key this record reads, for option checks. */
    public static final Set<String> KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of(TRIGGER, DELAY, POLICY_KIND, SUCCESS_FILE_NAME, TIMESTAMP_PATTERN, TIMESTAMP_FORMATTER)));

    /** No commit policy: partitions are never marked. */
    public static final PartitionCommit NONE =
            new PartitionCommit(Optional.empty(), 0, false, "_SUCCESS", Optional.empty(), "yyyy-MM-dd HH:mm:ss");

    private static final String DEFAULT_FORMATTER = "yyyy-MM-dd HH:mm:ss";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-z]*)");
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    public PartitionCommit {
        requireNonNull(trigger, "trigger is null");
        requireNonNull(successFileName, "successFileName is null");
        requireNonNull(timestampPattern, "timestampPattern is null");
        requireNonNull(timestampFormatter, "timestampFormatter is null");
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must be >= 0, was " + delayMillis);
        }
    }

    /** Whether partitions are committed at all. */
    public boolean enabled() {
        return successFile;
    }

    /** The commit options among a writer's options (keys in any case); {@link #NONE} when no policy is given. */
    public static PartitionCommit parse(Map<String, String> raw) {
        Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        options.putAll(raw);
        String kinds = options.get(POLICY_KIND);
        boolean successFile = false;
        if (kinds != null) {
            for (String kind : kinds.split(",", -1)) {
                switch (kind.strip().toLowerCase(Locale.ROOT)) {
                    case "success-file" -> successFile = true;
                    case "metastore" ->
                        throw new BrookException(
                                ErrorCode.INVALID_OPTION,
                                POLICY_KIND + " 'metastore' needs a Hive metastore, which Brook does not have; use"
                                        + " 'success-file'");
                    default ->
                        throw new BrookException(
                                ErrorCode.INVALID_OPTION,
                                POLICY_KIND + " must be 'success-file' (a comma-separated list of policies); got '"
                                        + kinds + "'");
                }
            }
        }
        Optional<Trigger> trigger = Optional.ofNullable(options.get(TRIGGER)).map(PartitionCommit::trigger);
        long delay = Optional.ofNullable(options.get(DELAY))
                .map(PartitionCommit::durationMillis)
                .orElse(0L);
        String successFileName = options.getOrDefault(SUCCESS_FILE_NAME, "_SUCCESS");
        if (successFileName.isBlank() || successFileName.contains("/") || successFileName.contains("\\")) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    SUCCESS_FILE_NAME + " must be a file name without '/'; got '" + successFileName + "'");
        }
        String formatter = options.getOrDefault(TIMESTAMP_FORMATTER, DEFAULT_FORMATTER);
        try {
            var unused = DateTimeFormatter.ofPattern(formatter, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    TIMESTAMP_FORMATTER + " '" + formatter + "' is not a date-time pattern: " + e.getMessage(),
                    e);
        }
        if (!successFile && (trigger.isPresent() || options.containsKey(DELAY))) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    TRIGGER + " and " + DELAY + " need a commit policy: add '" + POLICY_KIND + "' = 'success-file'");
        }
        return new PartitionCommit(
                trigger,
                delay,
                successFile,
                successFileName,
                Optional.ofNullable(options.get(TIMESTAMP_PATTERN)),
                formatter);
    }

    /** The trigger in effect: process-time unless set. */
    public Trigger effectiveTrigger() {
        return trigger.orElse(Trigger.PROCESS_TIME);
    }

    /** Refuses a policy that the sink's partition columns cannot serve, naming what is missing. */
    void throwIfInvalid(List<String> partitionColumns) {
        if (!enabled()) {
            return;
        }
        if (partitionColumns.isEmpty()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    POLICY_KIND + " commits partitions; the sink has none: partition it by columns (PARTITIONED BY"
                            + " in SQL, partitionBy(...) in the Dataset API)");
        }
        if (timestampPattern.isPresent()) {
            Matcher matcher = VARIABLE.matcher(timestampPattern.get());
            while (matcher.find()) {
                if (longestColumnAt(matcher.group(1), partitionColumns).isEmpty()) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            TIMESTAMP_PATTERN + " '" + timestampPattern.get() + "' names $" + matcher.group(1)
                                    + ", which is not a partition column; the partition columns are "
                                    + String.join(", ", partitionColumns));
                }
            }
        }
    }

    private static Optional<String> longestColumnAt(String text, List<String> columns) {
        return columns.stream().filter(text::startsWith).max(Comparator.comparingInt(String::length));
    }

    /**
     * The time of a partition, in milliseconds since the epoch, from its values by column; empty when a value it
     * needs is NULL. A value that does not fit the pattern is an error naming the partition.
     */
    Optional<Long> partitionTimeMillis(Map<String, String> values) {
        String text;
        if (timestampPattern.isEmpty()) {
            text = values.values().iterator().next();
            if (text == null) {
                return Optional.empty();
            }
        } else {
            List<String> columns = new ArrayList<>(values.keySet());
            columns.sort(Comparator.comparingInt(String::length).reversed());
            text = timestampPattern.get();
            for (String column : columns) {
                if (text.contains("$" + column)) {
                    String value = values.get(column);
                    if (value == null) {
                        return Optional.empty();
                    }
                    text = text.replace("$" + column, value);
                }
            }
        }
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern(timestampFormatter, Locale.ROOT);
        try {
            LocalDateTime time;
            if (timestampFormatter.equals(DEFAULT_FORMATTER) && text.length() == 10) {
                time = LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay();
            } else {
                time = LocalDateTime.parse(text, formatter);
            }
            return Optional.of(time.toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED,
                    "cannot read the time of partition " + values + ": '" + text + "' does not match "
                            + TIMESTAMP_FORMATTER + " '" + timestampFormatter + "'",
                    e);
        }
    }

    private static Trigger trigger(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "process-time" -> Trigger.PROCESS_TIME;
            case "partition-time" -> Trigger.PARTITION_TIME;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        TRIGGER + " must be 'process-time' or 'partition-time'; got '" + value + "'");
        };
    }

    /** A duration as Flink writes them: {@code 1 min}, {@code 30s}, {@code 1 h}; a bare number is milliseconds. */
    static long durationMillis(String text) {
        Matcher matcher = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            Long unit = switch (matcher.group(2)) {
                case "", "ms", "milli", "millis", "millisecond", "milliseconds" -> 1L;
                case "s", "sec", "secs", "second", "seconds" -> 1_000L;
                case "m", "min", "mins", "minute", "minutes" -> 60_000L;
                case "h", "hour", "hours" -> 3_600_000L;
                case "d", "day", "days" -> 86_400_000L;
                default -> null;
            };
            if (unit != null) {
                return Math.multiplyExact(amount, unit);
            }
        }
        throw new BrookException(
                ErrorCode.INVALID_OPTION,
                "cannot read duration '" + text + "'; write a number and a unit (ms, s, min, h, d), e.g. '1 min'");
    }
}
