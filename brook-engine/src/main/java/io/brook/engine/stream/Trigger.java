package io.brook.engine.stream;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a streaming query runs its next micro-batch, as in Spark: as soon as the previous one ends (the default), at a
 * fixed processing-time interval, once, or for everything available now (in batches capped by the sources' limits)
 * and then stop.
 */
public record Trigger(Kind kind, long intervalMillis) {
    public enum Kind {
        DEFAULT,
        PROCESSING_TIME,
        ONCE,
        AVAILABLE_NOW
    }

    private static final Pattern INTERVAL = Pattern.compile("(\\d+)\\s*([a-z]+)");

    public Trigger {
        if (intervalMillis < 0) {
            throw new IllegalArgumentException("intervalMillis must be >= 0, was " + intervalMillis);
        }
    }

    public static Trigger defaultTrigger() {
        return new Trigger(Kind.DEFAULT, 0);
    }

    @SuppressWarnings("MethodName")
    public static Trigger ProcessingTime(long intervalMillis) {
        return new Trigger(intervalMillis == 0 ? Kind.DEFAULT : Kind.PROCESSING_TIME, intervalMillis);
    }

    /** An interval such as {@code "1 second"}, {@code "500 milliseconds"}, {@code "2 minutes"}. */
    @SuppressWarnings("MethodName")
    public static Trigger ProcessingTime(String interval) {
        return ProcessingTime(parseInterval(interval).toMillis());
    }

    @SuppressWarnings("MethodName")
    public static Trigger Once() {
        return new Trigger(Kind.ONCE, 0);
    }

    @SuppressWarnings("MethodName")
    public static Trigger AvailableNow() {
        return new Trigger(Kind.AVAILABLE_NOW, 0);
    }

    /** A duration written as Spark writes them: a number and a unit, e.g. {@code "10 seconds"}. */
    public static Duration parseInterval(String text) {
        Matcher matcher = INTERVAL.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "cannot read interval '" + text + "'; write a number and a unit, e.g. '10 seconds'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms", "millisecond", "milliseconds" -> Duration.ofMillis(amount);
            case "s", "second", "seconds" -> Duration.ofSeconds(amount);
            case "m", "minute", "minutes" -> Duration.ofMinutes(amount);
            case "h", "hour", "hours" -> Duration.ofHours(amount);
            case "d", "day", "days" -> Duration.ofDays(amount);
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown unit '" + matcher.group(2) + "' in '" + text
                                + "'; use milliseconds, seconds, minutes, hours or days");
        };
    }
}
