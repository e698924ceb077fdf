package io.brook.broker.produce;

import static java.util.Objects.requireNonNull;

import io.brook.broker.BrokerContext;
import io.brook.broker.admin.ApiErrors;
import io.brook.broker.fetch.PartitionWatchers;
import io.brook.broker.topic.Topic;
import io.brook.broker.topic.TopicMetrics;
import io.brook.log.AppendResult;
import io.brook.log.PartitionLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ApiError;

/**
 * Produce and InitProducerId. Batches are appended as received (the log assigns offsets and checks idempotent
 * sequences); acks=all is answered once every partition's append is durable, per the flush policy; acks=0 gets no
 * answer at all.
 */
public final class ProduceHandler {
    private final BrokerContext context;
    private final PartitionWatchers watchers;
    private final ProducerIdManager producerIds;
    private final TopicMetrics metrics;

    public ProduceHandler(
            BrokerContext context, PartitionWatchers watchers, ProducerIdManager producerIds, TopicMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.context = context;
        this.watchers = watchers;
        this.producerIds = producerIds;
    }

    public CompletionStage<ApiMessage> produce(ProduceRequestData request, short version) {
        short acks = request.acks();
        boolean validAcks = acks == -1 || acks == 0 || acks == 1;
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<Void>> durability = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            TopicProduceResponse topicResponse =
                    new TopicProduceResponse().setName(topicData.name()).setTopicId(topicData.topicId());
            String topicName = topicData.name();
            Errors unknown = Errors.UNKNOWN_TOPIC_OR_PARTITION;
            if (version >= 13) {
                topicName = context.topics()
                        .topic(topicData.topicId())
                        .map(Topic::name)
                        .orElse(null);
                unknown = Errors.UNKNOWN_TOPIC_ID;
            }
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse partitionResponse = new PartitionProduceResponse()
                        .setIndex(partitionData.index())
                        .setBaseOffset(-1)
                        .setLogAppendTimeMs(-1)
                        .setLogStartOffset(-1);
                topicResponse.partitionResponses().add(partitionResponse);
                if (!validAcks) {
                    partitionResponse
                            .setErrorCode(Errors.INVALID_REQUIRED_ACKS.code())
                            .setErrorMessage("acks must be -1 (all), 0 or 1; got " + acks);
                    continue;
                }
                if (request.transactionalId() != null) {
                    partitionResponse
                            .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                            .setErrorMessage("Brook does not support transactions yet");
                    continue;
                }
                PartitionLog log = topicName == null ? null : context.topics().log(topicName, partitionData.index());
                if (log == null) {
                    partitionResponse
                            .setErrorCode(unknown.code())
                            .setErrorMessage("This server does not host "
                                    + (topicName == null ? "topic id " + topicData.topicId() : topicName) + "-"
                                    + partitionData.index());
                    continue;
                }
                try {
                    MemoryRecords records = (MemoryRecords) partitionData.records();
                    if (records == null) {
                        throw new io.brook.log.CorruptRecordException("produce request has null records");
                    }
                    if (log.config().cleanupPolicyCompact() && hasRecordWithoutKey(records)) {
                        // Compaction keeps the latest record per key; a record without one could never be kept.
                        partitionResponse
                                .setErrorCode(Errors.INVALID_RECORD.code())
                                .setErrorMessage("Compacted topic cannot accept message without key in topic partition "
                                        + log.name() + ".");
                        continue;
                    }
                    AppendResult result = log.append(records.buffer());
                    partitionResponse
                            .setBaseOffset(result.firstOffset())
                            .setLogAppendTimeMs(result.logAppendTime())
                            .setLogStartOffset(result.logStartOffset());
                    if (!result.duplicate()) {
                        watchers.notifyAppended(log);
                        metrics.appended(
                                topicName, result.lastOffset() - result.firstOffset() + 1, records.sizeInBytes());
                    }
                    if (acks == -1) {
                        durability.add(context.logs()
                                .awaitDurable(log, result.lastOffset())
                                .exceptionally(error -> {
                                    ApiError apiError = ApiErrors.of(error);
                                    partitionResponse
                                            .setErrorCode(apiError.error().code())
                                            .setErrorMessage(apiError.message());
                                    return null;
                                }));
                    } else {
                        context.logs().appendedWithoutWaiting(log);
                    }
                } catch (RuntimeException e) {
                    ApiError error = ApiErrors.of(e);
                    partitionResponse.setErrorCode(error.error().code()).setErrorMessage(error.message());
                }
            }
            response.responses().add(topicResponse);
        }
        if (acks == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (durability.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return CompletableFuture.allOf(durability.toArray(new CompletableFuture<?>[0]))
                .thenApply(ignored -> response);
    }

    public InitProducerIdResponseData initProducerId(InitProducerIdRequestData request, short version) {
        InitProducerIdResponseData response =
                new InitProducerIdResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        if (request.transactionalId() != null) {
            // Transactions come with a later issue; the producer sees this as an unsupported feature.
            return response.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        }
        try {
            // As in Kafka, an idempotent producer gets a fresh id every time, epoch 0.
            return response.setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0);
        } catch (IOException e) {
            return response.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
    }

    private static boolean hasRecordWithoutKey(MemoryRecords records) {
        try {
            for (org.apache.kafka.common.record.internal.RecordBatch batch :
                    MemoryRecords.readableRecords(records.buffer().duplicate()).batches()) {
                for (org.apache.kafka.common.record.internal.Record record : batch) {
                    if (!record.hasKey()) {
                        return true;
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            // A batch that cannot be decoded is refused by the append with a clear CORRUPT_MESSAGE.
            return false;
        }
    }
}
