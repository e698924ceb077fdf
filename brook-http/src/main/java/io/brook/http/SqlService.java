package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.Brook;
import io.brook.engine.api.StreamingQuery;
import io.brook.sql.LiveResult;
import io.brook.sql.SqlResult;
import io.brook.sql.SqlScript;
import io.brook.sql.SqlSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one SQL session, shared by every client: a catalog, settings and variables that all of them see, and the
 * continuous queries they started, which run on after a client leaves (SHOW QUERIES and STOP QUERY reach them from any
 * client). A SELECT over a stream keeps its latest rows in memory for {@code GET /sql/live/{name}}; a live query that
 * no client attaches to within the attach timeout, or whose client goes away, is stopped.
 *
 * <p>The session and its engine are made at the first script, not at start: planning's first use costs seconds that
 * the broker's start-up should not pay when nobody uses SQL. Thread-safe: scripts run one at a time (the session is
 * single-threaded); live streams read their results alongside. {@link #close()} stops every query and, when this
 * service made the engine, closes it.
 */
public final class SqlService implements AutoCloseable {
    /** Rows a live result keeps, as in the embedded shell. */
    static final int LIVE_ROWS = 20;

    private static final Logger LOGGER = LoggerFactory.getLogger(SqlService.class);

    private final Supplier<SqlSession> sessions;
    private final boolean closeEngine;
    private final Object lock = new Object();
    /** Set once, under {@link #lock}; read without it by {@link #queries()}. */
    private volatile SqlSession session;

    private final Duration attachTimeout;
    private final Map<String, LiveQuery> liveQueries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A live SELECT's query and its rows, offered to streams when its script's answer went out; {@code attached} once a
     * stream took it (it is streamed at most once).
     */
    record LiveQuery(
            StreamingQuery query,
            LiveResult result,
            long offeredNanos,
            AtomicBoolean attached,
            AtomicBoolean stoppedByStatement) {}

    private static final String STOPPED = "Stopped query ";

    /**
     * A service over the session {@code sessions} opens at the first script; it closes that session, and its engine
     * when {@code closeEngine}.
     */
    public SqlService(Supplier<SqlSession> sessions, boolean closeEngine, Duration attachTimeout) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.closeEngine = closeEngine;
        this.attachTimeout = requireNonNull(attachTimeout, "attachTimeout is null");
        this.reaper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "brook-http-live-reaper");
            thread.setDaemon(true);
            return thread;
        });
        // Its future only ends in shutdownNow(); stopUnattached catches nothing it needs to report.
        var unused = reaper.scheduleWithFixedDelay(this::stopUnattached, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * The service of {@code brook server}: a new engine whose Kafka tables reach the server's own broker through the
     * variable {@code ${BOOTSTRAP}}, with each INSERT's checkpoint under {@code checkpoints}. {@code bootstrap} is read
     * at the first script, so the broker may start alongside.
     */
    public static SqlService forBroker(Supplier<String> bootstrap, Path checkpoints) {
        requireNonNull(bootstrap, "bootstrap is null");
        String directory = checkpoints.toAbsolutePath().toString();
        Supplier<SqlSession> sessions = () -> {
            SqlSession session = new SqlSession(Brook.local());
            String servers = bootstrap.get();
            if (servers == null) {
                throw new IllegalStateException("the broker has not started yet");
            }
            session.define("BOOTSTRAP", servers);
            session.execute("SET '" + SqlSession.CHECKPOINT_DIR + "' = '" + directory.replace("'", "''") + "';");
            return session;
        };
        return new SqlService(sessions, true, Duration.ofSeconds(30));
    }

    /** The session, opened at the first call; the caller holds {@link #lock}. */
    private SqlSession session() {
        if (closed.get()) {
            throw new IllegalStateException("the SQL service is closed");
        }
        if (session == null) {
            long start = System.nanoTime();
            session = sessions.get();
            session.liveSelectToMemory(LIVE_ROWS);
            LOGGER.info("SQL session ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        return session;
    }

    /** Runs a script's statements in order; the first error stops it and is returned with the results before it. */
    ScriptResponse execute(ScriptRequest request) {
        synchronized (lock) {
            List<StatementResult> results = new ArrayList<>();
            List<SqlResult> started = new ArrayList<>();
            try {
                SqlSession session = session();
                request.variables().forEach(session::define);
                for (SqlScript.Statement statement : SqlScript.of(request.sql()).statements()) {
                    SqlResult result = session.execute(statement);
                    Optional<LiveResult> live =
                            result.query() == null ? Optional.empty() : session.liveResult(result.query());
                    if (live.isPresent()) {
                        started.add(result);
                    }
                    markStopped(result);
                    results.add(StatementResult.of(result, live.isPresent()));
                }
                return new ScriptResponse(results, null);
            } catch (RuntimeException e) {
                SqlError error = SqlError.of(e);
                if (error.httpStatus() >= 500) {
                    LOGGER.warn("SQL script failed on the server: {}", error.message(), e);
                }
                return new ScriptResponse(results, error);
            } finally {
                // The attach timeout counts from the answer, however long the statements after a live SELECT took.
                long now = System.nanoTime();
                for (SqlResult result : started) {
                    this.session
                            .liveResult(result.query())
                            .ifPresent(rows -> liveQueries.put(
                                    result.query().name(),
                                    new LiveQuery(
                                            result.query(), rows, now, new AtomicBoolean(), new AtomicBoolean())));
                }
            }
        }
    }

    /** After a STOP QUERY of a live query, its stream says so at its end instead of "ended". */
    private void markStopped(SqlResult result) {
        String message = result.message();
        if (result.query() == null && message != null && message.startsWith(STOPPED)) {
            LiveQuery live = liveQueries.get(message.substring(STOPPED.length()));
            if (live != null) {
                live.stoppedByStatement().set(true);
            }
        }
    }

    /**
     * Waits for the script running now, if any, to finish: a live query that a STOP QUERY stopped is marked so only
     * after the stop, within the same script.
     */
    void awaitRunningScript() {
        synchronized (lock) {
            // Nothing to do: holding the lock once is the wait.
        }
    }

    /**
     * The continuous queries (INSERT INTO) of the shared session, running or ended; none before the first script. It
     * does not wait for a script that runs now (the dashboard asks every few seconds).
     */
    public List<SqlSession.RunningQuery> queries() {
        SqlSession current = session;
        return current == null ? List.of() : current.queries();
    }

    /**
     * Runs {@code work} on the shared session (opened now if need be), as a script would: no script runs alongside. For
     * an embedding program (the demo) that runs its own statements on the session the HTTP API serves.
     */
    public <T> T withSession(Function<SqlSession, T> work) {
        synchronized (lock) {
            return work.apply(session());
        }
    }

    /** Takes the live query of that name for one stream; empty when there is none or another stream has it. */
    Optional<LiveQuery> attach(String name) {
        LiveQuery live = liveQueries.get(name);
        if (live == null || !live.attached().compareAndSet(false, true)) {
            return Optional.empty();
        }
        return Optional.of(live);
    }

    /** Forgets a live query whose stream ended; stops it when it still runs (its client went away). */
    void release(String name, LiveQuery live) {
        liveQueries.remove(name, live);
        stopQuietly(live.query());
    }

    private void stopUnattached() {
        long now = System.nanoTime();
        for (Map.Entry<String, LiveQuery> entry : liveQueries.entrySet()) {
            LiveQuery live = entry.getValue();
            // One that ended by itself waits too: its client may still come for the rows it left.
            boolean waitedTooLong = now - live.offeredNanos() > attachTimeout.toNanos();
            if (!live.attached().get() && waitedTooLong) {
                if (live.query().isActive()) {
                    LOGGER.info(
                            "Stopping live query {}: no client streamed it within {}",
                            live.query().name(),
                            attachTimeout);
                }
                release(entry.getKey(), live);
            }
        }
    }

    private static void stopQuietly(StreamingQuery query) {
        if (!query.isActive()) {
            return;
        }
        try {
            query.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the reaper and every query, then closes the engine if this service made it. Idempotent. */
    @Override
    public void close() throws Exception {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        reaper.shutdownNow();
        synchronized (lock) {
            if (session == null) {
                return;
            }
            try {
                session.close();
            } finally {
                if (closeEngine) {
                    session.brook().close();
                }
            }
        }
    }
}
