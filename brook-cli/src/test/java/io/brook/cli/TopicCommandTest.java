package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.junit.jupiter.api.Test;

class TopicCommandTest {
    @Test
    void alterSetsInGivenOrderThenDeletes() {
        // Given
        Map<String, String> set = new LinkedHashMap<>();
        set.put("retention.ms", "60000");
        set.put("cleanup.policy", "compact");

        // When
        List<AlterConfigOp> operations = TopicCommand.alterOperations(set, List.of("segment.bytes"));

        // Then
        assertThat(operations)
                .extracting(op -> op.opType() + " " + op.configEntry().name() + "="
                        + op.configEntry().value())
                .containsExactly("SET retention.ms=60000", "SET cleanup.policy=compact", "DELETE segment.bytes=");
    }

    @Test
    void describeShowsOnlySettingsMadeOnTheTopicSortedByName() {
        // Given
        ConfigEntry retention = entry("retention.ms", "60000", DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG);
        ConfigEntry cleanup = entry("cleanup.policy", "compact", DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG);
        ConfigEntry segment = entry("segment.bytes", "1073741824", DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG);

        // When
        List<ConfigEntry> shown = TopicCommand.nonDefault(List.of(retention, segment, cleanup));

        // Then
        assertThat(shown).extracting(ConfigEntry::name).containsExactly("cleanup.policy", "retention.ms");
    }

    @Test
    void printsDescriptionAsAlignedTable() {
        // Given
        Node node = new Node(1, "127.0.0.1", 9092);
        Uuid id = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
        TopicDescription description = new TopicDescription(
                "clicks",
                false,
                List.of(
                        new TopicPartitionInfo(0, node, List.of(node), List.of(node)),
                        new TopicPartitionInfo(1, null, List.of(node), List.of())),
                Set.of(),
                id);
        List<TopicCommand.PartitionRow> rows =
                List.of(new TopicCommand.PartitionRow(0, node, 0, 12345), new TopicCommand.PartitionRow(1, null, 7, 7));
        StringWriter text = new StringWriter();

        // When
        try (PrintWriter out = new PrintWriter(text)) {
            TopicCommand.printDescription(
                    out,
                    description,
                    rows,
                    List.of(entry("retention.ms", "60000", DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG)));
        }

        // Then
        assertThat(text.toString().lines())
                .containsExactly(
                        "Topic:      clicks",
                        "Topic id:   AAAAAAAAAAAAAAAAAAAAAQ",
                        "Partitions: 2",
                        "  PARTITION  LEADER  EARLIEST  LATEST",
                        "  0          1       0         12345",
                        "  1          none    7         7",
                        "Settings:",
                        "  retention.ms=60000");
    }

    @Test
    void printsAllDefaultsWhenNothingIsSetOnTheTopic() {
        // Given
        TopicDescription description =
                new TopicDescription("empty", false, List.of(), Set.of(), Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ"));
        StringWriter text = new StringWriter();

        // When
        try (PrintWriter out = new PrintWriter(text)) {
            TopicCommand.printDescription(out, description, List.of(), List.of());
        }

        // Then
        assertThat(text.toString().lines()).last().isEqualTo("Settings:   all defaults");
    }

    private static ConfigEntry entry(String name, String value, DescribeConfigsResponse.ConfigSource source) {
        return new ConfigEntry(
                name,
                value,
                switch (source) {
                    case TOPIC_CONFIG -> ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
                    case DEFAULT_CONFIG -> ConfigEntry.ConfigSource.DEFAULT_CONFIG;
                    default -> ConfigEntry.ConfigSource.UNKNOWN;
                },
                false,
                false,
                List.of(),
                ConfigEntry.ConfigType.UNKNOWN,
                null);
    }
}
