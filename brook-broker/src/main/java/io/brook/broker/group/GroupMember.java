package io.brook.broker.group;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/** One member of a classic group. Guarded by its group's monitor. */
final class GroupMember {
    final String memberId;
    final String groupInstanceId;
    final String clientId;
    final String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    /** Protocol name to metadata, in the member's order of preference. */
    Map<String, byte[]> protocols;

    byte[] assignment = new byte[0];
    long lastHeartbeatNanos;
    /** Set while the member waits in JoinGroup for the rebalance to complete. */
    CompletableFuture<JoinGroupResponseData> pendingJoin;
    /** Set while the member waits in SyncGroup for the leader's assignment. */
    CompletableFuture<SyncGroupResponseData> pendingSync;

    GroupMember(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            Map<String, byte[]> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = new LinkedHashMap<>(protocols);
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    boolean awaitingJoin() {
        return pendingJoin != null;
    }

    boolean awaitingSync() {
        return pendingSync != null;
    }

    /** Whether the member's protocols (names and metadata) equal these. */
    boolean hasSameProtocols(Map<String, byte[]> other) {
        if (!protocols.keySet().equals(other.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : protocols.entrySet()) {
            if (!java.util.Arrays.equals(entry.getValue(), other.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    byte[] metadata(String protocol) {
        byte[] metadata = protocols.get(protocol);
        return metadata == null ? new byte[0] : metadata;
    }
}
