package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogConfigTest {
    @Test
    void defaultsDeleteByRetentionOnlyWithKafkasCompactionDefaults() {
        // When
        LogConfig config = LogConfig.defaults();

        // Then
        assertThat(config.cleanupPolicyCompact()).isFalse();
        assertThat(config.cleanupPolicyDelete()).isTrue();
        assertThat(config.deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(config.minCleanableDirtyRatio()).isEqualTo(0.5);
        assertThat(config.minCompactionLagMs()).isZero();
        assertThat(config.retentionMs()).isEqualTo(604_800_000L);
    }

    @Test
    void theConstructorWithoutCompactionSettingsMeansDeleteOnly() {
        // When
        LogConfig config = new LogConfig(1024, 1, -1, -1, 100, 4096, 64, false, FlushPolicy.NONE);

        // Then
        assertThat(config)
                .isEqualTo(new LogConfig(
                        1024, 1, -1, -1, 100, 4096, 64, false, FlushPolicy.NONE, false, true, 86_400_000L, 0.5, 0));
    }

    @Test
    void eachWithMethodChangesItsSettingOnly() {
        // Given
        LogConfig defaults = LogConfig.defaults();

        // When
        LogConfig changed = defaults.withCleanupPolicyCompact(true)
                .withCleanupPolicyDelete(false)
                .withDeleteRetentionMs(5)
                .withMinCleanableDirtyRatio(0.25)
                .withMinCompactionLagMs(7);

        // Then
        assertThat(changed)
                .isEqualTo(new LogConfig(
                        defaults.segmentBytes(),
                        defaults.segmentMs(),
                        defaults.retentionMs(),
                        defaults.retentionBytes(),
                        defaults.maxMessageBytes(),
                        defaults.indexIntervalBytes(),
                        defaults.segmentIndexBytes(),
                        defaults.logAppendTime(),
                        defaults.flushPolicy(),
                        true,
                        false,
                        5,
                        0.25,
                        7));
        assertThat(changed.withSegmentBytes(2048).withFlushPolicy(FlushPolicy.NONE))
                .extracting(LogConfig::cleanupPolicyCompact, LogConfig::minCleanableDirtyRatio)
                .containsExactly(true, 0.25);
    }

    @Test
    void rejectsCompactionSettingsOutOfRange() {
        LogConfig defaults = LogConfig.defaults();
        assertThatThrownBy(() -> defaults.withDeleteRetentionMs(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deleteRetentionMs must be >= 0, was -1");
        assertThatThrownBy(() -> defaults.withMinCleanableDirtyRatio(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minCleanableDirtyRatio must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> defaults.withMinCleanableDirtyRatio(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minCleanableDirtyRatio must be between 0 and 1, was NaN");
        assertThatThrownBy(() -> defaults.withMinCompactionLagMs(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("minCompactionLagMs must be >= 0, was -2");
    }
}
