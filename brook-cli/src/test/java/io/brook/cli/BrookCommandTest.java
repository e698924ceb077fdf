package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class BrookCommandTest {
    @Test
    void versionPrintsBrookKafkaAndJavaVersions() {
        // When
        CliRun run = CliRun.brook("version");

        // Then
        assertThat(run.exitCode).isZero();
        assertThat(run.out.lines())
                .hasSize(3)
                .satisfies(lines -> assertThat(lines.get(0)).matches("Brook \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"))
                .satisfies(lines -> assertThat(lines.get(1)).isEqualTo("Kafka protocol from kafka-clients 4.3.1"))
                .satisfies(lines -> assertThat(lines.get(2)).startsWith("Java 17"));
    }

    @Test
    void versionOptionPrintsTheSameAsVersionCommand() {
        assertThat(CliRun.brook("--version").out).isEqualTo(CliRun.brook("version").out);
    }

    @Test
    void noArgumentsPrintsUsageListingEverySubcommand() {
        // When
        CliRun run = CliRun.brook();

        // Then
        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("server", "topic", "produce", "consume", "demo", "run", "sql", "version");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        // When
        CliRun run = CliRun.brook("serve");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("Unmatched argument at index 0: 'serve'");
    }

    @Test
    void topicWithoutSubcommandIsAUsageError() {
        // When
        CliRun run = CliRun.brook("topic");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("Missing subcommand: create, list, describe, alter or delete");
    }

    @Test
    void alterWithNothingToChangeIsAUsageErrorBeforeContactingABroker() {
        // When
        CliRun run = CliRun.brook("topic", "alter", "clicks", "--bootstrap-server", "127.0.0.1:1");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("Nothing to alter: give --partitions, --config or --delete-config");
    }

    @Test
    void createWithZeroPartitionsIsAUsageError() {
        // When
        CliRun run = CliRun.brook("topic", "create", "clicks", "--partitions", "0");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--partitions must be at least 1; got 0");
    }

    @Test
    void produceRejectsUnknownAcks() {
        // When
        CliRun run = CliRun.brook("produce", "clicks", "--acks", "2");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--acks must be all, 1 or 0; got '2'");
    }

    @Test
    void consumeRejectsNegativePartition() {
        // When
        CliRun run = CliRun.brook("consume", "clicks", "--partition", "-1");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--partition must be >= 0; got -1");
    }

    @Test
    void clientCommandsDefaultToBrookBootstrapOrLocalhost() {
        // Given
        String expected = System.getenv().getOrDefault(ClientOptions.BOOTSTRAP_ENV, "127.0.0.1:9092");

        // When
        ParseResult result = parse("topic", "list");

        // Then
        ParseResult list = result.subcommand().subcommand();
        assertThat(list.matchedOptionValue("--bootstrap-server", "unset")).isEqualTo("unset");
        assertThat(((TopicCommand.ListTopics) list.commandSpec().userObject()).client.bootstrapServer)
                .isEqualTo(expected);
    }

    @Test
    void produceDefaultsToAcksAllAndTabSeparator() {
        // When
        ParseResult result = parse("produce", "clicks", "-b", "localhost:19092");

        // Then
        ProduceCommand produce =
                (ProduceCommand) result.subcommand().commandSpec().userObject();
        assertThat(produce.acks).isEqualTo("all");
        assertThat(produce.keySeparator).isEqualTo("\t");
        assertThat(produce.client.bootstrapServer).isEqualTo("localhost:19092");
        assertThat(produce.producerProperties())
                .containsEntry("bootstrap.servers", "localhost:19092")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true);
    }

    @Test
    void produceWithAcksOneTurnsIdempotenceOff() {
        // When
        ParseResult result = parse("produce", "clicks", "--acks", "1");

        // Then
        ProduceCommand produce =
                (ProduceCommand) result.subcommand().commandSpec().userObject();
        assertThat(produce.producerProperties()).containsEntry("acks", "1").containsEntry("enable.idempotence", false);
    }

    private static ParseResult parse(String... args) {
        CommandLine commandLine =
                BrookCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        return commandLine.parseArgs(args);
    }
}
