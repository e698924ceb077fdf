package io.brook.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Produce over HTTP: {@code POST /topics/{topic}/records} with
 *
 * <pre>{@code
 * {"acks": "all", "keyFormat": "string", "valueFormat": "json",
 *  "records": [{"key": "user-1", "value": {"page": "/home"}, "partition": 0,
 *               "headers": [{"name": "source", "value": "web"}], "timestamp": 1767225600000}]}
 * }</pre>
 *
 * {@code keyFormat} and {@code valueFormat} say how keys and values are written: {@code json} (the default: the JSON
 * value's text), {@code string} (a JSON string, as UTF-8) or {@code base64} (a JSON string of base64, as its bytes). A
 * null key or value stays null. {@code acks} is 0, 1 or all (the default); each level has one shared producer, and
 * acks=all is idempotent.
 *
 * <p>A request that cannot be read at all (bad JSON, bad base64, bad acks) is 400 and nothing is sent. Otherwise each
 * record gets {@code {"partition": 0, "offset": 42}} (offset null under acks=0) or {@code {"error": {"code",
 * "message"}}}, in order; the status is 200 when all were written, 207 when some were, and the first record's error's
 * status (404 for a partition that does not exist, 413 for a record too large, 503 when the broker did not answer) when
 * none was.
 */
final class ProduceApi implements HttpRoutes {
    private final KafkaClients clients;

    ProduceApi(KafkaClients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.post("/topics/{topic}/records", this::produce);
    }

    private enum Format {
        JSON,
        STRING,
        BASE64;

        static Format parse(JsonNode body, String field) {
            String value = ApiJson.text(body, field, "json");
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "json" -> JSON;
                case "string" -> STRING;
                case "base64" -> BASE64;
                default ->
                    throw ApiException.badRequest(
                            "'" + field + "' must be json, string or base64, was '" + value + "'");
            };
        }

        byte[] encode(JsonNode value, String where) {
            if (value == null || value.isNull()) {
                return null;
            }
            return switch (this) {
                case JSON -> {
                    try {
                        yield ApiJson.MAPPER.writeValueAsBytes(value);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("cannot write JSON " + value, e);
                    }
                }
                case STRING -> {
                    if (!value.isTextual()) {
                        throw ApiException.badRequest(where + " must be a JSON string under format string, was " + value
                                + "; send a string or set the format to json");
                    }
                    yield value.asText().getBytes(StandardCharsets.UTF_8);
                }
                case BASE64 -> {
                    if (!value.isTextual()) {
                        throw ApiException.badRequest(where + " must be a base64 string under format base64, was "
                                + value + "; send base64 text or set the format to json");
                    }
                    try {
                        yield Base64.getDecoder().decode(value.asText());
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badRequest(where + " is not base64 (" + e.getMessage()
                                + "); encode the bytes with standard base64 or set the format to json or string");
                    }
                }
            };
        }
    }

    private void produce(Context ctx) {
        String topic = ctx.pathParam("topic");
        JsonNode body = ApiJson.body(ctx, false);
        KafkaClients.Acks acks = acks(body.get("acks"));
        Format keyFormat = Format.parse(body, "keyFormat");
        Format valueFormat = Format.parse(body, "valueFormat");
        JsonNode records = body.get("records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            throw ApiException.badRequest(
                    "the body needs a non-empty array 'records'; send {\"records\": [{\"value\": {\"page\": \"/\"}}]}");
        }
        // Validate every record before sending any, so that bad input never writes half a batch.
        List<ProducerRecord<byte[], byte[]>> toSend = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            toSend.add(record(topic, records.get(i), "records[" + i + "]", keyFormat, valueFormat));
        }
        int partitions = TopicsApi.describeTopic(clients, topic).partitions().size();
        KafkaProducer<byte[], byte[]> producer = clients.producer(acks);
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : toSend) {
            Integer partition = record.partition();
            if (partition != null && partition >= partitions) {
                sent.add(CompletableFuture.failedFuture(new ApiException(
                        404,
                        "PARTITION_NOT_FOUND",
                        "topic '" + topic + "' has partitions 0-" + (partitions - 1) + "; got " + partition)));
                continue;
            }
            CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
            try {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        result.complete(metadata);
                    } else {
                        result.completeExceptionally(error);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
            sent.add(result);
        }
        ArrayNode offsets = ApiJson.NODES.arrayNode();
        int failed = 0;
        ApiException firstError = null;
        for (int i = 0; i < sent.size(); i++) {
            ObjectNode node = offsets.addObject();
            try {
                RecordMetadata metadata = awaitSend(sent.get(i));
                node.put("partition", metadata.partition());
                if (metadata.hasOffset()) {
                    node.put("offset", metadata.offset());
                } else {
                    node.putNull("offset");
                }
            } catch (ApiException error) {
                failed++;
                firstError = firstError == null ? error : firstError;
                Integer partition = toSend.get(i).partition();
                if (partition != null) {
                    node.put("partition", partition);
                }
                node.set("error", ApiJson.errorNode(error.code(), error.getMessage()));
            }
        }
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("offsets", offsets);
        int status = failed == 0 ? 200 : failed < sent.size() ? 207 : firstError.httpStatus();
        ApiJson.write(ctx, status, root);
    }

    /** The record's partition and offset once the broker acknowledged it (at once under acks=0). */
    private RecordMetadata awaitSend(CompletableFuture<RecordMetadata> future) {
        try {
            // The producer gives up after its delivery timeout; this bound only guards against a lost callback.
            return future.get(clients.timeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KafkaClients.unavailable(e);
        } catch (ExecutionException e) {
            throw KafkaClients.translate(e.getCause() == null ? e : e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw KafkaClients.unavailable(e);
        }
    }

    private static KafkaClients.Acks acks(JsonNode node) {
        if (node == null || node.isNull()) {
            return KafkaClients.Acks.ALL;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw ApiException.badRequest("acks must be 0, 1 or all (-1 means all), was " + node);
        }
        return KafkaClients.Acks.parse(node.asText());
    }

    private static ProducerRecord<byte[], byte[]> record(
            String topic, JsonNode node, String where, Format keyFormat, Format valueFormat) {
        if (!node.isObject()) {
            throw ApiException.badRequest(
                    where + " must be an object like {\"key\": ..., \"value\": ...}, was " + node);
        }
        Integer partition = null;
        JsonNode partitionNode = node.get("partition");
        if (partitionNode != null && !partitionNode.isNull()) {
            if (!partitionNode.canConvertToInt() || !partitionNode.isIntegralNumber() || partitionNode.asInt() < 0) {
                throw ApiException.badRequest(where + ".partition must be an integer >= 0, was " + partitionNode
                        + "; leave it out to let the key choose");
            }
            partition = partitionNode.asInt();
        }
        Long timestamp = null;
        JsonNode timestampNode = node.get("timestamp");
        if (timestampNode != null && !timestampNode.isNull()) {
            if (!timestampNode.isIntegralNumber() || timestampNode.asLong() < 0) {
                throw ApiException.badRequest(
                        where + ".timestamp must be milliseconds since the epoch (>= 0), was " + timestampNode);
            }
            timestamp = timestampNode.asLong();
        }
        byte[] key = keyFormat.encode(node.get("key"), where + ".key");
        byte[] value = valueFormat.encode(node.get("value"), where + ".value");
        RecordHeaders headers = new RecordHeaders();
        JsonNode headersNode = node.get("headers");
        if (headersNode != null && !headersNode.isNull()) {
            if (!headersNode.isArray()) {
                throw ApiException.badRequest(
                        where + ".headers must be an array of {\"name\": ..., \"value\": ...}, was " + headersNode);
            }
            for (JsonNode header : headersNode) {
                JsonNode name = header.get("name");
                JsonNode headerValue = header.get("value");
                if (name == null
                        || !name.isTextual()
                        || (headerValue != null && !headerValue.isTextual() && !headerValue.isNull())) {
                    throw ApiException.badRequest(where + ".headers entries are {\"name\": string, \"value\":"
                            + " string or null}; got " + header);
                }
                headers.add(new RecordHeader(
                        name.asText(),
                        headerValue == null || headerValue.isNull()
                                ? null
                                : headerValue.asText().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return new ProducerRecord<>(topic, partition, timestamp, key, value, headers);
    }
}
