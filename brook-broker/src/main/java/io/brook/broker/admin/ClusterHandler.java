package io.brook.broker.admin;

import io.brook.broker.BrokerContext;
import io.brook.broker.topic.Topic;
import io.brook.log.PartitionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.requests.ApiError;

/** DescribeCluster, DescribeLogDirs and DeleteRecords. */
public final class ClusterHandler {
    private final BrokerContext context;

    public ClusterHandler(BrokerContext context) {
        this.context = context;
    }

    public DescribeClusterResponseData describeCluster(DescribeClusterRequestData request, short version) {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(context.clusterId())
                .setControllerId(context.nodeId())
                .setEndpointType(request.endpointType())
                .setClusterAuthorizedOperations(Integer.MIN_VALUE);
        response.brokers()
                .add(new DescribeClusterResponseData.DescribeClusterBroker()
                        .setBrokerId(context.nodeId())
                        .setHost(context.host())
                        .setPort(context.port().getAsInt())
                        .setIsFenced(false));
        return response;
    }

    public DescribeLogDirsResponseData describeLogDirs(DescribeLogDirsRequestData request, short version) {
        DescribeLogDirsResponseData.DescribeLogDirsResult result =
                new DescribeLogDirsResponseData.DescribeLogDirsResult()
                        .setLogDir(context.logs().dataDir().toAbsolutePath().toString());
        try {
            var store = Files.getFileStore(context.logs().dataDir());
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            result.setTotalBytes(-1).setUsableBytes(-1);
        }
        for (Topic topic : context.topics().topics()) {
            List<Integer> wanted = null;
            if (request.topics() != null) {
                var requested = request.topics().find(topic.name());
                if (requested == null) {
                    continue;
                }
                wanted = requested.partitions();
            }
            DescribeLogDirsResponseData.DescribeLogDirsTopic entry =
                    new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(topic.name());
            for (int partition = 0; partition < topic.partitions(); partition++) {
                if (wanted != null && !wanted.contains(partition)) {
                    continue;
                }
                PartitionLog log = context.topics().log(topic.name(), partition);
                if (log != null) {
                    entry.partitions()
                            .add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                                    .setPartitionIndex(partition)
                                    .setPartitionSize(log.sizeInBytes())
                                    .setOffsetLag(0)
                                    .setIsFutureKey(false));
                }
            }
            result.topics().add(entry);
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        response.results().add(result);
        return response;
    }

    public DeleteRecordsResponseData deleteRecords(DeleteRecordsRequestData request, short version) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                DeleteRecordsPartitionResult result =
                        new DeleteRecordsPartitionResult().setPartitionIndex(partition.partitionIndex());
                try {
                    PartitionLog log = context.topics().log(topic.name(), partition.partitionIndex());
                    if (log == null) {
                        throw new UnknownTopicOrPartitionException("This server does not host partition " + topic.name()
                                + "-" + partition.partitionIndex());
                    }
                    long offset = partition.offset() == -1 ? log.highWatermark() : partition.offset();
                    result.setLowWatermark(context.logs().deleteRecordsBefore(log, offset));
                } catch (RuntimeException | IOException e) {
                    ApiError error = ApiErrors.of(e);
                    result.setErrorCode(error.error().code()).setLowWatermark(-1);
                }
                topicResult.partitions().add(result);
            }
            response.topics().add(topicResult);
        }
        return response;
    }
}
