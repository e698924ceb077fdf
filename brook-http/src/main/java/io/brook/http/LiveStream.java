package io.brook.http;

import io.brook.engine.api.StreamingQuery;
import io.brook.sql.LiveResult;
import io.javalin.http.sse.SseClient;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Streams one live SELECT's result to one SSE client, on the request's thread: a {@code snapshot} event whenever a new
 * micro-batch changed it (and one at once), a comment every second so that a client that went away is noticed, and an
 * {@code end} event when the query ends by itself or is stopped. When the client goes away first, or the server stops,
 * the query is stopped: nobody else can see its result.
 */
final class LiveStream {
    private static final long POLL_MILLIS = 100;
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private LiveStream() {}

    /** Streams until the query ends, the client leaves or {@code serverStopping}; then releases the query. */
    static void run(
            SseClient client,
            String name,
            SqlService.LiveQuery live,
            SqlService service,
            BooleanSupplier serverStopping) {
        StreamingQuery query = live.query();
        try {
            long shownBatch = Long.MIN_VALUE;
            long heartbeatAt = System.nanoTime();
            while (!client.terminated() && !serverStopping.getAsBoolean()) {
                boolean ended = !query.isActive();
                LiveResult.Snapshot snapshot = live.result().snapshot();
                if (snapshot.batchId() != shownBatch) {
                    client.sendEvent("snapshot", SqlJson.snapshot(snapshot));
                    shownBatch = snapshot.batchId();
                } else if (System.nanoTime() - heartbeatAt >= HEARTBEAT_NANOS) {
                    client.sendComment("running");
                    heartbeatAt = System.nanoTime();
                }
                if (ended) {
                    service.awaitRunningScript();
                    client.sendEvent("end", SqlJson.end(end(live)));
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            service.release(name, live);
        }
    }

    private static LiveEnd end(SqlService.LiveQuery live) {
        StreamingQuery query = live.query();
        Throwable failure = query.exception();
        if (failure != null) {
            String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
            return new LiveEnd(LiveEnd.Status.FAILED, "query " + query.name() + " failed: " + message);
        }
        if (live.stoppedByStatement().get()) {
            return new LiveEnd(LiveEnd.Status.STOPPED, "Stopped query " + query.name() + " (STOP QUERY)");
        }
        return new LiveEnd(LiveEnd.Status.ENDED, "Query " + query.name() + " ended: it read all its input");
    }
}
