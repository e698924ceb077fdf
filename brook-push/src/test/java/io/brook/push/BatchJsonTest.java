package io.brook.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class BatchJsonTest {
    @Test
    void writesTextAsUtf8AndOtherBytesAsBase64WithTheirEncoding() {
        // Given
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        headers.add("raw", new byte[] {(byte) 0xff});
        ConsumerRecord<byte[], byte[]> text = new ConsumerRecord<>(
                "orders",
                2,
                41,
                1_764_640_800_000L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                "user-7".getBytes(StandardCharsets.UTF_8),
                "héllo".getBytes(StandardCharsets.UTF_8),
                headers,
                Optional.empty());
        ConsumerRecord<byte[], byte[]> binary = new ConsumerRecord<>(
                "orders",
                2,
                42,
                1_764_640_800_001L,
                TimestampType.CREATE_TIME,
                -1,
                -1,
                null,
                new byte[] {0, 1, 2, (byte) 0xff},
                new RecordHeaders(),
                Optional.empty());

        // When
        String body = new String(BatchJson.body("hook", "orders", 2, List.of(text, binary)), StandardCharsets.UTF_8);

        // Then
        assertThat(body)
                .isEqualTo("{\"subscription\":\"hook\",\"topic\":\"orders\",\"partition\":2,\"records\":["
                        + "{\"offset\":41,\"timestamp\":1764640800000,\"key\":\"user-7\",\"keyEncoding\":\"utf8\","
                        + "\"value\":\"héllo\",\"valueEncoding\":\"utf8\",\"headers\":["
                        + "{\"key\":\"trace\",\"value\":\"abc\",\"valueEncoding\":\"utf8\"},"
                        + "{\"key\":\"raw\",\"value\":\"/w==\",\"valueEncoding\":\"base64\"}]},"
                        + "{\"offset\":42,\"timestamp\":1764640800001,\"key\":null,\"keyEncoding\":null,"
                        + "\"value\":\"AAEC/w==\",\"valueEncoding\":\"base64\",\"headers\":[]}]}");
    }
}
