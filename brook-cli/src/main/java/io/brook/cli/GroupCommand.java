package io.brook.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brook group}: list, describe (with lag), reset offsets of and delete consumer groups, through AdminClient. */
@Command(
        name = "group",
        mixinStandardHelpOptions = true,
        description = "Manage consumer groups (through Kafka's AdminClient, so it works against any Kafka broker).",
        subcommands = {
            GroupCommand.ListGroups.class,
            GroupCommand.Describe.class,
            GroupCommand.ResetOffsets.class,
            GroupCommand.Delete.class
        })
final class GroupCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: list, describe, reset-offsets or delete");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List groups with their state.")
    static final class ListGroups implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Override
        public Integer call() {
            return TopicCommand.withAdmin(spec, client, null, (admin, out) -> {
                List<GroupListing> groups =
                        new ArrayList<>(admin.listGroups().all().get());
                groups.sort(Comparator.comparing(GroupListing::groupId));
                Table table = new Table("GROUP", "STATE", "TYPE");
                for (GroupListing group : groups) {
                    table.row(
                            group.groupId(),
                            group.groupState().map(Object::toString).orElse("-"),
                            group.type().map(Object::toString).orElse("-"));
                }
                table.print(out, "");
            });
        }
    }

    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "Show a group's state and members, and per partition the committed offset, the end offset"
                    + " and the lag.")
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "GROUP", description = "Group id.")
        String group;

        @Override
        public Integer call() {
            return withGroup(spec, client, group, (admin, out) -> {
                ConsumerGroupDescription description = describeGroup(admin, group);
                Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, group);
                Map<TopicPartition, MemberDescription> owners = new HashMap<>();
                for (MemberDescription member : description.members()) {
                    member.assignment().topicPartitions().forEach(partition -> owners.put(partition, member));
                }
                Set<TopicPartition> partitions = new TreeSet<>(
                        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
                partitions.addAll(committed.keySet());
                partitions.addAll(owners.keySet());
                Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());

                out.println("Group " + group + ": " + description.groupState() + ", "
                        + description.members().size()
                        + " member" + (description.members().size() == 1 ? "" : "s") + ", coordinator "
                        + description.coordinator().host() + ":"
                        + description.coordinator().port());
                Table table = new Table("TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "MEMBER", "CLIENT", "HOST");
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata offset = committed.get(partition);
                    Long end = ends.get(partition);
                    MemberDescription owner = owners.get(partition);
                    table.row(
                            partition.topic(),
                            partition.partition(),
                            offset == null ? "-" : offset.offset(),
                            end == null ? "-" : end,
                            offset == null || end == null ? "-" : Math.max(0, end - offset.offset()),
                            owner == null ? "-" : owner.consumerId(),
                            owner == null ? "-" : owner.clientId(),
                            owner == null ? "-" : owner.host());
                }
                table.print(out, "  ");
            });
        }
    }

    /** Exactly one target of a reset. */
    static final class Target {
        @Option(names = "--to-earliest", description = "The first offset of each partition.")
        boolean earliest;

        @Option(names = "--to-latest", description = "The end of each partition.")
        boolean latest;

        @Option(
                names = "--to-offset",
                paramLabel = "N",
                description = "Offset N (kept within each partition's earliest and end offsets).")
        Long offset;

        @Option(
                names = "--to-datetime",
                paramLabel = "TIME",
                description = "The first record at or after TIME, e.g. 2026-12-01T10:00:00Z (UTC when no zone is"
                        + " given); the end where there is none.")
        String datetime;
    }

    @Command(
            name = "reset-offsets",
            mixinStandardHelpOptions = true,
            description = "Set a group's committed offsets for topics. Refused while the group has live members.")
    static final class ResetOffsets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "GROUP", description = "Group id.")
        String group;

        @Option(
                names = {"-t", "--topic"},
                paramLabel = "TOPIC",
                required = true,
                description = "A topic whose offsets to reset, all its partitions (repeatable).")
        List<String> topics = new ArrayList<>();

        @ArgGroup(multiplicity = "1")
        Target target;

        @Option(names = "--dry-run", description = "Show the new offsets without committing them.")
        boolean dryRun;

        @Override
        public Integer call() {
            long timestamp = target.datetime == null ? 0 : parseTime(spec, target.datetime);
            return withGroup(spec, client, group, (admin, out) -> {
                ConsumerGroupDescription description = describeGroupIfAny(admin, group);
                if (description != null && !description.members().isEmpty()) {
                    throw new GroupBusyException(
                            "group " + group + " has " + description.members().size()
                                    + " live member(s); stop its consumers first (offsets of an active group cannot be"
                                    + " reset)");
                }
                Set<TopicPartition> partitions = new TreeSet<>(
                        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
                Map<String, TopicDescription> described =
                        admin.describeTopics(topics).allTopicNames().get();
                described
                        .values()
                        .forEach(topic -> topic.partitions()
                                .forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition()))));
                Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
                Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
                Map<TopicPartition, Long> byTime = target.datetime == null
                        ? Map.of()
                        : offsets(admin, partitions, OffsetSpec.forTimestamp(timestamp));
                Map<TopicPartition, OffsetAndMetadata> plan = new LinkedHashMap<>();
                for (TopicPartition partition : partitions) {
                    long low = earliest.get(partition);
                    long high = latest.get(partition);
                    long offset;
                    if (target.earliest) {
                        offset = low;
                    } else if (target.latest) {
                        offset = high;
                    } else if (target.offset != null) {
                        offset = Math.min(Math.max(target.offset, low), high);
                    } else {
                        long found = byTime.getOrDefault(partition, -1L);
                        offset = found < 0 ? high : found;
                    }
                    plan.put(partition, new OffsetAndMetadata(offset));
                }
                if (!dryRun) {
                    admin.alterConsumerGroupOffsets(group, plan).all().get();
                }
                Table table = new Table("TOPIC", "PARTITION", "NEW-OFFSET");
                plan.forEach(
                        (partition, offset) -> table.row(partition.topic(), partition.partition(), offset.offset()));
                table.print(out, "");
                out.println(
                        dryRun
                                ? "Dry run: nothing committed."
                                : "Committed new offsets for " + plan.size() + " partitions of group " + group + ".");
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a group that has no members.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClientOptions client;

        @Parameters(paramLabel = "GROUP", description = "Group id.")
        String group;

        @Override
        public Integer call() {
            return withGroup(spec, client, group, (admin, out) -> {
                admin.deleteConsumerGroups(List.of(group)).all().get();
                out.println("Deleted group " + group + ".");
            });
        }
    }

    /** A reset refused because the group is in use. */
    static final class GroupBusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GroupBusyException(String message) {
            super(message);
        }
    }

    private static int withGroup(
            CommandSpec spec, ClientOptions client, String group, TopicCommand.AdminAction action) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return TopicCommand.withAdmin(spec, client, null, (admin, out) -> {
                try {
                    action.run(admin, out);
                } catch (ExecutionException e) {
                    if (CliErrors.unwrap(e) instanceof GroupIdNotFoundException) {
                        throw new GroupBusyException("group '" + group + "' does not exist");
                    }
                    throw e;
                }
            });
        } catch (GroupBusyException e) {
            spec.commandLine().getOut().flush();
            err.println("Error: " + e.getMessage());
            return BrookCommand.EXIT_FAILURE;
        }
    }

    private static ConsumerGroupDescription describeGroup(Admin admin, String group)
            throws ExecutionException, InterruptedException {
        ConsumerGroupDescription description = describeGroupIfAny(admin, group);
        if (description == null) {
            throw new GroupBusyException("group '" + group + "' does not exist");
        }
        return description;
    }

    /** The group's description, or null if the broker does not know it. */
    private static ConsumerGroupDescription describeGroupIfAny(Admin admin, String group)
            throws ExecutionException, InterruptedException {
        try {
            return admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get();
        } catch (ExecutionException e) {
            if (CliErrors.unwrap(e) instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((partition, offset) -> {
                    if (offset != null) {
                        committed.put(partition, offset);
                    }
                });
        return committed;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, Long> offsets =
                new TreeMap<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> entry :
                admin.listOffsets(request).all().get().entrySet()) {
            offsets.put(entry.getKey(), entry.getValue().offset());
        }
        return offsets;
    }

    static long parseTime(CommandSpec spec, String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException again) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--to-datetime wants a time like 2026-12-01T10:00:00Z or 2026-12-01T10:00:00; got '" + text
                                + "'");
            }
        }
    }
}
