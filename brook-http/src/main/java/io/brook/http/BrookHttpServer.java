package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * </ul>
 *
 * <p>It also serves {@code GET /queries} and {@code GET /queries/{name}}, the session's continuous queries with their
 * progress ({@link QueriesApi}). Route modules ({@link HttpRoutes}) add more: {@link ClientApi}'s topics, produce,
 * consumers, groups and {@code /metrics}; {@link TopicEvents}' live topic streams; {@link PushRoutes}' push
 * subscriptions. Anything else is 404, a known path with another method 405, both with an {@code error} in the same JSON. Starts at
 * {@link #start}, serves on Jetty's threads until {@link #close()}, which is idempotent and leaves the {@link SqlService}
 * to its owner.
 */
public final class BrookHttpServer implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrookHttpServer.class);
    private static final String JSON = "application/json";
    /** The largest request body: a produce batch of a few MB of JSON, well above Kafka's 1 MB per produce request. */
    static final long MAX_REQUEST_BYTES = 16L << 20;

    private final Javalin javalin;
    private final AtomicBoolean stopping;

    private BrookHttpServer(Javalin javalin, AtomicBoolean stopping) {
        this.javalin = javalin;
        this.stopping = stopping;
    }

    /** Starts serving SQL only on {@code host}:{@code port} (0 picks a free port, see {@link #port()}). */
    public static BrookHttpServer start(String host, int port, SqlService sql) {
        return start(host, port, sql, List.of());
    }

    /**
     * Starts serving SQL and the routes of {@code modules} (e.g. {@link ClientApi#routes()}) on {@code host}:{@code
     * port}; the modules stay their caller's to close.
     */
    public static BrookHttpServer start(String host, int port, SqlService sql, List<HttpRoutes> modules) {
        requireNonNull(host, "host is null");
        requireNonNull(sql, "sql is null");
        List<HttpRoutes> routeModules = List.copyOf(modules);
        String hint = routeModules.isEmpty()
                ? "POST /sql"
                : "POST /sql, GET /topics, GET /groups or GET /metrics (README's \"HTTP API\" lists the endpoints)";
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        // Live streams hold their request threads; they end when this is set, so that stopping does not wait on them.
        AtomicBoolean stopping = new AtomicBoolean();
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jetty.host = host;
            config.jetty.port = port;
            config.routes.post("/sql", ctx -> executeScript(ctx, sql));
            config.routes.get("/sql/live/{name}", ctx -> streamLive(ctx, sql, stopping));
            config.routes.get("/queries", ctx -> QueriesApi.list(ctx, sql));
            config.routes.get("/queries/{name}", ctx -> QueriesApi.get(ctx, sql));
            routeModules.forEach(module -> module.addTo(config.routes));
            config.routes.exception(ApiException.class, (e, ctx) -> ApiJson.error(ctx, e));
            config.routes.exception(
                    BadRequestException.class, (e, ctx) -> error(ctx, SqlError.badRequest(e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String path;
                try {
                    path = ctx.path();
                } catch (RuntimeException gone) {
                    // A stream whose client left: Jetty has recycled the request, there is no one to answer.
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
                    error(ctx, SqlError.notFound("no endpoint " + ctx.path() + "; try " + hint));
                }
            });
            config.routes.error(413, ctx -> {
                // Jetty's answer to a body over the limit is plain text; a handler's (a record too large) is JSON.
                String result = ctx.result();
                if (result == null || !result.startsWith("{")) {
                    ApiJson.error(
                            ctx,
                            new ApiException(
                                    413,
                                    "REQUEST_TOO_LARGE",
                                    "the request body is over " + MAX_REQUEST_BYTES + " bytes; send smaller batches"));
                }
            });
            config.routes.error(
                    405,
                    ctx -> error(ctx, SqlError.methodNotAllowed(ctx.method() + " is not allowed on " + ctx.path())));
        });
        javalin.start();
        LOGGER.info("HTTP API on http://{}:{}", host, javalin.port());
        return new BrookHttpServer(javalin, stopping);
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
        javalin.stop();
    }
}
