package io.brook.broker.group;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A snapshot of a group: what DescribeGroups and ListGroups report. */
public record GroupSummary(
        String groupId,
        GroupState state,
        String protocolType,
        String protocolName,
        int generationId,
        String leaderId,
        List<Member> members) {
    public GroupSummary {
        requireNonNull(groupId, "groupId is null");
        requireNonNull(state, "state is null");
        members = List.copyOf(members);
    }

    /** A member as DescribeGroups shows it; metadata and assignment are empty unless the group is stable. */
    public record Member(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            byte[] metadata,
            byte[] assignment) {}
}
