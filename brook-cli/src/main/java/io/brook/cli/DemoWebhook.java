package io.brook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.http.HttpRoutes;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's webhook receiver, {@code POST /demo/webhook} on the demo's own HTTP API: the push subscription the demo
 * creates delivers each {@code page-stats} window row to it, as it would to any receiver of the user's. It counts the
 * records and keeps the last one's value (the latest window), and answers 204; a body that is not a delivery gets 400.
 */
final class DemoWebhook implements HttpRoutes {
    static final String PATH = "/demo/webhook";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong records = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile String lastValue;

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) {
        JsonNode delivered;
        try {
            delivered = JSON.readTree(ctx.bodyAsBytes()).path("records");
        } catch (IOException e) {
            delivered = null;
        }
        if (delivered == null || !delivered.isArray()) {
            ctx.status(HttpStatus.BAD_REQUEST).result("not a push delivery: a JSON object with a \"records\" array");
            return;
        }
        if (!delivered.isEmpty()) {
            lastValue = delivered.get(delivered.size() - 1).path("value").asText(null);
        }
        records.addAndGet(delivered.size());
        batches.incrementAndGet();
        ctx.status(HttpStatus.NO_CONTENT);
    }

    /** The records received so far (a batch re-sent after a lost answer counts again: delivery is at least once). */
    long records() {
        return records.get();
    }

    long batches() {
        return batches.get();
    }

    /** The value of the last record received, or null before the first. */
    String lastValue() {
        return lastValue;
    }
}
