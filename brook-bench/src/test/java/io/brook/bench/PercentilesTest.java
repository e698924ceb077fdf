package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankPicksASampleNotAnInterpolation() {
        // Given: the batch durations (ms) of a Spark latency run
        List<Long> durations = List.of(581L, 323L, 223L, 265L, 261L, 249L);

        // Then
        assertThat(Percentiles.median(durations)).isEqualTo(261);
        assertThat(Percentiles.of(durations, 99)).isEqualTo(581);
        assertThat(Percentiles.of(durations, 100)).isEqualTo(581);
        assertThat(Percentiles.of(durations, 1)).isEqualTo(223);
    }

    @Test
    void p99OfAHundredSamplesIsTheNinetyNinthSmallest() {
        // Given: 1..100 in reverse order
        List<Integer> samples = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            samples.add(i);
        }

        // Then
        assertThat(Percentiles.of(samples, 99)).isEqualTo(99);
        assertThat(Percentiles.of(samples, 50)).isEqualTo(50);
        assertThat(Percentiles.of(samples, 99.9)).isEqualTo(100);
    }

    @Test
    void noSamplesOrAPercentileOutOfRangeIsRefused() {
        assertThatThrownBy(() -> Percentiles.of(List.of(), 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no samples for the p50.0");
        assertThatThrownBy(() -> Percentiles.of(List.of(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("percentile must be in (0, 100], was 0.0");
    }

    @Test
    void slopeIsTheLeastSquaresFit() {
        assertThat(Percentiles.slope(new double[] {0, 1000, 2000, 3000}, new double[] {100, 600, 1100, 1600}))
                .isCloseTo(0.5, within(1e-9));
        assertThat(Percentiles.slope(new double[] {0, 1, 2}, new double[] {5, 3, 5}))
                .isCloseTo(0, within(1e-9));
        assertThat(Percentiles.slope(new double[] {7, 7}, new double[] {1, 2})).isZero();
    }
}
