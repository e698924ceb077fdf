package io.brook.broker;

import io.brook.broker.network.ApiVersionRange;
import io.brook.broker.network.SupportedApis;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs and versions Brook serves, advertised in ApiVersions exactly as served. Ranges follow what current clients
 * send (see CLIENTS.md) within what the pinned kafka-clients codec can decode. Produce is advertised from v0, as
 * Kafka does, because librdkafka before 2.11 turns compression off otherwise; v0-2 cannot be decoded and are refused.
 */
final class BrokerApis implements SupportedApis {
    private final Map<ApiKeys, ApiVersionRange> ranges;

    BrokerApis() {
        Map<ApiKeys, ApiVersionRange> map = new LinkedHashMap<>();
        map.put(ApiKeys.PRODUCE, range(0, 13));
        map.put(ApiKeys.FETCH, range(4, 18));
        map.put(ApiKeys.LIST_OFFSETS, range(1, 11));
        map.put(ApiKeys.METADATA, range(0, 13));
        map.put(ApiKeys.API_VERSIONS, range(0, 4));
        map.put(ApiKeys.CREATE_TOPICS, range(2, 7));
        map.put(ApiKeys.DELETE_TOPICS, range(1, 6));
        map.put(ApiKeys.DELETE_RECORDS, range(0, 2));
        map.put(ApiKeys.INIT_PRODUCER_ID, range(0, 5));
        map.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, range(2, 4));
        map.put(ApiKeys.DESCRIBE_CONFIGS, range(1, 4));
        map.put(ApiKeys.ALTER_CONFIGS, range(0, 2));
        map.put(ApiKeys.DESCRIBE_LOG_DIRS, range(1, 5));
        map.put(ApiKeys.CREATE_PARTITIONS, range(0, 3));
        map.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, range(0, 1));
        map.put(ApiKeys.DESCRIBE_CLUSTER, range(0, 2));
        map.put(ApiKeys.FIND_COORDINATOR, range(0, 6));
        map.put(ApiKeys.JOIN_GROUP, range(0, 9));
        map.put(ApiKeys.SYNC_GROUP, range(0, 5));
        map.put(ApiKeys.HEARTBEAT, range(0, 4));
        map.put(ApiKeys.LEAVE_GROUP, range(0, 5));
        map.put(ApiKeys.OFFSET_COMMIT, range(2, 10));
        map.put(ApiKeys.OFFSET_FETCH, range(1, 10));
        map.put(ApiKeys.OFFSET_DELETE, range(0, 0));
        map.put(ApiKeys.LIST_GROUPS, range(0, 5));
        map.put(ApiKeys.DESCRIBE_GROUPS, range(0, 6));
        map.put(ApiKeys.DELETE_GROUPS, range(0, 2));
        map.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, range(0, 1));
        map.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, range(0, 1));
        this.ranges = Collections.unmodifiableMap(map);
    }

    private static ApiVersionRange range(int min, int max) {
        return new ApiVersionRange((short) min, (short) max);
    }

    @Override
    public Map<ApiKeys, ApiVersionRange> ranges() {
        return ranges;
    }
}
