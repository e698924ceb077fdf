package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.http.LiveEnd;
import io.brook.http.SqlHttpClient;
import io.brook.sql.LiveResult;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Follows a live query on a {@code brook server} on a thread of its own ({@code brook-sql-live-NAME}): keeps the latest
 * snapshot, hands each to a listener, and knows how the query ended. {@link #finish()} leaves the stream, which makes
 * the server stop the query; {@link #close()} does the same without waiting for the line to print. Thread-safe.
 */
final class RemoteLiveFollower implements ShellBackend.LiveView, AutoCloseable {
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final String query;
    private final AtomicReference<LiveResult.Snapshot> latest;
    private final AtomicReference<LiveEnd> end = new AtomicReference<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    private RemoteLiveFollower(SqlHttpClient client, String query, Consumer<LiveResult.Snapshot> listener) {
        this.query = requireNonNull(query, "query is null");
        this.latest = new AtomicReference<>(new LiveResult.Snapshot(List.of(), List.of(), -1, 0, false));
        this.thread = new Thread(
                () -> {
                    try {
                        end.set(client.follow(
                                query,
                                snapshot -> {
                                    latest.set(snapshot);
                                    listener.accept(snapshot);
                                },
                                stop::get));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        failure.set(e);
                    }
                },
                "brook-sql-live-" + query);
        thread.setDaemon(true);
    }

    static RemoteLiveFollower start(SqlHttpClient client, String query, Consumer<LiveResult.Snapshot> listener) {
        RemoteLiveFollower follower = new RemoteLiveFollower(client, query, listener);
        follower.thread.start();
        return follower;
    }

    @Override
    public LiveResult.Snapshot snapshot() {
        return latest.get();
    }

    /** Whether the stream is over: the query ended, or the stream broke. */
    @Override
    public boolean ended() {
        return !thread.isAlive();
    }

    /** Leaves the stream if it still runs (the server then stops the query); the line to print about the end. */
    @Override
    public String finish() throws InterruptedException {
        boolean running = thread.isAlive();
        stop.set(true);
        thread.join(JOIN_MILLIS);
        LiveEnd ended = end.get();
        if (failure.get() != null) {
            RuntimeException e = failure.get();
            return "Error: " + e.getMessage();
        }
        if (running || ended == null) {
            return "Stopped query " + query;
        }
        return ended.status() == LiveEnd.Status.FAILED ? "Error: " + ended.message() : ended.message();
    }

    /** A query on a server has no run id here: its failure comes as the stream's end. */
    @Override
    public UUID runId() {
        return null;
    }

    @Override
    public void close() {
        stop.set(true);
    }
}
