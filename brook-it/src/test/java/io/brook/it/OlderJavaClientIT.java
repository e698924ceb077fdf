package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kafka-clients 3.x (the version Maven copied into {@code target/kafka-clients-VERSION}, kept off the test classpath)
 * in a child JVM: admin calls including the AlterConfigs that 4.x dropped, and an idempotent producer plus a
 * group-less consumer for each codec. The program is {@code src/test/resources/old-client/OldClientRoundTrip.java},
 * compiled by Java's single-file source launcher against that jar.
 */
class OlderJavaClientIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    private static final int RECORDS_PER_CODEC = 2_000;

    @Test
    void kafkaClients3ProducesConsumesAndAdministersTopics(BrookCluster cluster) throws Exception {
        // Given
        String version = System.getProperty("brook.it.oldKafkaVersion", "3.9.1");
        Path jars = Path.of(System.getProperty("brook.it.oldKafkaDir", "target/kafka-clients-" + version));
        assertThat(jars.resolve("kafka-clients-" + version + ".jar"))
                .as("copied by maven-dependency-plugin in process-test-resources")
                .exists();
        Path program = TestResources.file("/old-client/OldClientRoundTrip.java");

        // When
        ExternalProcess.Result result = ExternalProcess.run(
                ExternalProcess.javaCommand(
                        ExternalProcess.classpathOf(jars),
                        List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                        program.toString(),
                        List.of(cluster.bootstrapServers(), "old-client", Integer.toString(RECORDS_PER_CODEC))),
                "",
                Duration.ofSeconds(120));

        // Then
        int half = RECORDS_PER_CODEC / 2;
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout().lines().toList())
                .as(result.describe())
                .containsExactly(
                        "kafka-clients " + version,
                        "created old-client-admin with 3 partitions",
                        "alterConfigs retention.ms=3600000",
                        "deleted old-client-admin: true",
                        roundTrip("none", half),
                        roundTrip("gzip", half),
                        roundTrip("snappy", half),
                        roundTrip("lz4", half),
                        roundTrip("zstd", half));
    }

    private static String roundTrip(String codec, int perPartition) {
        return "codec " + codec + ": acknowledged " + RECORDS_PER_CODEC + ", consumed " + RECORDS_PER_CODEC
                + ", wrong 0, partition 0 latest offset " + perPartition;
    }
}
