package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookBatchTest {
    @Test
    void valueStartsWithTheSendTimeAndIsPaddedToItsSize() {
        // When
        byte[] value = WebhookBatch.value(123456789L, 32);

        // Then
        assertThat(value).hasSize(32);
        assertThat(new String(value, UTF_8)).isEqualTo("123456789|" + "x".repeat(22));
    }

    @Test
    void valueTooSmallForItsStampIsRefused() {
        assertThatThrownBy(() -> WebhookBatch.value(123456789L, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a value of 5 bytes cannot hold the stamp 123456789");
    }

    @Test
    void brookBatchGivesPartitionOffsetsAndSendTimes() {
        // Given: a body as Brook's BatchJson writes it, headers and all
        String body = "{\"subscription\":\"bench-latency\",\"topic\":\"push-bench-latency\",\"partition\":2,"
                + "\"records\":[{\"offset\":41,\"timestamp\":1764640800000,\"key\":null,\"keyEncoding\":null,"
                + "\"value\":\"-17|xxxx\",\"valueEncoding\":\"utf8\",\"headers\":[{\"key\":\"k\",\"value\":\"v\","
                + "\"valueEncoding\":\"utf8\"}]},{\"offset\":42,\"timestamp\":1764640800001,\"key\":\"a\","
                + "\"keyEncoding\":\"utf8\",\"value\":\"900|\",\"valueEncoding\":\"utf8\",\"headers\":[]}]}";

        // When
        WebhookBatch batch = WebhookBatch.parse(body.getBytes(UTF_8));

        // Then
        assertThat(batch.partition()).isEqualTo(2);
        assertThat(batch.offsets()).containsExactly(41, 42);
        assertThat(batch.sendNanos()).containsExactly(-17, 900);
    }

    @Test
    void manyRecordsGrowTheArrays() {
        // Given
        StringBuilder body = new StringBuilder("{\"partition\":0,\"records\":[");
        for (int i = 0; i < 500; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"offset\":")
                    .append(i)
                    .append(",\"value\":\"")
                    .append(i * 10)
                    .append("|x\"}");
        }
        body.append("]}");

        // When
        WebhookBatch batch = WebhookBatch.parse(body.toString().getBytes(UTF_8));

        // Then
        assertThat(batch.size()).isEqualTo(500);
        assertThat(batch.offsets()[499]).isEqualTo(499);
        assertThat(batch.sendNanos()[499]).isEqualTo(4990);
    }

    @Test
    void valueWithoutSendTimeIsRefused() {
        String body =
                "{\"partition\":0,\"records\":[{\"offset\":7,\"value\":\"AAEC/w==\",\"valueEncoding\":\"base64\"}]}";

        assertThatThrownBy(() -> WebhookBatch.parse(body.getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of offset 7 does not start with a send time and '|': AAEC/w==");
    }

    @Test
    void bodyWithoutPartitionIsRefused() {
        assertThatThrownBy(() -> WebhookBatch.parse("{\"records\":[]}".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the body has no partition");
    }

    @Test
    void bodyThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> WebhookBatch.parse("<html>".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the body is not JSON: ");
    }
}
