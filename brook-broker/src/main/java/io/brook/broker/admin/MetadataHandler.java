package io.brook.broker.admin;

import io.brook.broker.BrokerContext;
import io.brook.broker.topic.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;

/**
 * Metadata: this node as the only broker, controller and leader of every partition (leader epoch 0), with topic
 * ids. A requested topic that does not exist is created when auto-creation is on and the client allows it.
 */
public final class MetadataHandler {
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;
    private final BrokerContext context;

    public MetadataHandler(BrokerContext context) {
        this.context = context;
    }

    public MetadataResponseData handle(MetadataRequestData request, short version) {
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(context.clusterId())
                .setControllerId(context.nodeId())
                .setClusterAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        response.brokers()
                .add(new MetadataResponseBroker()
                        .setNodeId(context.nodeId())
                        .setHost(context.host())
                        .setPort(context.port().getAsInt()));
        boolean allTopics =
                request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (allTopics) {
            for (Topic topic : context.topics().topics()) {
                response.topics().add(describe(topic));
            }
            return response;
        }
        boolean mayCreate = context.config().autoCreateTopics() && (version < 4 || request.allowAutoTopicCreation());
        for (MetadataRequestData.MetadataRequestTopic requested : request.topics()) {
            response.topics().add(describe(requested, mayCreate));
        }
        return response;
    }

    private MetadataResponseTopic describe(MetadataRequestData.MetadataRequestTopic requested, boolean mayCreate) {
        // Clients that name topics by id send a null name (or, some, an empty one) with the id.
        boolean byId =
                requested.name() == null || (requested.name().isEmpty() && !Uuid.ZERO_UUID.equals(requested.topicId()));
        if (byId) {
            Uuid id = requested.topicId();
            return context.topics()
                    .topic(id)
                    .map(this::describe)
                    .orElseGet(() -> new MetadataResponseTopic()
                            .setTopicId(id)
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                            .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED));
        }
        String name = requested.name();
        Optional<Topic> topic = context.topics().topic(name);
        if (topic.isEmpty() && mayCreate) {
            topic = autoCreate(name);
            if (topic.isPresent()) {
                // Kafka answers LEADER_NOT_AVAILABLE for a topic it just created; Brook's is ready at once.
                return describe(topic.get());
            }
        }
        if (topic.isEmpty()) {
            Errors error = org.apache.kafka.common.internals.Topic.isValid(name)
                    ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                    : Errors.INVALID_TOPIC_EXCEPTION;
            return new MetadataResponseTopic()
                    .setName(name)
                    .setErrorCode(error.code())
                    .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        }
        return describe(topic.get());
    }

    private Optional<Topic> autoCreate(String name) {
        if (!org.apache.kafka.common.internals.Topic.isValid(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(context.topics().create(name, context.config().defaultPartitions(), java.util.Map.of()));
        } catch (TopicExistsException e) {
            return context.topics().topic(name);
        } catch (IOException e) {
            throw new UncheckedIOException("could not auto-create topic " + name, e);
        }
    }

    private MetadataResponseTopic describe(Topic topic) {
        List<Integer> replicas = List.of(context.nodeId());
        MetadataResponseTopic result = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(false)
                .setTopicAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitions());
        for (int partition = 0; partition < topic.partitions(); partition++) {
            partitions.add(new MetadataResponsePartition()
                    .setPartitionIndex(partition)
                    .setLeaderId(context.nodeId())
                    .setLeaderEpoch(0)
                    .setReplicaNodes(replicas)
                    .setIsrNodes(replicas)
                    .setOfflineReplicas(List.of()));
        }
        result.setPartitions(partitions);
        return result;
    }
}
