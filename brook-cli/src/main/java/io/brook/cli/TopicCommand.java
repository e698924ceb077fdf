package io.brook.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brook topic}: create, list, describe, alter and delete topics through Kafka's AdminClient. */
@Command(
        name = "topic",
        mixinStandardHelpOptions = true,
        description = "Manage topics (through Kafka's AdminClient, so it works against any Kafka broker).",
        subcommands = {
            TopicCommand.Create.class,
            TopicCommand.ListTopics.class,
            TopicCommand.Describe.class,
            TopicCommand.Alter.class,
            TopicCommand.Delete.class
        })
final class TopicCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, list, describe, alter or delete");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "Topic name.")
        String name;

        @Option(
                names = {"-p", "--partitions"},
                paramLabel = "N",
                description = "Number of partitions (default: the broker's num.partitions).")
        Integer partitions;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "A topic setting, e.g. --config retention.ms=3600000 (repeatable).")
        Map<String, String> configs = new LinkedHashMap<>();

        @Override
        public Integer call() {
            throwIfPartitionsInvalid(spec, partitions);
            return withAdmin(spec, client, name, (admin, out) -> {
                NewTopic topic = new NewTopic(name, Optional.ofNullable(partitions), Optional.empty()).configs(configs);
                admin.createTopics(List.of(topic)).all().get();
                out.println("Created topic " + name + ".");
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List topic names, one per line.")
    static final class ListTopics implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            return withAdmin(spec, client, null, (admin, out) -> {
                for (String name : sorted(admin.listTopics().names().get())) {
                    out.println(name);
                }
            });
        }
    }

    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Show a topic's partitions with their leader and offsets, and the settings made on it.")
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "Topic name.")
        String name;

        @Override
        public Integer call() {
            return withAdmin(spec, client, name, (admin, out) -> {
                TopicDescription description = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get()
                        .get(name);
                Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                for (TopicPartitionInfo partition : description.partitions()) {
                    TopicPartition topicPartition = new TopicPartition(name, partition.partition());
                    earliest.put(topicPartition, OffsetSpec.earliest());
                    latest.put(topicPartition, OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResultInfo> earliestOffsets =
                        admin.listOffsets(earliest).all().get();
                Map<TopicPartition, ListOffsetsResultInfo> latestOffsets =
                        admin.listOffsets(latest).all().get();
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config config =
                        admin.describeConfigs(List.of(resource)).all().get().get(resource);

                List<PartitionRow> rows = new ArrayList<>();
                for (TopicPartitionInfo partition : description.partitions()) {
                    TopicPartition topicPartition = new TopicPartition(name, partition.partition());
                    rows.add(new PartitionRow(
                            partition.partition(),
                            partition.leader(),
                            earliestOffsets.get(topicPartition).offset(),
                            latestOffsets.get(topicPartition).offset()));
                }
                printDescription(out, description, rows, nonDefault(config.entries()));
            });
        }
    }

    @Command(
            name = "alter",
            mixinStandardHelpOptions = true,
            description = "Change a topic's settings or add partitions.")
    static final class Alter implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "Topic name.")
        String name;

        @Option(
                names = {"-p", "--partitions"},
                paramLabel = "N",
                description = "New partition count (can only grow).")
        Integer partitions;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "Set a topic setting (repeatable).")
        Map<String, String> configs = new LinkedHashMap<>();

        @Option(
                names = "--delete-config",
                paramLabel = "KEY",
                description = "Remove a topic setting, back to the broker's default (repeatable).")
        List<String> deleteConfigs = new ArrayList<>();

        @Override
        public Integer call() {
            throwIfPartitionsInvalid(spec, partitions);
            if (partitions == null && configs.isEmpty() && deleteConfigs.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(), "Nothing to alter: give --partitions, --config or --delete-config");
            }
            return withAdmin(spec, client, name, (admin, out) -> {
                List<AlterConfigOp> operations = alterOperations(configs, deleteConfigs);
                if (!operations.isEmpty()) {
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                    admin.incrementalAlterConfigs(Map.of(resource, operations))
                            .all()
                            .get();
                    for (AlterConfigOp operation : operations) {
                        out.println(describe(operation));
                    }
                }
                if (partitions != null) {
                    admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions)))
                            .all()
                            .get();
                    out.println("Topic " + name + " now has " + partitions + " partitions.");
                }
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic and its data.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "NAME", description = "Topic name.")
        String name;

        @Override
        public Integer call() {
            return withAdmin(spec, client, name, (admin, out) -> {
                admin.deleteTopics(List.of(name)).all().get();
                out.println("Deleted topic " + name + ".");
            });
        }
    }

    /** One row of {@code topic describe}. A null leader means the partition has none. */
    record PartitionRow(int partition, Node leader, long earliest, long latest) {}

    @FunctionalInterface
    interface AdminAction {
        void run(Admin admin, PrintWriter out) throws ExecutionException, InterruptedException;
    }

    /**
     * Runs {@code action} with a fresh Admin; a Kafka error becomes one line on stderr and exit code 1. {@code topic}
     * (null for none) names the topic in the message when it does not exist.
     */
    static int withAdmin(CommandSpec spec, ClientOptions client, String topic, AdminAction action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Admin admin = Admin.create(client.adminOrConsumerProperties("brook-cli"))) {
            action.run(admin, out);
            out.flush();
            return 0;
        } catch (ExecutionException | KafkaException e) {
            out.flush();
            if (CliErrors.unwrap(e) instanceof UnknownTopicOrPartitionException && topic != null) {
                err.println("Error: topic '" + topic + "' does not exist");
            } else {
                err.println("Error: " + CliErrors.message(e, client.bootstrapServer));
            }
            return BrookCommand.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Error: interrupted");
            return BrookCommand.EXIT_FAILURE;
        }
    }

    static void throwIfPartitionsInvalid(CommandSpec spec, Integer partitions) {
        if (partitions != null && partitions < 1) {
            throw new ParameterException(spec.commandLine(), "--partitions must be at least 1; got " + partitions);
        }
    }

    /** The operations for {@code alter}: settings first (in the order given), then removals. */
    static List<AlterConfigOp> alterOperations(Map<String, String> set, List<String> delete) {
        List<AlterConfigOp> operations = new ArrayList<>();
        set.forEach((key, value) ->
                operations.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
        for (String key : delete) {
            operations.add(new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE));
        }
        return operations;
    }

    private static String describe(AlterConfigOp operation) {
        ConfigEntry entry = operation.configEntry();
        return switch (operation.opType()) {
            case SET -> "Set " + entry.name() + "=" + entry.value() + ".";
            case DELETE -> "Removed " + entry.name() + " (back to the default).";
            case APPEND, SUBTRACT -> operation.opType() + " " + entry.name() + "=" + entry.value() + ".";
        };
    }

    /** The settings made on the topic itself, sorted by name. */
    static List<ConfigEntry> nonDefault(Collection<ConfigEntry> entries) {
        Map<String, ConfigEntry> byName = new TreeMap<>();
        for (ConfigEntry entry : entries) {
            if (!entry.isDefault()) {
                byName.put(entry.name(), entry);
            }
        }
        return List.copyOf(byName.values());
    }

    static void printDescription(
            PrintWriter out, TopicDescription description, List<PartitionRow> rows, List<ConfigEntry> settings) {
        out.println("Topic:      " + description.name());
        out.println("Topic id:   " + description.topicId());
        out.println("Partitions: " + rows.size());
        Table table = new Table("PARTITION", "LEADER", "EARLIEST", "LATEST");
        for (PartitionRow row : rows) {
            table.row(
                    row.partition(),
                    row.leader() == null || row.leader().isEmpty()
                            ? "none"
                            : row.leader().id(),
                    row.earliest(),
                    row.latest());
        }
        table.print(out, "  ");
        if (settings.isEmpty()) {
            out.println("Settings:   all defaults");
        } else {
            out.println("Settings:");
            for (ConfigEntry entry : settings) {
                out.println("  " + entry.name() + "=" + (entry.isSensitive() ? "(sensitive)" : entry.value()));
            }
        }
    }

    private static List<String> sorted(Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        list.sort(null);
        return list;
    }
}
