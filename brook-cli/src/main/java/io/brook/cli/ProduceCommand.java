package io.brook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brook produce}: sends each line of stdin as a record, with a key when the line has one. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Send each line of stdin as one record to TOPIC.",
            "A line 'key<TAB>value' gives the record a key; other lines are values without a key."
        })
final class ProduceCommand implements Callable<Integer> {
    private static final Set<String> ACKS = Set.of("all", "1", "0");

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "TOPIC", description = "Topic to write to.")
    String topic;

    @Option(
            names = "--acks",
            paramLabel = "all|1|0",
            defaultValue = "all",
            description = "all waits until the record is on disk (fsync); 1 until it is appended; 0 not at all."
                    + " Default: ${DEFAULT-VALUE}.")
    String acks;

    @Option(
            names = "--key-separator",
            paramLabel = "TEXT",
            defaultValue = "\t",
            showDefaultValue = Visibility.NEVER,
            description = "Text between key and value (default: a tab).")
    String keySeparator;

    private final InputStream input;

    ProduceCommand() {
        this(System.in);
    }

    ProduceCommand(InputStream input) {
        this.input = input;
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // each send's callback records its outcome
    public Integer call() throws IOException {
        throwIfOptionsInvalid();
        PrintWriter err = spec.commandLine().getErr();
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long lines = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties());
                BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null && failure.get() == null; line = reader.readLine()) {
                LineRecord record = LineRecord.parse(line, keySeparator);
                byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>(topic, key, record.value().getBytes(StandardCharsets.UTF_8)),
                        (metadata, exception) -> {
                            if (exception == null) {
                                acknowledged.incrementAndGet();
                            } else {
                                failure.compareAndSet(null, exception);
                            }
                        });
                lines++;
            }
            producer.flush();
        } catch (KafkaException e) {
            failure.compareAndSet(null, e);
        }
        if (failure.get() != null) {
            err.println("Error: " + CliErrors.message(failure.get(), client.bootstrapServer));
            err.println("Produced " + acknowledged.get() + " of " + lines + " records to " + topic + ".");
            return BrookCommand.EXIT_FAILURE;
        }
        err.println("Produced " + acknowledged.get() + " records to " + topic + ".");
        return 0;
    }

    Map<String, Object> producerProperties() {
        Map<String, Object> properties = client.clientProperties("brook-cli-producer");
        properties.put(ProducerConfig.ACKS_CONFIG, acks);
        // Idempotence needs acks=all; with acks=1 or 0 the user asked for less.
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS * 2);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return properties;
    }

    private void throwIfOptionsInvalid() {
        if (!ACKS.contains(acks)) {
            throw new ParameterException(spec.commandLine(), "--acks must be all, 1 or 0; got '" + acks + "'");
        }
        if (keySeparator.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--key-separator must not be empty");
        }
    }
}
