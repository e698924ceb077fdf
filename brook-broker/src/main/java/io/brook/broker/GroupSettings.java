package io.brook.broker;

/**
 * How the group coordinator treats consumer groups; Kafka's keys and defaults.
 *
 * @param initialRebalanceDelayMs how long the first rebalance of an empty group waits for more members
 * @param minSessionTimeoutMs the smallest session timeout a member may ask for
 * @param maxSessionTimeoutMs the largest session timeout a member may ask for
 * @param maxSize the most members a group may have
 * @param consumerHeartbeatIntervalMs how often members of consumer-protocol groups heartbeat
 * @param consumerSessionTimeoutMs how long a consumer-protocol member may go without a heartbeat
 * @param offsetsRetentionMs how long the committed offsets of a group without members are kept
 * @param offsetsRetentionCheckIntervalMs how often expired offsets are looked for
 */
public record GroupSettings(
        int initialRebalanceDelayMs,
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int maxSize,
        int consumerHeartbeatIntervalMs,
        int consumerSessionTimeoutMs,
        long offsetsRetentionMs,
        long offsetsRetentionCheckIntervalMs) {}
