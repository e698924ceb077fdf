package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumeCommandTest {
    private static final Node NODE = new Node(1, "127.0.0.1", 9092);
    private static final List<PartitionInfo> THREE_PARTITIONS = List.of(info(2), info(0), info(1));

    @Test
    void readsEveryPartitionInOrderByDefault() throws Exception {
        // Given
        ConsumeCommand command = command(null);

        // When
        List<TopicPartition> partitions = command.partitionsToRead(THREE_PARTITIONS);

        // Then
        assertThat(partitions)
                .containsExactly(
                        new TopicPartition("clicks", 0),
                        new TopicPartition("clicks", 1),
                        new TopicPartition("clicks", 2));
    }

    @Test
    void readsOnlyThePartitionAskedFor() throws Exception {
        assertThat(command(2).partitionsToRead(THREE_PARTITIONS)).containsExactly(new TopicPartition("clicks", 2));
    }

    @Test
    void partitionOutOfRangeNamesTheValidRange() {
        assertThatThrownBy(() -> command(7).partitionsToRead(THREE_PARTITIONS))
                .isInstanceOf(ConsumeCommand.TopicNotFoundException.class)
                .hasMessage("topic 'clicks' has partitions 0-2; got 7");
    }

    @Test
    void missingTopicIsReported() {
        assertThatThrownBy(() -> command(null).partitionsToRead(List.of()))
                .isInstanceOf(ConsumeCommand.TopicNotFoundException.class)
                .hasMessage("topic 'clicks' does not exist");
    }

    @Test
    void idleTimeoutAppliesWithMaxOrWhenGiven() {
        assertThat(ConsumeCommand.idleTimeoutMs(null, null)).isEqualTo(-1);
        assertThat(ConsumeCommand.idleTimeoutMs(10L, null)).isEqualTo(ConsumeCommand.DEFAULT_IDLE_TIMEOUT_MS);
        assertThat(ConsumeCommand.idleTimeoutMs(10L, 500L)).isEqualTo(500);
        assertThat(ConsumeCommand.idleTimeoutMs(null, 0L)).isZero();
    }

    private static ConsumeCommand command(Integer partition) {
        ConsumeCommand command = new ConsumeCommand();
        command.topic = "clicks";
        command.partition = partition;
        return command;
    }

    private static PartitionInfo info(int partition) {
        return new PartitionInfo("clicks", partition, NODE, new Node[] {NODE}, new Node[] {NODE});
    }
}
