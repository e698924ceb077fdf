package io.brook.engine;

/**
 * Stable codes for what can go wrong in the engine, typed as Trino types its error codes: a USER error names what to
 * change in the query or its options; INTERNAL is a Brook bug; EXTERNAL a source, sink or file outside Brook.
 */
public enum ErrorCode {
    UNRESOLVED_COLUMN(1, Type.USER),
    INVALID_EXPRESSION(2, Type.USER),
    TYPE_MISMATCH(3, Type.USER),
    UNSUPPORTED_OPERATION(4, Type.USER),
    UNSUPPORTED_IN_STREAMING(5, Type.USER),
    INVALID_OPTION(6, Type.USER),
    INCOMPATIBLE_CHECKPOINT(7, Type.USER),
    QUERY_FAILED(0x1_0000, Type.INTERNAL),
    SOURCE_FAILED(0x3_0000, Type.EXTERNAL),
    SINK_FAILED(0x3_0001, Type.EXTERNAL),
    CHECKPOINT_FAILED(0x3_0002, Type.EXTERNAL);

    /** Who has to act. */
    public enum Type {
        USER,
        INTERNAL,
        RESOURCE,
        EXTERNAL
    }

    private final int code;
    private final Type type;

    ErrorCode(int code, Type type) {
        this.code = code;
        this.type = type;
    }

    public int code() {
        return code;
    }

    public Type type() {
        return type;
    }
}
