package io.brook.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The part of one push delivery that the benchmark reads: the partition and, per record, its offset and the send time
 * that the producer wrote at the start of the value ({@link #value}: {@code System.nanoTime()} digits, a {@code '|'},
 * then padding). The body is Brook's batch JSON ({@code {"subscription", "topic", "partition", "records": [{"offset",
 * "value", "valueEncoding", ...}]}}); other fields are skipped, so the parser reads one pass of tokens and no tree.
 */
record WebhookBatch(int partition, long[] offsets, long[] sendNanos) {
    private static final JsonFactory JSON = new JsonFactory();

    WebhookBatch {
        if (offsets.length != sendNanos.length) {
            throw new IllegalArgumentException(
                    "offsets has " + offsets.length + " entries, sendNanos " + sendNanos.length);
        }
    }

    int size() {
        return offsets.length;
    }

    /** A value of {@code size} ASCII bytes that starts with {@code sendNanos}; the rest is padding. */
    static byte[] value(long sendNanos, int size) {
        byte[] stamp = (sendNanos + "|").getBytes(StandardCharsets.US_ASCII);
        if (stamp.length > size) {
            throw new IllegalArgumentException("a value of " + size + " bytes cannot hold the stamp " + sendNanos);
        }
        byte[] value = Arrays.copyOf(stamp, size);
        Arrays.fill(value, stamp.length, size, (byte) 'x');
        return value;
    }

    /** Reads a delivery body; throws {@link IllegalArgumentException} naming what is wrong with it. */
    static WebhookBatch parse(byte[] body) {
        int partition = -1;
        long[] offsets = new long[64];
        long[] stamps = new long[64];
        int count = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, "the body");
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (field.equals("partition")) {
                    expect(token, JsonToken.VALUE_NUMBER_INT, "partition");
                    partition = parser.getIntValue();
                } else if (field.equals("records")) {
                    expect(token, JsonToken.START_ARRAY, "records");
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        long offset = -1;
                        String value = null;
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String recordField = parser.currentName();
                            JsonToken recordToken = parser.nextToken();
                            if (recordField.equals("offset")) {
                                expect(recordToken, JsonToken.VALUE_NUMBER_INT, "offset");
                                offset = parser.getLongValue();
                            } else if (recordField.equals("value")) {
                                value = recordToken == JsonToken.VALUE_STRING ? parser.getText() : null;
                            } else {
                                parser.skipChildren();
                            }
                        }
                        if (offset < 0) {
                            throw new IllegalArgumentException("record " + count + " has no offset");
                        }
                        if (count == offsets.length) {
                            offsets = Arrays.copyOf(offsets, count * 2);
                            stamps = Arrays.copyOf(stamps, count * 2);
                        }
                        offsets[count] = offset;
                        stamps[count] = sendNanos(value, offset);
                        count++;
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getMessage(), e);
        }
        if (partition < 0) {
            throw new IllegalArgumentException("the body has no partition");
        }
        return new WebhookBatch(partition, Arrays.copyOf(offsets, count), Arrays.copyOf(stamps, count));
    }

    private static long sendNanos(String value, long offset) {
        int end = value == null ? -1 : value.indexOf('|');
        if (end <= 0) {
            throw new IllegalArgumentException(
                    "the value of offset " + offset + " does not start with a send time and '|': " + value);
        }
        try {
            return Long.parseLong(value, 0, end, 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "the value of offset " + offset + " does not start with a send time: " + value, e);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + " must be " + expected + ", was " + actual);
        }
    }
}
