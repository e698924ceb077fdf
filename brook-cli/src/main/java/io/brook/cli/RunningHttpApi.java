package io.brook.cli;

import io.brook.http.BrookHttpServer;
import io.brook.http.SqlService;
import io.brook.push.PushService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The HTTP API that {@code brook server} runs beside its broker, with the server's shared SQL session, seen through the
 * little the command needs: its port and {@link #close()}. Tests put a fake in its place.
 */
interface RunningHttpApi extends AutoCloseable {
    /** The port the HTTP API listens on. */
    int port();

    /** Stops serving, then the push subscriptions' delivery, then the SQL session's queries and its engine. Idempotent. */
    @Override
    void close() throws Exception;

    /**
     * Starts the API on {@code host}:{@code port} over an engine (made at the first script) whose Kafka tables reach
     * {@code bootstrap} as {@code ${BOOTSTRAP}}, with each INSERT's checkpoint under {@code <dataDir>/sql/checkpoints}.
     * {@code bootstrap} is read then, so the broker can start alongside. The push subscriptions kept under {@code
     * <dataDir>/push} start delivering once {@code bootstrap} gives the broker's address.
     */
    static RunningHttpApi start(String host, int port, Supplier<String> bootstrap, Path dataDir) throws IOException {
        SqlService sql = SqlService.forBroker(bootstrap, dataDir.resolve("sql").resolve("checkpoints"));
        PushService push;
        try {
            push = PushService.start(bootstrap, dataDir);
        } catch (IOException | RuntimeException e) {
            try {
                sql.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        BrookHttpServer http;
        try {
            http = BrookHttpServer.start(host, port, sql, bootstrap, push);
        } catch (RuntimeException e) {
            try {
                push.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            try {
                sql.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
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
                    http.close();
                } finally {
                    try {
                        push.close();
                    } finally {
                        sql.close();
                    }
                }
            }
        };
    }

    /** How {@code brook server} starts its HTTP API; {@link RunningHttpApi#start} outside tests. */
    @FunctionalInterface
    interface Launcher {
        RunningHttpApi start(String host, int port, Supplier<String> bootstrap, Path dataDir) throws IOException;
    }
}
