package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.Locale;

/**
 * What a streaming query writes to its sink after each micro-batch, as in Spark: APPEND only new rows that will never
 * change, UPDATE the rows that changed in this batch, COMPLETE the whole result table.
 */
public enum OutputMode {
    APPEND,
    UPDATE,
    COMPLETE;

    /** Spark's spelling, {@code OutputMode.Append()}. */
    @SuppressWarnings("MethodName")
    public static OutputMode Append() {
        return APPEND;
    }

    @SuppressWarnings("MethodName")
    public static OutputMode Update() {
        return UPDATE;
    }

    @SuppressWarnings("MethodName")
    public static OutputMode Complete() {
        return COMPLETE;
    }

    /** "append", "update" or "complete", in any case. */
    public static OutputMode parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT).strip()) {
            case "append" -> APPEND;
            case "update" -> UPDATE;
            case "complete" -> COMPLETE;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION, "unknown output mode '" + name + "'; use append, update or complete");
        };
    }
}
