package io.brook.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WatermarkBoundTest {
    @Test
    void boundsEvaluateAsTheMinimumOfTheirTerms() {
        Random random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            // Given
            long a = random.nextInt(2_000_000_000) - 1_000_000_000L;
            long b = random.nextInt(2_000_000_000) - 1_000_000_000L;
            long c = random.nextInt(2_000_000_000) - 1_000_000_000L;
            long previous = random.nextLong(1_000_000_000_000L);
            long watermark = previous + random.nextInt(1_000_000_000);
            WatermarkBound current = WatermarkBound.CURRENT.plus(a);
            WatermarkBound lagging =
                    current.previous().min(WatermarkBound.CURRENT.plus(b)).plus(c);

            // When / Then
            assertThat(current.at(watermark, previous)).isEqualTo(watermark + a);
            assertThat(lagging.at(watermark, previous)).isEqualTo(Math.min(previous + a, watermark + b) + c);
            assertThat(current.min(lagging).at(watermark, previous))
                    .isEqualTo(Math.min(current.at(watermark, previous), lagging.at(watermark, previous)));
        }
    }

    @Test
    void withoutAWatermarkNothingIsLateOrClosed() {
        // Given
        WatermarkBound lagging = WatermarkBound.CURRENT.previous().min(WatermarkBound.CURRENT);

        // When / Then: the first batch with a watermark still has none for what operators emit
        assertThat(WatermarkBound.CURRENT.at(Long.MIN_VALUE, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(lagging.at(5_000_000, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(lagging.at(5_000_000, 2_000_000)).isEqualTo(2_000_000);
        assertThat(WatermarkBound.CURRENT.plus(Long.MAX_VALUE / 2).at(Long.MAX_VALUE / 2 + 10, Long.MIN_VALUE))
                .isEqualTo(Long.MAX_VALUE - 1);
        assertThatThrownBy(lagging::previous).hasMessageStartingWith("no earlier form of WatermarkBound[");
    }
}
