package io.brook.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.BrokerConfig;
import io.brook.broker.GroupSettings;
import io.brook.broker.topic.TopicConfigs;
import io.brook.broker.topic.TopicManager;
import io.brook.log.FileSystemStorage;
import io.brook.log.FlushPolicy;
import io.brook.log.LogConfig;
import io.brook.log.LogManager;
import io.brook.log.ManualTime;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offset expiry and the durability of deletions, against a real offsets log in a temporary directory. */
class GroupCoordinatorTest {
    private static final long RETENTION_MS = 60_000;
    private static final GroupSettings SETTINGS =
            new GroupSettings(0, 6000, 1_800_000, 100, 5000, 45000, RETENTION_MS, 600_000);

    @TempDir
    Path dataDir;

    private final ManualTime time = new ManualTime(1_000_000);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private LogManager logs;

    @AfterEach
    void close() throws Exception {
        timer.shutdownNow();
        if (logs != null) {
            logs.close();
        }
    }

    private GroupCoordinator open() throws Exception {
        if (logs != null) {
            logs.close();
        }
        logs = LogManager.open(dataDir, FileSystemStorage.INSTANCE, time, FlushPolicy.PER_ACK);
        TopicManager topics =
                TopicManager.load(FileSystemStorage.INSTANCE, logs, new TopicConfigs(BrokerConfig.defaults()));
        if (topics.topic("t").isEmpty()) {
            topics.create("t", 2, Map.of());
        }
        return GroupCoordinator.load(SETTINGS, timer, time, GroupLog.open(logs, LogConfig.defaults()), topics);
    }

    @Test
    void offsetsOfAGroupWithoutMembersExpireAfterTheRetentionAndTheExpiryIsDurable() throws Exception {
        // Given: a standalone consumer committed two offsets
        GroupCoordinator coordinator = open();
        TopicPartition p0 = new TopicPartition("t", 0);
        TopicPartition p1 = new TopicPartition("t", 1);
        long committedAt = time.milliseconds();
        assertThat(coordinator
                        .commitOffsets(
                                "g",
                                "",
                                null,
                                -1,
                                Map.of(
                                        p0, new CommittedOffset(5, -1, "", committedAt),
                                        p1, new CommittedOffset(7, -1, "", committedAt)))
                        .get(10, TimeUnit.SECONDS))
                .isEqualTo(Errors.NONE);

        // When: the retention has not quite passed, nothing expires
        assertThat(coordinator.expireOffsets(committedAt + RETENTION_MS - 1)).isZero();
        assertThat(coordinator.committed("g")).hasSize(2);

        // When: it has, both offsets and the group go
        assertThat(coordinator.expireOffsets(committedAt + RETENTION_MS)).isEqualTo(2);

        // Then: also after a restart
        assertThat(coordinator.committed("g")).isEmpty();
        assertThat(coordinator.exists("g")).isFalse();
        GroupCoordinator reopened = open();
        assertThat(reopened.committed("g")).isEmpty();
        assertThat(reopened.exists("g")).isFalse();
    }

    @Test
    void deletedGroupsStayDeletedAfterARestart() throws Exception {
        GroupCoordinator coordinator = open();
        TopicPartition p0 = new TopicPartition("t", 0);
        coordinator
                .commitOffsets("kept", "", null, -1, Map.of(p0, new CommittedOffset(3, 2, "meta", 1)))
                .get(10, TimeUnit.SECONDS);
        coordinator
                .commitOffsets("dropped", "", null, -1, Map.of(p0, new CommittedOffset(4, -1, "", 1)))
                .get(10, TimeUnit.SECONDS);
        assertThat(coordinator.delete("dropped")).isEqualTo(Errors.NONE);

        GroupCoordinator reopened = open();

        assertThat(reopened.exists("dropped")).isFalse();
        assertThat(reopened.committed("kept", p0)).isEqualTo(new CommittedOffset(3, 2, "meta", 1));
    }
}
