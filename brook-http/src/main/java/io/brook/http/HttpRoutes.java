package io.brook.http;

import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * A group of HTTP endpoints that {@link BrookHttpServer} registers beside its SQL routes (topics, produce, consumers,
 * groups, metrics; push subscriptions later). {@link #addTo} is called once, while the server is configured; handlers
 * then run on Jetty's request threads, concurrently. A module that holds resources is closed by whoever made it, after
 * the server stops.
 */
@FunctionalInterface
public interface HttpRoutes {
    /** Adds this module's routes (and any exception handlers of its own) to the server's router. */
    void addTo(JavalinDefaultRoutingApi routes);
}
