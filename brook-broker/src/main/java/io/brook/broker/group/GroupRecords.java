package io.brook.broker.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of Brook's offsets log: a committed offset, keyed by group, topic and partition, and a group's
 * membership, keyed by group. A record without a value (a tombstone) deletes its key. Keys are unique per thing, so a
 * compacted log keeps exactly the latest state. Every value starts with a version, so the format can grow.
 */
final class GroupRecords {
    static final short OFFSET_KEY = 1;
    static final short GROUP_KEY = 2;
    static final short CONSUMER_GROUP_KEY = 3;
    private static final short VALUE_VERSION = 0;

    private GroupRecords() {}

    /** A member as stored: enough to take it back after a restart. */
    record StoredMember(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            byte[] metadata,
            byte[] assignment) {}

    /** A group's membership as of its last completed rebalance. */
    record StoredGroup(
            String protocolType, int generationId, String protocolName, String leaderId, List<StoredMember> members) {
        StoredGroup {
            members = List.copyOf(members);
        }
    }

    static byte[] offsetKey(String group, TopicPartition partition) {
        Writer writer = new Writer();
        writer.putShort(OFFSET_KEY);
        writer.putString(group);
        writer.putString(partition.topic());
        writer.putInt(partition.partition());
        return writer.bytes();
    }

    static byte[] groupKey(String group) {
        Writer writer = new Writer();
        writer.putShort(GROUP_KEY);
        writer.putString(group);
        return writer.bytes();
    }

    static byte[] consumerGroupKey(String group) {
        Writer writer = new Writer();
        writer.putShort(CONSUMER_GROUP_KEY);
        writer.putString(group);
        return writer.bytes();
    }

    /** A consumer-protocol group: epochs, members with their reconciliation state, and the target assignment. */
    static byte[] consumerGroupValue(ConsumerGroup group) {
        Writer writer = new Writer();
        writer.putShort(VALUE_VERSION);
        writer.putInt(group.groupEpoch);
        writer.putInt(group.assignmentEpoch);
        writer.putLong(group.metadataHash);
        writer.putInt(group.members.size());
        for (ConsumerGroup.Member member : group.members.values()) {
            writer.putString(member.memberId);
            writer.putString(member.instanceId);
            writer.putString(member.rackId);
            writer.putString(member.clientId);
            writer.putString(member.clientHost);
            writer.putInt(member.rebalanceTimeoutMs);
            writer.putInt(member.subscribedTopicNames.size());
            member.subscribedTopicNames.forEach(writer::putString);
            writer.putString(member.subscribedTopicRegex);
            writer.putString(member.serverAssignor);
            writer.putInt(member.memberEpoch);
            writer.putInt(member.previousMemberEpoch);
            writer.putShort((short) member.state.ordinal());
            putPartitions(writer, member.assigned);
            putPartitions(writer, member.pendingRevocation);
            putPartitions(writer, group.targetAssignment.getOrDefault(member.memberId, java.util.Map.of()));
        }
        return writer.bytes();
    }

    private static void putPartitions(
            Writer writer, java.util.Map<org.apache.kafka.common.Uuid, java.util.Set<Integer>> partitions) {
        writer.putInt(partitions.size());
        partitions.forEach((topic, set) -> {
            writer.putLong(topic.getMostSignificantBits());
            writer.putLong(topic.getLeastSignificantBits());
            writer.putInt(set.size());
            set.forEach(writer::putInt);
        });
    }

    private static java.util.Map<org.apache.kafka.common.Uuid, java.util.Set<Integer>> readPartitions(
            ByteBuffer buffer) {
        java.util.Map<org.apache.kafka.common.Uuid, java.util.Set<Integer>> partitions = new java.util.TreeMap<>();
        int topics = buffer.getInt();
        for (int t = 0; t < topics; t++) {
            org.apache.kafka.common.Uuid topic = new org.apache.kafka.common.Uuid(buffer.getLong(), buffer.getLong());
            int count = buffer.getInt();
            java.util.Set<Integer> set = new java.util.TreeSet<>();
            for (int i = 0; i < count; i++) {
                set.add(buffer.getInt());
            }
            partitions.put(topic, set);
        }
        return partitions;
    }

    static ConsumerGroup readConsumerGroup(String groupId, int maxSize, ByteBuffer buffer) {
        checkVersion(buffer.getShort());
        ConsumerGroup group = new ConsumerGroup(groupId, maxSize);
        group.groupEpoch = buffer.getInt();
        group.assignmentEpoch = buffer.getInt();
        group.metadataHash = buffer.getLong();
        int count = buffer.getInt();
        for (int i = 0; i < count; i++) {
            ConsumerGroup.Member member = new ConsumerGroup.Member(readString(buffer));
            member.instanceId = readString(buffer);
            member.rackId = readString(buffer);
            member.clientId = readString(buffer);
            member.clientHost = readString(buffer);
            member.rebalanceTimeoutMs = buffer.getInt();
            int names = buffer.getInt();
            List<String> subscribed = new ArrayList<>(names);
            for (int n = 0; n < names; n++) {
                subscribed.add(readString(buffer));
            }
            member.subscribedTopicNames = List.copyOf(subscribed);
            member.subscribedTopicRegex = readString(buffer);
            member.serverAssignor = readString(buffer);
            member.memberEpoch = buffer.getInt();
            member.previousMemberEpoch = buffer.getInt();
            member.state = ConsumerGroup.MemberState.values()[buffer.getShort()];
            member.assigned = readPartitions(buffer);
            member.pendingRevocation = readPartitions(buffer);
            group.targetAssignment.put(member.memberId, readPartitions(buffer));
            group.members.put(member.memberId, member);
        }
        return group;
    }

    static byte[] offsetValue(CommittedOffset offset) {
        Writer writer = new Writer();
        writer.putShort(VALUE_VERSION);
        writer.putLong(offset.offset());
        writer.putInt(offset.leaderEpoch());
        writer.putString(offset.metadata());
        writer.putLong(offset.commitTimestampMs());
        return writer.bytes();
    }

    static byte[] groupValue(StoredGroup group) {
        Writer writer = new Writer();
        writer.putShort(VALUE_VERSION);
        writer.putString(group.protocolType());
        writer.putInt(group.generationId());
        writer.putString(group.protocolName());
        writer.putString(group.leaderId());
        writer.putInt(group.members().size());
        for (StoredMember member : group.members()) {
            writer.putString(member.memberId());
            writer.putString(member.groupInstanceId());
            writer.putString(member.clientId());
            writer.putString(member.clientHost());
            writer.putInt(member.rebalanceTimeoutMs());
            writer.putInt(member.sessionTimeoutMs());
            writer.putBytes(member.metadata());
            writer.putBytes(member.assignment());
        }
        return writer.bytes();
    }

    /** A decoded key: its type, the group and, for offsets, the partition. */
    record Key(short type, String group, TopicPartition partition) {}

    static Key readKey(ByteBuffer buffer) {
        short type = buffer.getShort();
        String group = readString(buffer);
        return switch (type) {
            case OFFSET_KEY -> new Key(type, group, new TopicPartition(readString(buffer), buffer.getInt()));
            case GROUP_KEY, CONSUMER_GROUP_KEY -> new Key(type, group, null);
            default -> throw new IllegalArgumentException("unknown offsets-log key type " + type);
        };
    }

    static CommittedOffset readOffset(ByteBuffer buffer) {
        checkVersion(buffer.getShort());
        return new CommittedOffset(buffer.getLong(), buffer.getInt(), readString(buffer), buffer.getLong());
    }

    static StoredGroup readGroup(ByteBuffer buffer) {
        checkVersion(buffer.getShort());
        String protocolType = readString(buffer);
        int generation = buffer.getInt();
        String protocolName = readString(buffer);
        String leader = readString(buffer);
        int count = buffer.getInt();
        List<StoredMember> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(new StoredMember(
                    readString(buffer),
                    readString(buffer),
                    readString(buffer),
                    readString(buffer),
                    buffer.getInt(),
                    buffer.getInt(),
                    readBytes(buffer),
                    readBytes(buffer)));
        }
        return new StoredGroup(protocolType, generation, protocolName, leader, members);
    }

    private static void checkVersion(short version) {
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("offsets-log value version " + version + " is newer than this Brook");
        }
    }

    private static String readString(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return bytes;
    }

    /** A growing big-endian buffer. */
    private static final class Writer {
        private ByteBuffer buffer = ByteBuffer.allocate(128);

        private void ensure(int more) {
            if (buffer.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        void putShort(short value) {
            ensure(2);
            buffer.putShort(value);
        }

        void putInt(int value) {
            ensure(4);
            buffer.putInt(value);
        }

        void putLong(long value) {
            ensure(8);
            buffer.putLong(value);
        }

        void putString(String value) {
            if (value == null) {
                putInt(-1);
                return;
            }
            putBytes(value.getBytes(StandardCharsets.UTF_8));
        }

        void putBytes(byte[] bytes) {
            putInt(bytes.length);
            ensure(bytes.length);
            buffer.put(bytes);
        }

        byte[] bytes() {
            byte[] bytes = new byte[buffer.position()];
            buffer.flip();
            buffer.get(bytes);
            return bytes;
        }
    }
}
