package io.brook.http;

/** An error the SQL server reported that is not one of Brook's {@code ErrorCode}s (a bad request, a server bug). */
public final class SqlServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public SqlServerException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SqlServerException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
