package io.brook.http;

import static java.util.Objects.requireNonNull;

/**
 * How a live SELECT's stream ended, the last SSE event ({@code end}): the query ended without an error ({@code
 * ENDED}: it read all its input, or a STOP QUERY stopped it) or failed ({@code FAILED}, with the error); {@code message}
 * is the line a shell prints about it.
 */
public record LiveEnd(Status status, String message) {
    public enum Status {
        ENDED,
        FAILED
    }

    public LiveEnd {
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }
}
