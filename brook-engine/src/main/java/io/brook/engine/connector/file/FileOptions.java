package io.brook.engine.connector.file;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.plan.Names;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The options of a file source or sink, parsed once from the user's map. Keys are matched in any case, as Spark does;
 * an unknown key is refused with the closest known one. Values: {@code mode} PERMISSIVE (default), DROPMALFORMED or
 * FAILFAST; CSV {@code header} (false), {@code sep} (","), {@code quote} ("\""), {@code inferSchema} (false),
 * {@code nullValue} (""); Parquet {@code compression} (snappy; or none, uncompressed, gzip, lz4_raw, zstd) for
 * writing; text {@code wholetext} (false) for reading and {@code lineSep} (reading: any of \n, \r\n and \r; writing:
 * \n); streaming {@code maxFilesPerTrigger} and {@code latestFirst} (false).
 */
public record FileOptions(
        FileFormat format,
        ParseMode mode,
        boolean header,
        char separator,
        char quote,
        boolean inferSchema,
        String nullValue,
        Optional<Long> maxFilesPerTrigger,
        boolean latestFirst,
        Optional<String> path,
        String compression,
        boolean wholeText,
        Optional<String> lineSeparator) {

    /** What a reader does with a record that is not valid JSON or CSV, or a value that does not fit its column. */
    public enum ParseMode {
        /** The bad value (or the whole bad record) becomes NULL. */
        PERMISSIVE,
        /** A bad record is dropped. */
        DROPMALFORMED,
        /** The first bad record fails the read, naming the file and line. */
        FAILFAST
    }

    /** The Parquet compression codecs Brook writes, by their Spark names; none is uncompressed. */
    public static final Set<String> COMPRESSIONS = Collections.unmodifiableSet(
            new LinkedHashSet<>(List.of("none", "uncompressed", "snappy", "gzip", "lz4_raw", "zstd")));

    private static final Set<String> COMMON_READ = Set.of("path", "mode", "maxFilesPerTrigger", "latestFirst");
    private static final Set<String> COMMON_WRITE = Set.of("path", "checkpointLocation");

    public FileOptions {
        requireNonNull(format, "format is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(nullValue, "nullValue is null");
        requireNonNull(maxFilesPerTrigger, "maxFilesPerTrigger is null");
        requireNonNull(path, "path is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(lineSeparator, "lineSeparator is null");
    }

    /** Options of {@code read()} or {@code readStream()}. */
    public static FileOptions forRead(FileFormat format, Map<String, String> options) {
        return parse(format, options, COMMON_READ, "source");
    }

    /**
     * Options of {@code write()} or {@code writeStream()}; {@code alsoAllowed} are the writer's own keys (e.g. a
     * trigger's read limits) that the sink ignores.
     */
    public static FileOptions forWrite(FileFormat format, Map<String, String> options, Set<String> alsoAllowed) {
        Set<String> allowed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        allowed.addAll(COMMON_WRITE);
        allowed.addAll(alsoAllowed);
        return parse(format, options, allowed, "sink");
    }

    private static FileOptions parse(FileFormat format, Map<String, String> raw, Set<String> common, String role) {
        Set<String> known = new TreeSet<>(common);
        known.addAll(format.formatOptions());
        Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> entry : raw.entrySet()) {
            throwIfUnknown(format, role, entry.getKey(), known);
            options.put(entry.getKey(), requireNonNull(entry.getValue(), "value of option " + entry.getKey()));
        }
        return new FileOptions(
                format,
                mode(options.get("mode")),
                bool(options, "header"),
                character(options, format == FileFormat.CSV ? separatorKey(options) : "sep", ','),
                character(options, "quote", '"'),
                bool(options, "inferSchema"),
                options.getOrDefault("nullValue", ""),
                Optional.ofNullable(options.get("maxFilesPerTrigger"))
                        .map(value -> positive("maxFilesPerTrigger", value)),
                bool(options, "latestFirst"),
                Optional.ofNullable(options.get("path")),
                compression(options.get("compression")),
                bool(options, "wholetext"),
                lineSeparator(options.get("lineSep")));
    }

    private static void throwIfUnknown(FileFormat format, String role, String key, Set<String> known) {
        for (String candidate : known) {
            if (candidate.equalsIgnoreCase(key)) {
                return;
            }
        }
        throw new BrookException(
                ErrorCode.INVALID_OPTION,
                "unknown option '" + key + "' for the " + format.extension() + " " + role + Names.didYouMean(key, known)
                        + " (it takes " + String.join(", ", known) + ")");
    }

    private static String separatorKey(Map<String, String> options) {
        return options.containsKey("sep") || !options.containsKey("delimiter") ? "sep" : "delimiter";
    }

    private static ParseMode mode(String value) {
        if (value == null) {
            return ParseMode.PERMISSIVE;
        }
        try {
            return ParseMode.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "option mode must be PERMISSIVE, DROPMALFORMED or FAILFAST; got '" + value + "'",
                    e);
        }
    }

    private static String compression(String value) {
        if (value == null) {
            return "snappy";
        }
        String name = value.strip().toLowerCase(Locale.ROOT);
        if (!COMPRESSIONS.contains(name)) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "option compression must be one of " + String.join(", ", COMPRESSIONS) + "; got '" + value + "'");
        }
        return name;
    }

    private static Optional<String> lineSeparator(String value) {
        if (value != null && value.isEmpty()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "option lineSep cannot be an empty string; leave it out for the default (reading: \\n, \\r\\n or"
                            + " \\r; writing: \\n)");
        }
        return Optional.ofNullable(value);
    }

    private static boolean bool(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION, "option " + key + " must be true or false; got '" + value + "'");
        };
    }

    private static char character(Map<String, String> options, String key, char defaultValue) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        String unescaped = value.equals("\\t") ? "\t" : value;
        if (unescaped.length() != 1 || unescaped.charAt(0) == '\n' || unescaped.charAt(0) == '\r') {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "option " + key + " must be one character other than a line break; got '" + value + "'");
        }
        return unescaped.charAt(0);
    }

    private static long positive(String key, String value) {
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BrookException(ErrorCode.INVALID_OPTION, key + " must be a whole number > 0; got '" + value + "'");
    }
}
