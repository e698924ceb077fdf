package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debian's confluent-kafka-python 1.7.0 on librdkafka 2.0.2 ({@code python3-confluent-kafka}): CreateTopics and
 * Metadata through its AdminClient, an idempotent producer for each codec, and a consumer with manual assignment from
 * the beginning. The script is {@code python/confluent_kafka_roundtrip.py}.
 */
class ConfluentKafkaPythonIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    private static final int RECORDS_PER_CODEC = 1_000;
    private static final int RECORDS = RECORDS_PER_CODEC * 5;

    @Test
    void confluentKafkaCreatesTopicProducesIdempotentlyAndConsumes(BrookCluster cluster) throws Exception {
        // Given
        ExternalTools.requirePythonModule("confluent_kafka", "python3-confluent-kafka");

        // When
        ExternalProcess.Result result = ExternalProcess.run(
                List.of(
                        ExternalTools.DEBIAN_PYTHON.toString(),
                        "-I",
                        TestResources.file("/python/confluent_kafka_roundtrip.py")
                                .toString(),
                        cluster.bootstrapServers(),
                        "confluent-kafka",
                        Integer.toString(RECORDS_PER_CODEC)),
                "",
                Duration.ofSeconds(150),
                ExternalProcess.plainEnvironment());

        // Then
        int nodeId = cluster.broker().config().nodeId();
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout().lines().toList())
                .as(result.describe())
                .containsExactly(
                        "created confluent-kafka",
                        "brokers ['" + nodeId + " " + cluster.bootstrapServers() + "'], controller " + nodeId
                                + ", partitions [0, 1]",
                        "acknowledged " + RECORDS + " of " + RECORDS,
                        "consumed " + RECORDS + ", wrong 0");
    }
}
