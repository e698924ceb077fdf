package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debian's kafka-python 2.0.2 ({@code python3-kafka}), which guesses the broker's version from ApiVersions v0 and then
 * uses old request versions (Metadata v1, Produce v7, Fetch v4, ListOffsets v1): metadata, produce (plain and gzip)
 * and a group-less consumer that seeks to the beginning. The script is {@code python/kafka_python_roundtrip.py}.
 */
class KafkaPythonIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    private static final int RECORDS = 2_000;

    @Test
    void kafkaPythonListsTopicsProducesAndConsumes(BrookCluster cluster) throws Exception {
        // Given
        ExternalTools.requirePythonModule("kafka", "python3-kafka");
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("kafka-python", 2, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }

        // When
        ExternalProcess.Result result = ExternalProcess.run(
                List.of(
                        ExternalTools.DEBIAN_PYTHON.toString(),
                        "-I",
                        TestResources.file("/python/kafka_python_roundtrip.py").toString(),
                        cluster.bootstrapServers(),
                        "kafka-python",
                        Integer.toString(RECORDS)),
                "",
                Duration.ofSeconds(120),
                ExternalProcess.plainEnvironment());

        // Then
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout().lines().toList())
                .as(result.describe())
                .containsExactly(
                        "api_version (2, 4, 0)",
                        "topic kafka-python listed: True, partitions [0, 1]",
                        "acknowledged " + RECORDS + " of " + RECORDS,
                        "consumed " + RECORDS + ", wrong 0",
                        "group read " + RECORDS + " distinct, committed " + RECORDS);
    }
}
