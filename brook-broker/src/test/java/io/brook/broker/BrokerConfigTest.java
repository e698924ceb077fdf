package io.brook.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.log.FlushPolicy;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
    @Test
    void pinsEveryDefault() {
        BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.dataDir()).isEqualTo(Path.of("./brook-data"));
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.defaultPartitions()).isEqualTo(1);
        assertThat(config.autoCreateTopics()).isFalse();
        assertThat(config.ioThreads()).isGreaterThanOrEqualTo(2);
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(config.messageMaxBytes()).isEqualTo(1048588);
        assertThat(config.segmentBytes()).isEqualTo(1073741824L);
        assertThat(config.segmentMs()).isEqualTo(604800000L);
        assertThat(config.retentionMs()).isEqualTo(604800000L);
        assertThat(config.retentionBytes()).isEqualTo(-1L);
        assertThat(config.retentionCheckIntervalMs()).isEqualTo(300000L);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.segmentIndexBytes()).isEqualTo(10485760);
        assertThat(config.flushPolicy()).isEqualTo(FlushPolicy.PER_ACK);
        assertThat(config.flushIntervalMs()).isEqualTo(1000L);
    }

    @Test
    void mapsEveryKey() {
        BrokerConfig config = BrokerConfig.parse(Map.ofEntries(
                Map.entry("brook.host", "0.0.0.0"),
                Map.entry("brook.kafka.port", "19092"),
                Map.entry("log.dir", "/tmp/x"),
                Map.entry("node.id", "3"),
                Map.entry("num.partitions", "6"),
                Map.entry("auto.create.topics.enable", "true"),
                Map.entry("num.io.threads", "5"),
                Map.entry("socket.request.max.bytes", "2048"),
                Map.entry("message.max.bytes", "1000"),
                Map.entry("log.segment.bytes", "4096"),
                Map.entry("log.roll.ms", "60000"),
                Map.entry("log.retention.ms", "-1"),
                Map.entry("log.retention.bytes", "123456"),
                Map.entry("log.retention.check.interval.ms", "1000"),
                Map.entry("log.index.interval.bytes", "100"),
                Map.entry("log.index.size.max.bytes", "1024"),
                Map.entry("brook.flush.policy", "interval"),
                Map.entry("log.flush.interval.ms", "50"),
                Map.entry("brook.flush.background.bytes", "65536"),
                Map.entry("log.cleaner.backoff.ms", "250"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("group.min.session.timeout.ms", "1000"),
                Map.entry("group.max.session.timeout.ms", "60000"),
                Map.entry("group.max.size", "10"),
                Map.entry("group.consumer.heartbeat.interval.ms", "500"),
                Map.entry("group.consumer.session.timeout.ms", "6000"),
                Map.entry("offsets.retention.minutes", "2"),
                Map.entry("offsets.retention.check.interval.ms", "1000")));
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.kafkaPort()).isEqualTo(19092);
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(config.nodeId()).isEqualTo(3);
        assertThat(config.defaultPartitions()).isEqualTo(6);
        assertThat(config.autoCreateTopics()).isTrue();
        assertThat(config.ioThreads()).isEqualTo(5);
        assertThat(config.socketRequestMaxBytes()).isEqualTo(2048);
        assertThat(config.messageMaxBytes()).isEqualTo(1000);
        assertThat(config.segmentBytes()).isEqualTo(4096L);
        assertThat(config.segmentMs()).isEqualTo(60000L);
        assertThat(config.retentionMs()).isEqualTo(-1L);
        assertThat(config.retentionBytes()).isEqualTo(123456L);
        assertThat(config.retentionCheckIntervalMs()).isEqualTo(1000L);
        assertThat(config.indexIntervalBytes()).isEqualTo(100);
        assertThat(config.segmentIndexBytes()).isEqualTo(1024);
        assertThat(config.flushPolicy()).isEqualTo(FlushPolicy.INTERVAL);
        assertThat(config.flushIntervalMs()).isEqualTo(50L);
        assertThat(config.backgroundFlushBytes()).isEqualTo(65536L);
        assertThat(config.cleanerBackoffMs()).isEqualTo(250L);
        assertThat(config.groups()).isEqualTo(new GroupSettings(0, 1000, 60000, 10, 500, 6000, 120_000L, 1000L));
        assertThat(BrokerConfig.DEFINITION.names()).hasSize(28);
    }

    @Test
    void rejectsAMinimumSessionTimeoutAboveTheMaximum() {
        assertThatThrownBy(() -> BrokerConfig.parse(
                        Map.of("group.min.session.timeout.ms", "9000", "group.max.session.timeout.ms", "8000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("group.min.session.timeout.ms")
                .hasMessageContaining("group.max.session.timeout.ms");
    }

    @Test
    void rejectsAnUnknownKeyNamingTheClosestOne() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.segment.byte", "10")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Unknown configuration key 'log.segment.byte'; did you mean 'log.segment.bytes'?");
    }

    @Test
    void rejectsABadValueNamingTheKey() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("brook.kafka.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 70000 for configuration brook.kafka.port: Value must be no more than 65535");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("brook.flush.policy", "sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("brook.flush.policy")
                .hasMessageContaining("sometimes");
    }
}
