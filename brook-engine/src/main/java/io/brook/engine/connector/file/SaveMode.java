package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.Locale;

/** What a bounded write does when its path exists already, as Spark's {@code SaveMode}. */
public enum SaveMode {
    /** Fail (the default). */
    ERROR_IF_EXISTS,
    /** Add the rows as new files beside the old ones. */
    APPEND,
    /** Delete what is there, then write. */
    OVERWRITE,
    /** Write nothing. */
    IGNORE;

    /** The mode as Spark spells it: append, overwrite, ignore, error or errorifexists; any case. */
    public static SaveMode parse(String mode) {
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "append" -> APPEND;
            case "overwrite" -> OVERWRITE;
            case "ignore" -> IGNORE;
            case "error", "errorifexists", "default" -> ERROR_IF_EXISTS;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown save mode '" + mode + "'; supported: append, overwrite, errorifexists, ignore");
        };
    }
}
