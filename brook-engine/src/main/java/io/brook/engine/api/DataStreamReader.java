package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.connector.KafkaSource;
import io.brook.engine.connector.KafkaSourceOptions;
import io.brook.engine.connector.RateSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Describes a stream to read, as Spark's {@code spark.readStream().format(...).option(...).load()}. */
public final class DataStreamReader {
    private final Brook session;
    private final Map<String, String> options = new LinkedHashMap<>();
    private String format;

    DataStreamReader(Brook session) {
        this.session = session;
    }

    public DataStreamReader format(String format) {
        this.format = format.toLowerCase(Locale.ROOT);
        return this;
    }

    public DataStreamReader option(String key, String value) {
        options.put(key, value);
        return this;
    }

    public DataStreamReader option(String key, long value) {
        return option(key, Long.toString(value));
    }

    public DataStreamReader options(Map<String, String> more) {
        options.putAll(more);
        return this;
    }

    public Dataset<Row> load() {
        if (format == null) {
            throw new BrookException(ErrorCode.INVALID_OPTION, "readStream() needs a format(...), e.g. \"rate\"");
        }
        return switch (format) {
            case "rate" -> session.fromSource(rate(), true, "rate");
            case "kafka" ->
                session.fromSource(new KafkaSource(KafkaSourceOptions.parse(options, true), true), true, "kafka");
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown stream format '" + format + "'; supported: rate, kafka (files are coming)");
        };
    }

    private RateSource rate() {
        long rowsPerSecond = longOption("rowsPerSecond", 1);
        for (String key : options.keySet()) {
            if (!key.equals("rowsPerSecond") && !key.equals("numPartitions")) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown option '" + key + "' for the rate source; it takes rowsPerSecond and numPartitions");
            }
        }
        return new RateSource(rowsPerSecond, System::currentTimeMillis);
    }

    private long longOption(String key, long defaultValue) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION, "option " + key + " must be a whole number > 0; got '" + value + "'");
        }
    }
}
