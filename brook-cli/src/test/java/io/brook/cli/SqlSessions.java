package io.brook.cli;

import io.brook.engine.api.Brook;
import java.util.concurrent.atomic.AtomicLong;

/** Engine sessions for tests of the SQL commands. */
final class SqlSessions {
    private SqlSessions() {}

    /** A session whose clock runs 1,000 s per reading: a paced source's events are all due at the first batch. */
    static Brook fastClock() {
        AtomicLong ticks = new AtomicLong();
        return Brook.builder()
                .clock(() -> 1_700_000_000_000L + ticks.getAndIncrement() * 1_000_000L)
                .getOrCreate();
    }

    /** A shutdown signal that never comes (its waiter is interrupted when the queries end) and records the exit. */
    static final class NoSignal implements ShutdownSignal {
        volatile Integer finished;

        @Override
        public void await() throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }

        @Override
        public void finished(int exitCode) {
            finished = exitCode;
        }
    }

    /** A shutdown signal that comes at once, as Ctrl-C right after the statements ran. */
    static final class ImmediateSignal implements ShutdownSignal {
        volatile Integer finished;

        @Override
        public void await() {}

        @Override
        public void finished(int exitCode) {
            finished = exitCode;
        }
    }
}
