package io.brook.cli;

import java.nio.charset.StandardCharsets;

/**
 * How {@code brook consume} prints a record: {@code [p<partition>@<offset><TAB>][key<TAB>]value}, text decoded as
 * UTF-8; a missing key or value prints as {@code null}, as Kafka's console consumer does.
 */
record RecordFormat(boolean printOffset, boolean printKey) {
    String format(int partition, long offset, byte[] key, byte[] value) {
        StringBuilder line = new StringBuilder();
        if (printOffset) {
            line.append(position(partition, offset)).append('\t');
        }
        if (printKey) {
            line.append(text(key)).append('\t');
        }
        return line.append(text(value)).toString();
    }

    /** A record's place in its topic, as {@code p1@5}. */
    static String position(int partition, long offset) {
        return "p" + partition + "@" + offset;
    }

    static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
