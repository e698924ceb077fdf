package io.brook.broker.fetch;

import io.brook.broker.BrokerContext;
import io.brook.broker.admin.ApiErrors;
import io.brook.log.PartitionLog;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ApiError;

/**
 * ListOffsets (earliest, latest, max timestamp, and by timestamp: the first record at or after it) and
 * OffsetForLeaderEpoch (a single node stays at leader epoch 0).
 */
public final class ListOffsetsHandler {
    private static final long LATEST = -1;
    private static final long EARLIEST = -2;
    private static final long MAX_TIMESTAMP = -3;
    private static final long EARLIEST_LOCAL = -4;

    private final BrokerContext context;

    public ListOffsetsHandler(BrokerContext context) {
        this.context = context;
    }

    public ListOffsetsResponseData listOffsets(ListOffsetsRequestData request, short version) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsPartitionResponse result = new ListOffsetsPartitionResponse()
                        .setPartitionIndex(partition.partitionIndex())
                        .setTimestamp(-1)
                        .setOffset(-1)
                        .setLeaderEpoch(-1);
                PartitionLog log = context.topics().log(topic.name(), partition.partitionIndex());
                if (log == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else {
                    try {
                        lookup(log, partition.timestamp(), result);
                        if (version >= 4) { // the field only exists from v4; writing it earlier fails
                            result.setLeaderEpoch(0);
                        }
                    } catch (RuntimeException e) {
                        ApiError error = ApiErrors.of(e);
                        result.setErrorCode(error.error().code());
                    }
                }
                topicResponse.partitions().add(result);
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private static void lookup(PartitionLog log, long timestamp, ListOffsetsPartitionResponse result) {
        if (timestamp == LATEST) {
            result.setOffset(log.highWatermark());
        } else if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            result.setOffset(log.logStartOffset());
        } else if (timestamp == MAX_TIMESTAMP) {
            ByteBuffer batch = log.batchWithMaxTimestamp();
            if (batch != null) {
                Record best = null;
                for (Record record : records(batch)) {
                    if (record.offset() >= log.logStartOffset()
                            && (best == null || record.timestamp() > best.timestamp())) {
                        best = record;
                    }
                }
                if (best != null) {
                    result.setOffset(best.offset()).setTimestamp(best.timestamp());
                }
            }
        } else if (timestamp >= 0) {
            ByteBuffer batch = log.batchAtOrAfterTimestamp(timestamp);
            if (batch != null) {
                for (Record record : records(batch)) {
                    if (record.offset() >= log.logStartOffset() && record.timestamp() >= timestamp) {
                        result.setOffset(record.offset()).setTimestamp(record.timestamp());
                        return;
                    }
                }
            }
        }
        // Other special timestamps (tiered storage) have no meaning without remote storage: offset -1.
    }

    private static Iterable<Record> records(ByteBuffer batch) {
        java.util.List<Record> records = new java.util.ArrayList<>();
        for (RecordBatch recordBatch : MemoryRecords.readableRecords(batch).batches()) {
            for (Record record : recordBatch) {
                records.add(record);
            }
        }
        return records;
    }

    public OffsetForLeaderEpochResponseData offsetForLeaderEpoch(
            OffsetForLeaderEpochRequestData request, short version) {
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult topicResult =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition : topic.partitions()) {
                OffsetForLeaderEpochResponseData.EpochEndOffset result =
                        new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                .setPartition(partition.partition())
                                .setLeaderEpoch(-1)
                                .setEndOffset(-1);
                PartitionLog log = context.topics().log(topic.topic(), partition.partition());
                if (log == null) {
                    result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (partition.currentLeaderEpoch() > 0) {
                    result.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
                } else if (partition.leaderEpoch() == 0) {
                    result.setLeaderEpoch(0).setEndOffset(log.logEndOffset());
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        return response;
    }
}
