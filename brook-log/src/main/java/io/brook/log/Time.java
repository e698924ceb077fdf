package io.brook.log;

/** The clock, injected so that logic never reads the system clock directly and tests can use {@link ManualTime}. */
public interface Time {
    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };

    long milliseconds();

    long nanoseconds();
}
