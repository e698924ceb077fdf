package io.brook.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The body of one delivery: {@code {"subscription", "topic", "partition", "records": [{"offset", "timestamp", "key",
 * "keyEncoding", "value", "valueEncoding", "headers": [{"key", "value", "valueEncoding"}]}]}}. Keys, values and header
 * values are UTF-8 text ({@code "utf8"}) when their bytes are valid UTF-8, else base64 ({@code "base64"}); a null key or
 * value is JSON null with encoding null.
 */
final class BatchJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BatchJson() {}

    static byte[] body(String subscription, String topic, int partition, List<ConsumerRecord<byte[], byte[]>> records) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("subscription", subscription);
        root.put("topic", topic);
        root.put("partition", partition);
        ArrayNode array = root.putArray("records");
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ObjectNode node = array.addObject();
            node.put("offset", record.offset());
            node.put("timestamp", record.timestamp());
            putBytes(node, "key", "keyEncoding", record.key());
            putBytes(node, "value", "valueEncoding", record.value());
            ArrayNode headers = node.putArray("headers");
            for (Header header : record.headers()) {
                ObjectNode headerNode = headers.addObject();
                headerNode.put("key", header.key());
                putBytes(headerNode, "value", "valueEncoding", header.value());
            }
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a batch of " + topic + "-" + partition, e);
        }
    }

    private static void putBytes(ObjectNode node, String field, String encodingField, byte[] bytes) {
        if (bytes == null) {
            node.putNull(field);
            node.putNull(encodingField);
            return;
        }
        String text = utf8OrNull(bytes);
        if (text != null) {
            node.put(field, text);
            node.put(encodingField, "utf8");
        } else {
            node.put(field, Base64.getEncoder().encodeToString(bytes));
            node.put(encodingField, "base64");
        }
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
