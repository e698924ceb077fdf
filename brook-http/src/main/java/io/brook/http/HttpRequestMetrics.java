package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request as {@code brook.http.requests} (Prometheus: {@code brook_http_requests_seconds_count},
 * {@code _sum}, {@code _max}) tagged {@code method}, {@code route} (the endpoint's pattern, e.g. {@code
 * /topics/{topic}}, so that topic names do not each make a series; {@code unmatched} for a path no endpoint serves) and
 * {@code status}. Streams (live topic events, live SQL results) are timed when they end.
 */
final class HttpRequestMetrics implements HttpRoutes {
    private static final String STARTED = "brook.http.started";

    private final MeterRegistry registry;

    HttpRequestMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        routes.after(this::record);
    }

    private void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        Timer.builder("brook.http.requests")
                .description("HTTP requests served, by method, route and status")
                .tag("method", ctx.method().name())
                .tag("route", endpoint == null ? "unmatched" : endpoint.path)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
}
