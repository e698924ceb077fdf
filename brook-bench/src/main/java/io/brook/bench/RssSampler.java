package io.brook.bench;

import java.util.OptionalLong;

/**
 * Samples a process's RSS every 100 ms on a daemon thread and keeps the largest value; {@link #close()} stops it.
 */
final class RssSampler implements AutoCloseable {
    private static final long INTERVAL_MILLIS = 100;

    private final long pid;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxKib = -1;

    private RssSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(this::sample, "brook-bench-rss-" + pid);
        this.thread.setDaemon(true);
    }

    static RssSampler start(long pid) {
        RssSampler sampler = new RssSampler(pid);
        sampler.thread.start();
        return sampler;
    }

    private void sample() {
        while (running) {
            OptionalLong rss = ProcStatus.rssKib(pid);
            if (rss.isPresent() && rss.getAsLong() > maxKib) {
                maxKib = rss.getAsLong();
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest RSS seen so far, in KiB, or empty if none was read. */
    OptionalLong maxKib() {
        long max = maxKib;
        return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
