package io.brook.engine.api;

import io.brook.engine.stream.StreamExecution;
import io.brook.engine.stream.StreamingQueryProgress;
import java.util.List;
import java.util.UUID;

/** A running streaming query, as Spark's {@code StreamingQuery}: its ids, status, progress, and how to wait or stop. */
public final class StreamingQuery {
    private final StreamExecution execution;

    StreamingQuery(StreamExecution execution) {
        this.execution = execution;
    }

    /** The id kept in the checkpoint: the same across restarts. */
    public UUID id() {
        return execution.id();
    }

    /** The id of this run. */
    public UUID runId() {
        return execution.runId();
    }

    public String name() {
        return execution.name();
    }

    public String status() {
        return execution.status();
    }

    public boolean isActive() {
        return execution.isActive();
    }

    public StreamingQueryProgress lastProgress() {
        return execution.lastProgress();
    }

    public List<StreamingQueryProgress> recentProgress() {
        return execution.recentProgress();
    }

    /** Blocks until all data available in the sources now has been processed and committed. */
    public void processAllAvailable() throws InterruptedException {
        execution.processAllAvailable();
    }

    public void awaitTermination() throws InterruptedException {
        execution.awaitTermination();
    }

    public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
        return execution.awaitTermination(timeoutMillis);
    }

    public void stop() throws InterruptedException {
        execution.stop();
    }

    /** The failure that ended the query, or null. */
    public Throwable exception() {
        return execution.exception();
    }
}
