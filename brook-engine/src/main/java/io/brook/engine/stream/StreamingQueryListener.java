package io.brook.engine.stream;

import java.util.UUID;

/**
 * Hears about streaming queries: started, a progress report per micro-batch, terminated (with the failure, if any).
 * Called on the query's own thread, so a listener must be quick and must not block.
 */
public interface StreamingQueryListener {
    default void onQueryStarted(UUID id, UUID runId, String name) {}

    default void onQueryProgress(StreamingQueryProgress progress) {}

    default void onQueryTerminated(UUID id, UUID runId, Throwable exception) {}
}
