package io.brook.http;

import static java.util.Objects.requireNonNull;

/**
 * How a live SELECT's stream ended, the last SSE event ({@code end}): the query read all its input ({@code ENDED}), a
 * STOP QUERY from any client stopped it ({@code STOPPED}), or it failed ({@code FAILED}, with the error); {@code
 * message} is the line a shell prints about it.
 */
public record LiveEnd(Status status, String message) {
    public enum Status {
        ENDED,
        STOPPED,
        FAILED
    }

    public LiveEnd {
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }
}
