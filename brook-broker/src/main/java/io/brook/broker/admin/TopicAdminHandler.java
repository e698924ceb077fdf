package io.brook.broker.admin;

import static java.util.Objects.requireNonNull;

import io.brook.broker.BrokerContext;
import io.brook.broker.topic.Topic;
import io.brook.broker.topic.TopicConfigs;
import io.brook.broker.topic.TopicMetrics;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/** CreateTopics, DeleteTopics and CreatePartitions on a single node (replication factor 1). */
public final class TopicAdminHandler {
    private final BrokerContext context;
    private final TopicMetrics metrics;

    /** Topic administration; a deleted topic's traffic counters leave {@code metrics}. */
    public TopicAdminHandler(BrokerContext context, TopicMetrics metrics) {
        this.context = context;
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    public CreateTopicsResponseData createTopics(CreateTopicsRequestData request, short version) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic topic : request.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        for (CreatableTopic topic : request.topics()) {
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            if (duplicates.contains(topic.name())) {
                if (response.topics().find(topic.name()) == null) {
                    setError(result, new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name " + topic.name()));
                    response.topics().add(result);
                }
                continue;
            }
            try {
                int partitions = partitionCount(topic);
                Map<String, String> overrides = new TreeMap<>();
                topic.configs().forEach(config -> overrides.put(config.name(), config.value()));
                context.topics().validateCreate(topic.name(), partitions, overrides);
                Topic created = request.validateOnly()
                        ? new Topic(topic.name(), org.apache.kafka.common.Uuid.ZERO_UUID, partitions, overrides)
                        : context.topics().create(topic.name(), partitions, overrides);
                result.setTopicId(created.id())
                        .setNumPartitions(partitions)
                        .setReplicationFactor((short) 1)
                        .setConfigs(describeConfigs(created.overrides()));
            } catch (RuntimeException | IOException e) {
                setError(result, ApiErrors.of(e));
            }
            response.topics().add(result);
        }
        return response;
    }

    private int partitionCount(CreatableTopic topic) {
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
                throw new InvalidRequestException(
                        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used"
                                + " at the same time.");
            }
            for (var assignment : topic.assignments()) {
                if (!assignment.brokerIds().equals(List.of(context.nodeId()))) {
                    throw new InvalidReplicaAssignmentException("Partition " + assignment.partitionIndex()
                            + " is assigned to brokers " + assignment.brokerIds() + "; this cluster has only broker "
                            + context.nodeId());
                }
            }
            return topic.assignments().size();
        }
        if (topic.replicationFactor() != -1 && topic.replicationFactor() != 1) {
            throw new InvalidReplicationFactorException("Unable to replicate the partition "
                    + topic.replicationFactor() + " time(s): The target replication factor of "
                    + topic.replicationFactor() + " cannot be reached because only 1 broker(s) are registered.");
        }
        return topic.numPartitions() == -1 ? context.config().defaultPartitions() : topic.numPartitions();
    }

    private List<CreatableTopicConfigs> describeConfigs(Map<String, String> overrides) {
        TopicConfigs configs = context.topics().configs();
        List<CreatableTopicConfigs> result = new java.util.ArrayList<>();
        for (String name : configs.names()) {
            boolean overridden = overrides.containsKey(name);
            result.add(new CreatableTopicConfigs()
                    .setName(name)
                    .setValue(overridden ? overrides.get(name) : configs.defaultValue(name))
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource(overridden ? ConfigSource.TOPIC_CONFIG.id() : ConfigSource.DEFAULT_CONFIG.id()));
        }
        return result;
    }

    private static void setError(CreatableTopicResult result, ApiError error) {
        result.setErrorCode(error.error().code()).setErrorMessage(error.message());
    }

    public DeleteTopicsResponseData deleteTopics(DeleteTopicsRequestData request, short version) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        Map<String, org.apache.kafka.common.Uuid> targets = new java.util.LinkedHashMap<>();
        for (String name : request.topicNames()) {
            targets.put(name, null);
        }
        for (DeleteTopicsRequestData.DeleteTopicState state : request.topics()) {
            if (state.name() != null) {
                targets.put(state.name(), null);
            } else {
                DeletableTopicResult result = new DeletableTopicResult().setTopicId(state.topicId());
                var topic = context.topics().topic(state.topicId());
                if (topic.isEmpty()) {
                    ApiError error = ApiErrors.of(
                            new UnknownTopicIdException("Topic id " + state.topicId() + " does not exist."));
                    response.responses()
                            .add(result.setErrorCode(error.error().code()).setErrorMessage(error.message()));
                } else {
                    targets.put(topic.get().name(), state.topicId());
                }
            }
        }
        for (Map.Entry<String, org.apache.kafka.common.Uuid> target : targets.entrySet()) {
            DeletableTopicResult result = new DeletableTopicResult().setName(target.getKey());
            context.topics().topic(target.getKey()).ifPresent(topic -> result.setTopicId(topic.id()));
            try {
                context.topics().delete(target.getKey());
                metrics.forget(target.getKey());
            } catch (RuntimeException | IOException e) {
                ApiError error = ApiErrors.of(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message());
            }
            response.responses().add(result);
        }
        return response;
    }

    public CreatePartitionsResponseData createPartitions(CreatePartitionsRequestData request, short version) {
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        Map<String, Integer> counts = new HashMap<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            try {
                if (counts.put(topic.name(), topic.count()) != null) {
                    throw new InvalidRequestException("Duplicate topic in request: " + topic.name());
                }
                if (topic.assignments() != null) {
                    for (var assignment : topic.assignments()) {
                        if (!assignment.brokerIds().equals(List.of(context.nodeId()))) {
                            throw new InvalidReplicaAssignmentException("Assignment " + assignment.brokerIds()
                                    + " names brokers other than " + context.nodeId());
                        }
                    }
                }
                if (request.validateOnly()) {
                    context.topics().validatePartitionIncrease(topic.name(), topic.count());
                } else {
                    context.topics().increasePartitions(topic.name(), topic.count());
                }
            } catch (RuntimeException | IOException e) {
                ApiError error = ApiErrors.of(e);
                result.setErrorCode(error.error().code()).setErrorMessage(error.message());
            }
            response.results().add(result);
        }
        return response;
    }
}
