package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LineRecordTest {
    @Test
    void splitsKeyAndValueAtTheFirstTab() {
        assertThat(LineRecord.parse("user-1\t{\"page\":\"/\"}", "\t"))
                .isEqualTo(new LineRecord("user-1", "{\"page\":\"/\"}"));
    }

    @Test
    void keepsLaterSeparatorsInTheValue() {
        assertThat(LineRecord.parse("k\ta\tb", "\t")).isEqualTo(new LineRecord("k", "a\tb"));
    }

    @Test
    void lineWithoutSeparatorIsAValueWithoutKey() {
        assertThat(LineRecord.parse("just a value", "\t")).isEqualTo(new LineRecord(null, "just a value"));
    }

    @Test
    void leadingSeparatorGivesAnEmptyKey() {
        assertThat(LineRecord.parse("\tvalue", "\t")).isEqualTo(new LineRecord("", "value"));
    }

    @Test
    void trailingSeparatorGivesAnEmptyValue() {
        assertThat(LineRecord.parse("key\t", "\t")).isEqualTo(new LineRecord("key", ""));
    }

    @Test
    void emptyLineIsAnEmptyValue() {
        assertThat(LineRecord.parse("", "\t")).isEqualTo(new LineRecord(null, ""));
    }

    @Test
    void multiCharacterSeparator() {
        assertThat(LineRecord.parse("a::b::c", "::")).isEqualTo(new LineRecord("a", "b::c"));
    }

    @Test
    void emptySeparatorIsABug() {
        assertThatThrownBy(() -> LineRecord.parse("a", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("separator must not be empty");
    }
}
