package io.brook.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordFormatTest {
    private static final byte[] KEY = "user-3".getBytes(UTF_8);
    private static final byte[] VALUE = "{\"page\":\"/ü\"}".getBytes(UTF_8);

    @Test
    void printsOnlyTheValueByDefault() {
        assertThat(new RecordFormat(false, false).format(1, 5, KEY, VALUE)).isEqualTo("{\"page\":\"/ü\"}");
    }

    @Test
    void printsKeyThenValueSeparatedByATab() {
        assertThat(new RecordFormat(false, true).format(1, 5, KEY, VALUE)).isEqualTo("user-3\t{\"page\":\"/ü\"}");
    }

    @Test
    void printsPositionFirst() {
        assertThat(new RecordFormat(true, true).format(1, 5, KEY, VALUE)).isEqualTo("p1@5\tuser-3\t{\"page\":\"/ü\"}");
        assertThat(new RecordFormat(true, false).format(0, 12, KEY, VALUE)).isEqualTo("p0@12\t{\"page\":\"/ü\"}");
    }

    @Test
    void printsMissingKeyAndValueAsNull() {
        assertThat(new RecordFormat(false, true).format(0, 0, null, null)).isEqualTo("null\tnull");
    }
}
