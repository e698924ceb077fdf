package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.Locale;
import java.util.Set;

/** The formats the file source and sink read and write, with the options each takes besides the common ones. */
public enum FileFormat {
    JSON("json", Set.of()),
    CSV("csv", Set.of("header", "sep", "delimiter", "quote", "inferSchema", "nullValue")),
    PARQUET("parquet", Set.of("compression"));

    private final String extension;
    private final Set<String> formatOptions;

    FileFormat(String extension, Set<String> formatOptions) {
        this.extension = extension;
        this.formatOptions = formatOptions;
    }

    /** The format named as in {@code format("json")}; any case. */
    public static FileFormat of(String name) {
        for (FileFormat format : values()) {
            if (format.extension.equalsIgnoreCase(name.strip())) {
                return format;
            }
        }
        throw new BrookException(
                ErrorCode.INVALID_OPTION, "unknown file format '" + name + "'; supported: json, csv, parquet");
    }

    /** Whether {@code name} names a file format. */
    public static boolean isFileFormat(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return lower.equals("json") || lower.equals("csv") || lower.equals("parquet");
    }

    public String extension() {
        return extension;
    }

    Set<String> formatOptions() {
        return formatOptions;
    }

    FormatCodec codec() {
        return switch (this) {
            case JSON -> JsonCodec.INSTANCE;
            case CSV -> CsvCodec.INSTANCE;
            case PARQUET -> ParquetCodec.INSTANCE;
        };
    }
}
