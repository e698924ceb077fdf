package io.brook.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordColumnsTest {
    private static final List<String> KAFKA = List.of("key", "value", "topic", "partition", "offset", "timestamp");

    @Test
    void quotesColumnsAndAliasesButNotCastTypesCallsOrLiterals() {
        // When
        String cast = KeywordColumns.quote("CAST(value AS STRING) AS v", KAFKA);
        String call = KeywordColumns.quote("timestamp(offset) + 1", KAFKA);
        String typed = KeywordColumns.quote("cast(offset as timestamp)", KAFKA);
        String literal = KeywordColumns.quote("value = 'value' AND `key` = \"partition\"", KAFKA);
        String nested = KeywordColumns.quote("CAST(partition + (offset) AS BIGINT) AS value", KAFKA);

        // Then
        assertThat(cast).isEqualTo("CAST(`value` AS STRING) AS `v`");
        assertThat(call).isEqualTo("timestamp(`offset`) + 1");
        assertThat(typed).isEqualTo("cast(`offset` as timestamp)");
        assertThat(literal).isEqualTo("`value` = 'value' AND `key` = \"partition\"");
        assertThat(nested).isEqualTo("CAST(`partition` + (`offset`) AS BIGINT) AS `value`");
    }

    @Test
    void leavesWordsThatAreNotColumnsAlone() {
        assertThat(KeywordColumns.quote("upper(topic_name) || 'x'", KAFKA)).isEqualTo("upper(topic_name) || 'x'");
        assertThat(KeywordColumns.quote("t.value", KAFKA)).isEqualTo("t.value");
    }
}
