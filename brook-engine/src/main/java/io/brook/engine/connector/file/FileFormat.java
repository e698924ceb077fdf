package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Schema;
import java.util.Optional;
import java.util.Set;

/** The formats the file source and sink read and write, with the options each takes besides the common ones. */
public enum FileFormat {
    JSON("json", "json", Set.of()),
    CSV("csv", "csv", Set.of("header", "sep", "delimiter", "quote", "inferSchema", "nullValue")),
    PARQUET("parquet", "parquet", Set.of("compression")),
    /** Spark's text format: a line (or, with wholetext, a file) is a row of one string column. */
    TEXT("text", "txt", Set.of("wholetext", "lineSep"));

    private final String extension;
    private final String partFileExtension;
    private final Set<String> formatOptions;

    FileFormat(String extension, String partFileExtension, Set<String> formatOptions) {
        this.extension = extension;
        this.partFileExtension = partFileExtension;
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
                ErrorCode.INVALID_OPTION, "unknown file format '" + name + "'; supported: json, csv, parquet, text");
    }

    /** Whether {@code name} names a file format. */
    public static boolean isFileFormat(String name) {
        for (FileFormat format : values()) {
            if (format.extension.equalsIgnoreCase(name.strip())) {
                return true;
            }
        }
        return false;
    }

    /** The format's name, as in {@code format("json")}. */
    public String extension() {
        return extension;
    }

    /** The extension of the part files the sink writes: the format's name, but {@code txt} for text, as Spark's. */
    String partFileExtension() {
        return partFileExtension;
    }

    /**
     * The schema every file of this format reads as, when it does not depend on the files (text: {@code value STRING});
     * a stream of such a format needs no {@code schema(...)}.
     */
    public Optional<Schema> fixedSchema() {
        return this == TEXT ? Optional.of(PlainTextCodec.SCHEMA) : Optional.empty();
    }

    Set<String> formatOptions() {
        return formatOptions;
    }

    FormatCodec codec() {
        return switch (this) {
            case JSON -> JsonCodec.INSTANCE;
            case CSV -> CsvCodec.INSTANCE;
            case PARQUET -> ParquetCodec.INSTANCE;
            case TEXT -> PlainTextCodec.INSTANCE;
        };
    }
}
