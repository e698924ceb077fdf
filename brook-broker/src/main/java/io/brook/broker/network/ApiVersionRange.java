package io.brook.broker.network;

/** The versions of one API the broker serves: {@code min} to {@code max}, both included. */
public record ApiVersionRange(short min, short max) {
    public ApiVersionRange {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("version range must have 0 <= min <= max, was " + min + "-" + max);
        }
    }

    public boolean contains(short version) {
        return version >= min && version <= max;
    }
}
