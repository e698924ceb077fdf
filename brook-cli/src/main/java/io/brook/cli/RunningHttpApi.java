package io.brook.cli;

import io.brook.http.BrookHttpServer;
import io.brook.http.ClientApi;
import io.brook.http.Dashboard;
import io.brook.http.HttpRoutes;
import io.brook.http.PushRoutes;
import io.brook.http.SqlService;
import io.brook.http.TopicEvents;
import io.brook.push.PushService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP API that {@code brook server} runs beside its broker, with the server's shared SQL session, seen through the
 * little the command needs: its port and {@link #close()}. Tests put a fake in its place.
 */
interface RunningHttpApi extends AutoCloseable {
    /** The port the HTTP API listens on. */
    int port();

    /**
     * Ends the live topic streams, stops serving, then closes the client API's consumer instances and clients, then the
     * push subscriptions' delivery, then stops the SQL session's queries and its engine. Idempotent.
     */
    @Override
    void close() throws Exception;

    /**
     * Starts the API on {@code host}:{@code port} over an engine (made at the first script) whose Kafka tables reach
     * {@code bootstrap} as {@code ${BOOTSTRAP}}, with each INSERT's checkpoint under {@code <dataDir>/sql/checkpoints};
     * the client API (topics, produce, consumers, groups, live topic streams) over the same broker, with {@code
     * /metrics} serving a registry of its own; and the push subscriptions kept under {@code <dataDir>/push}, which start
     * delivering once {@code bootstrap} gives the broker's address. {@code bootstrap} is read then, so the broker can
     * start alongside.
     */
    static RunningHttpApi start(String host, int port, Supplier<String> bootstrap, Path dataDir) throws IOException {
        return start(host, port, bootstrap, dataDir, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /** As {@link #start(String, int, Supplier, Path)}, with {@code /metrics} serving {@code metrics}. */
    static RunningHttpApi start(
            String host, int port, Supplier<String> bootstrap, Path dataDir, PrometheusMeterRegistry metrics)
            throws IOException {
        SqlService sql = SqlService.forBroker(bootstrap, dataDir.resolve("sql").resolve("checkpoints"));
        PushService push;
        try {
            push = PushService.start(bootstrap, dataDir);
        } catch (IOException | RuntimeException e) {
            closeQuietly(sql, e);
            throw e;
        }
        return start(host, port, bootstrap, metrics, sql, push, List.of());
    }

    /**
     * The API over a SQL service and push subscriptions made by the caller, which this API closes from now on (also when
     * it fails to start), with {@code extraRoutes} served beside its own.
     */
    static RunningHttpApi start(
            String host,
            int port,
            Supplier<String> bootstrap,
            PrometheusMeterRegistry metrics,
            SqlService sql,
            PushService push,
            List<HttpRoutes> extraRoutes)
            throws IOException {
        ClientApi clientApi;
        try {
            clientApi = ClientApi.create(bootstrap, metrics, ClientApi.Settings.defaults());
        } catch (RuntimeException e) {
            closeQuietly(push, e);
            closeQuietly(sql, e);
            throw e;
        }
        TopicEvents events = new TopicEvents(bootstrap);
        List<HttpRoutes> routes = new ArrayList<>(clientApi.routes());
        routes.add(events);
        routes.add(new PushRoutes(push, clientApi.metrics()));
        routes.add(new Dashboard());
        routes.addAll(extraRoutes);
        BrookHttpServer http;
        try {
            http = BrookHttpServer.start(host, port, sql, routes);
        } catch (RuntimeException e) {
            closeQuietly(clientApi, e);
            closeQuietly(push, e);
            closeQuietly(sql, e);
            throw new IOException("cannot serve HTTP on " + host + ":" + port + ": " + QueryProgress.message(e), e);
        }
        return new RunningHttpApi() {
            @Override
            public int port() {
                return http.port();
            }

            @Override
            public void close() throws Exception {
                try {
                    // Streams first: Jetty must not stop under requests they still write to.
                    events.close();
                    http.close();
                } finally {
                    try {
                        clientApi.close();
                    } finally {
                        try {
                            push.close();
                        } finally {
                            sql.close();
                        }
                    }
                }
            }
        };
    }

    private static void closeQuietly(AutoCloseable resource, Exception failure) {
        try {
            resource.close();
        } catch (Exception closing) {
            failure.addSuppressed(closing);
        }
    }

    /** How {@code brook server} starts its HTTP API; {@link RunningHttpApi#start} outside tests. */
    @FunctionalInterface
    interface Launcher {
        RunningHttpApi start(String host, int port, Supplier<String> bootstrap, Path dataDir) throws IOException;
    }
}
