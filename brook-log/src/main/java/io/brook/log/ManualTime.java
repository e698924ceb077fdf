package io.brook.log;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: for tests. Thread-safe. */
public final class ManualTime implements Time {
    private final AtomicLong nanos;

    public ManualTime(long startMilliseconds) {
        this.nanos = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(startMilliseconds));
    }

    public void advance(long milliseconds) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(milliseconds));
    }

    @Override
    public long milliseconds() {
        return TimeUnit.NANOSECONDS.toMillis(nanos.get());
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }
}
