package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

class CliErrorsTest {
    @Test
    void unwrapsTheFutureToTheKafkaError() {
        ExecutionException wrapped = new ExecutionException(new TopicExistsException("Topic 'clicks' already exists."));

        assertThat(CliErrors.message(wrapped, "127.0.0.1:9092")).isEqualTo("Topic 'clicks' already exists.");
    }

    @Test
    void addsTheCauseWhenItSaysMore() {
        KafkaException error = new KafkaException(
                "Failed to create new KafkaAdminClient", new ConfigException("Invalid url in bootstrap.servers: x"));

        assertThat(CliErrors.message(error, "x"))
                .isEqualTo("Failed to create new KafkaAdminClient: Invalid url in bootstrap.servers: x");
    }

    @Test
    void timeoutHintsThatTheBrokerMayNotRun() {
        ExecutionException wrapped = new ExecutionException(
                new TimeoutException("Timed out waiting for a node assignment. Call: listTopics"));

        assertThat(CliErrors.message(wrapped, "127.0.0.1:9092"))
                .isEqualTo("Timed out waiting for a node assignment. Call: listTopics (no answer from 127.0.0.1:9092"
                        + " in time: is Brook running there? Start it with `./brook server`.)");
    }

    @Test
    void producerTimeoutOnMissingTopicHintsAtTheTopic() {
        TimeoutException error = new TimeoutException("Topic nope not present in metadata after 15000 ms.");

        assertThat(CliErrors.message(error, "127.0.0.1:9092"))
                .isEqualTo("Topic nope not present in metadata after 15000 ms. (does the topic exist? Create it with"
                        + " `./brook topic create NAME`.)");
    }
}
