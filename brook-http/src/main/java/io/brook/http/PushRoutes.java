package io.brook.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.push.DeliveryError;
import io.brook.push.PartitionLag;
import io.brook.push.PushException;
import io.brook.push.PushService;
import io.brook.push.SubscriptionSpec;
import io.brook.push.SubscriptionStatus;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * The push-subscription endpoints of the HTTP API, over a {@link PushService}:
 *
 * <ul>
 *   <li>{@code POST /push/subscriptions} with {@code {"name", "topic", "url", "batchMaxRecords", "batchMaxWaitMs",
 *       "maxAttempts", "deadLetterTopic", "secret"}} (the last five optional) creates one: 201 with its status;
 *   <li>{@code GET /push/subscriptions} lists them; {@code GET /push/subscriptions/{name}} describes one with its lag;
 *   <li>{@code POST /push/subscriptions/{name}/pause} and {@code .../resume}; {@code DELETE /push/subscriptions/{name}}
 *       (204).
 * </ul>
 *
 * <p>A status is {@code {"name", "topic", "url", "group", "batchMaxRecords", "batchMaxWaitMs", "maxAttempts",
 * "deadLetterTopic", "signed", "state", "delivered", "retries", "deadLettered", "inFlight", "lastError": {"time",
 * "status", "message"} | null, "lag", "partitions": [{"partition", "committed", "end", "lag"}]}}; the secret is never
 * shown. Errors are {@code {"error": {"code", "message"}}} with 400 (bad input, unknown topic), 404 (no such
 * subscription), 409 (name taken) or 503 (broker not reachable).
 */
public final class PushRoutes implements HttpRoutes {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json";
    private static final String PATH = "/push/subscriptions";
    private static final Set<String> FIELDS = Set.of(
            "name", "topic", "url", "batchMaxRecords", "batchMaxWaitMs", "maxAttempts", "deadLetterTopic", "secret");

    private final PushService push;

    /** The endpoints over {@code push}, which stays its caller's to close. */
    public PushRoutes(PushService push) {
        this.push = java.util.Objects.requireNonNull(push, "push is null");
    }

    /** The endpoints over {@code push}, with its figures in {@code metrics}' {@code /metrics}. */
    public PushRoutes(PushService push, MetricsApi metrics) {
        this(push);
        PushMetricsExporter.register(push, metrics);
    }

    /** Adds the endpoints and the mapping of {@link PushException} to its status and JSON error. */
    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.post(PATH, ctx -> respond(ctx, 201, status(push.create(readSpec(ctx.body())))));
        routes.get(PATH, ctx -> {
            ArrayNode array = MAPPER.createArrayNode();
            push.list().forEach(status -> array.add(status(status)));
            ObjectNode root = MAPPER.createObjectNode();
            root.set("subscriptions", array);
            respond(ctx, 200, root);
        });
        routes.get(PATH + "/{name}", ctx -> respond(ctx, 200, status(push.describe(ctx.pathParam("name")))));
        routes.post(PATH + "/{name}/pause", ctx -> respond(ctx, 200, status(push.pause(ctx.pathParam("name")))));
        routes.post(PATH + "/{name}/resume", ctx -> respond(ctx, 200, status(push.resume(ctx.pathParam("name")))));
        routes.delete(PATH + "/{name}", ctx -> {
            push.delete(ctx.pathParam("name"));
            ctx.status(204);
        });
        routes.exception(PushException.class, (e, ctx) -> {
            ObjectNode root = MAPPER.createObjectNode();
            ObjectNode error = root.putObject("error");
            error.put("code", e.code().name());
            error.put("message", e.getMessage());
            respond(ctx, e.code().httpStatus(), root);
        });
    }

    /** A create request's body, checked field by field. */
    static SubscriptionSpec readSpec(String body) {
        String example =
                "send {\"name\": \"orders-hook\", \"topic\": \"orders\", \"url\": \"http://127.0.0.1:9000/hook\"}";
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw invalid("the body is not JSON: " + e.getOriginalMessage() + "; " + example);
        }
        if (node == null || !node.isObject()) {
            throw invalid("the body is not a JSON object; " + example);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid("unknown field '" + name + "'; the fields are " + String.join(", ", sorted(FIELDS)));
            }
        }
        return new SubscriptionSpec(
                requiredText(node, "name", example),
                requiredText(node, "topic", example),
                requiredText(node, "url", example),
                (int) number(node, "batchMaxRecords", SubscriptionSpec.DEFAULT_BATCH_MAX_RECORDS),
                number(node, "batchMaxWaitMs", SubscriptionSpec.DEFAULT_BATCH_MAX_WAIT_MS),
                (int) number(node, "maxAttempts", SubscriptionSpec.DEFAULT_MAX_ATTEMPTS),
                optionalText(node, "deadLetterTopic"),
                optionalText(node, "secret"));
    }

    private static String requiredText(JsonNode node, String field, String example) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid("the body has no string field '" + field + "'; " + example);
        }
        return value.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid("'" + field + "' must be a string; got " + value);
        }
        return Optional.of(value.asText());
    }

    private static long number(JsonNode node, String field, long defaultValue) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid("'" + field + "' must be a whole number; got " + value);
        }
        return value.asLong();
    }

    private static PushException invalid(String message) {
        return new PushException(PushException.Code.INVALID_ARGUMENT, message);
    }

    private static java.util.List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    static ObjectNode status(SubscriptionStatus status) {
        SubscriptionSpec spec = status.spec();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", spec.name());
        node.put("topic", spec.topic());
        node.put("url", spec.url());
        node.put("group", spec.groupId());
        node.put("batchMaxRecords", spec.batchMaxRecords());
        node.put("batchMaxWaitMs", spec.batchMaxWaitMs());
        node.put("maxAttempts", spec.maxAttempts());
        if (spec.deadLetterTopic().isPresent()) {
            node.put("deadLetterTopic", spec.deadLetterTopic().get());
        } else {
            node.putNull("deadLetterTopic");
        }
        node.put("signed", spec.secret().isPresent());
        node.put("state", status.state().name());
        node.put("delivered", status.delivered());
        node.put("retries", status.retries());
        node.put("deadLettered", status.deadLettered());
        node.put("inFlight", status.inFlight());
        if (status.lastError().isPresent()) {
            DeliveryError error = status.lastError().get();
            ObjectNode last = node.putObject("lastError");
            last.put("time", error.time().toString());
            last.put("status", error.status());
            last.put("message", error.message());
        } else {
            node.putNull("lastError");
        }
        node.put("lag", status.lag());
        ArrayNode partitions = node.putArray("partitions");
        for (PartitionLag lag : status.partitions()) {
            ObjectNode partition = partitions.addObject();
            partition.put("partition", lag.partition());
            partition.put("committed", lag.committed());
            partition.put("end", lag.end());
            partition.put("lag", lag.lag());
        }
        return node;
    }

    private static void respond(Context ctx, int status, JsonNode body) {
        ctx.status(status);
        ctx.contentType(JSON).result(body.toString());
    }
}
