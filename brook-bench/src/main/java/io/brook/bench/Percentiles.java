package io.brook.bench;

import java.util.Arrays;
import java.util.Collection;

/** Nearest-rank percentiles: the smallest sample such that at least p % of the samples are no larger. */
final class Percentiles {
    private Percentiles() {}

    /** The {@code percentile} (0 exclusive to 100 inclusive) of {@code samples}, which must not be empty. */
    static double of(Collection<? extends Number> samples, double percentile) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples for the p" + percentile);
        }
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + percentile);
        }
        double[] sorted =
                samples.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The median by the same rule: the lower middle sample of an even count. */
    static double median(Collection<? extends Number> samples) {
        return of(samples, 50);
    }

    /** The least-squares slope of y over x; 0 when x does not vary. */
    static double slope(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, y " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("a slope needs at least 2 points, got " + x.length);
        }
        double meanX = Arrays.stream(x).average().orElseThrow();
        double meanY = Arrays.stream(y).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (int i = 0; i < x.length; i++) {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            variance += (x[i] - meanX) * (x[i] - meanX);
        }
        return variance == 0 ? 0 : covariance / variance;
    }
}
