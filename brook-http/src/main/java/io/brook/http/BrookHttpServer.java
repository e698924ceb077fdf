package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.brook.push.PushService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brook's HTTP API (Javalin on Jetty). Today it serves SQL over the server's shared session ({@link SqlService}):
 *
 * <ul>
 *   <li>{@code POST /sql} with {@code {"sql": "...", "variables": {...}}} runs the script's statements in order and
 *       answers {@link ScriptResponse}'s JSON: 200 when all ran; when one failed, the results before it and its {@link
 *       SqlError}, with 400 for a mistake in the SQL or the request and 500 for a failure inside Brook.
 *   <li>{@code GET /sql/live/{name}} streams the live result of a SELECT over a stream that {@code POST /sql} started
 *       (kind {@code live}) as Server-Sent Events ({@code snapshot}, then {@code end}); when the client disconnects, the
 *       query is stopped. 404 when there is no such live query, or another client streams it already.
 *   <li>{@code GET /topics/{topic}/events?from=earliest|latest|OFFSET} streams a topic's records live as Server-Sent
 *       Events, resumable with {@code Last-Event-ID} ({@link TopicEvents}).
 *   <li>{@code GET /queries} and {@code GET /queries/{name}}: the session's continuous queries and their progress
 *       ({@link QueriesApi}).
 * </ul>
 *
 * <p>Anything else is 404, a known path with another method 405, both with an {@code error} in the same JSON. Later
 * issues add push delivery and the dashboard here. Starts at {@link #start}, serves on Jetty's threads until {@link
 * #close()}, which is idempotent and leaves the {@link SqlService} to its owner.
 */
public final class BrookHttpServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrookHttpServer.class);
    private static final String JSON = "application/json";

    /** How long {@link #close} waits for open event streams to end (they notice {@code stopping} within 200 ms). */
    private static final long STREAMS_END_MILLIS = 2_000;

    private final Javalin javalin;
    private final AtomicBoolean stopping;
    private final AtomicInteger openStreams;

    private BrookHttpServer(Javalin javalin, AtomicBoolean stopping, AtomicInteger openStreams) {
        this.javalin = javalin;
        this.stopping = stopping;
        this.openStreams = openStreams;
    }

    /** What the topic endpoints reach when the server has no broker (tests of SQL alone). */
    private static final Supplier<String> NO_BROKER = () -> {
        throw new IllegalStateException("this HTTP API has no broker; start it with brook server");
    };

    /** Starts serving SQL only, with no broker behind the topic endpoints and no push subscriptions. */
    public static BrookHttpServer start(String host, int port, SqlService sql) {
        return start(host, port, sql, NO_BROKER, null);
    }

    /** Starts serving SQL and the topic endpoints over the broker at {@code bootstrap}, without push subscriptions. */
    public static BrookHttpServer start(String host, int port, SqlService sql, Supplier<String> bootstrap) {
        return start(host, port, sql, bootstrap, null);
    }

    /**
     * Starts serving on {@code host}:{@code port} (0 picks a free port, see {@link #port()}); the topic endpoints reach
     * the broker at {@code bootstrap} (read at each request, so the broker can start alongside), and the push
     * subscription endpoints ({@link PushRoutes}) are served over {@code push} when it is not null.
     */
    public static BrookHttpServer start(
            String host, int port, SqlService sql, Supplier<String> bootstrap, PushService push) {
        requireNonNull(host, "host is null");
        requireNonNull(bootstrap, "bootstrap is null");
        requireNonNull(sql, "sql is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        // Live streams hold their request threads; they end when this is set, so that stopping does not wait on them.
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger openStreams = new AtomicInteger();
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.post("/sql", ctx -> executeScript(ctx, sql));
            config.routes.get("/sql/live/{name}", ctx -> streamLive(ctx, sql, stopping));
            config.routes.get(
                    "/topics/{topic}/events", ctx -> TopicEvents.handle(ctx, bootstrap, stopping::get, openStreams));
            config.routes.get("/queries", ctx -> QueriesApi.list(ctx, sql));
            config.routes.get("/queries/{name}", ctx -> QueriesApi.get(ctx, sql));
            config.routes.exception(NotFoundException.class, (e, ctx) -> error(ctx, SqlError.notFound(e.getMessage())));
            if (push != null) {
                PushRoutes.register(config.routes, push);
            }
            config.routes.exception(
                    BadRequestException.class, (e, ctx) -> error(ctx, SqlError.badRequest(e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String path;
                try {
                    path = ctx.path();
                } catch (RuntimeException gone) {
                    // An event stream whose client left: Jetty has recycled the request, there is no one to answer.
                    LOGGER.debug("a request ended after its client left: {}", e.toString());
                    return;
                }
                LOGGER.warn("HTTP {} {} failed", ctx.method(), path, e);
                error(ctx, SqlError.of(e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e)));
            });
            config.routes.error(404, ctx -> {
                // Javalin's own 404 is plain text; a handler's (an unknown live query) is JSON already.
                String result = ctx.result();
                if (result == null || !result.startsWith("{")) {
                    error(ctx, SqlError.notFound("no endpoint " + ctx.path() + "; try POST /sql"));
                }
            });
            config.routes.error(
                    405,
                    ctx -> error(ctx, SqlError.methodNotAllowed(ctx.method() + " is not allowed on " + ctx.path())));
        });
        javalin.start();
        LOGGER.info("HTTP API on http://{}:{}", host, javalin.port());
        return new BrookHttpServer(javalin, stopping, openStreams);
    }

    /** The port the server listens on. */
    public int port() {
        return javalin.port();
    }

    private static void executeScript(Context ctx, SqlService sql) {
        ScriptRequest request = SqlJson.readRequest(ctx.body());
        ScriptResponse response = sql.execute(request);
        ctx.status(response.error() == null ? 200 : response.error().httpStatus());
        ctx.contentType(JSON).result(SqlJson.response(response));
    }

    private static void streamLive(Context ctx, SqlService sql, AtomicBoolean stopping) throws Exception {
        String name = ctx.pathParam("name");
        Optional<SqlService.LiveQuery> live = sql.attach(name);
        if (live.isEmpty()) {
            error(
                    ctx,
                    SqlError.notFound(
                            "no live query '" + name + "' waiting for a stream; a SELECT over a stream started by"
                                    + " POST /sql can be streamed once"));
            return;
        }
        new SseHandler(client -> LiveStream.run(client, name, live.get(), sql, stopping::get)).handle(ctx);
    }

    private static void error(Context ctx, SqlError error) {
        ctx.status(error.httpStatus());
        ctx.contentType(JSON).result(SqlJson.errorOnly(error));
    }

    /** Stops serving; open live streams end and their queries are stopped. Idempotent. */
    @Override
    public void close() {
        stopping.set(true);
        // Streams end on their own threads; stopping Jetty under them would recycle requests they still write to.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(STREAMS_END_MILLIS);
        while (openStreams.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        javalin.stop();
    }
}
