package io.brook.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's worker threads: the partitions of an exchange finish on them, and a pipeline pushes a micro-batch's
 * input batches through its stateless operators on them (see {@link Pipeline#pushAll}).
 */
final class Parallel {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "brook-worker");
        thread.setDaemon(true);
        return thread;
    });

    private Parallel() {}

    static java.util.concurrent.Future<?> submit(Callable<?> task) {
        return THREADS.submit(task);
    }

    /**
     * Waits for every task, also when interrupted (the interrupt is kept for later): callers close state once this
     * returns, so no task may still be running. The first failure goes to {@code failure} unless one is there.
     */
    static void awaitAll(List<? extends Future<?>> tasks, AtomicReference<Throwable> failure) {
        boolean interrupted = false;
        for (Future<?> task : tasks) {
            while (true) {
                try {
                    task.get();
                    break;
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure.compareAndSet(null, new IllegalStateException("interrupted while workers ran", e));
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the tasks, the last on this thread, waits for all (see {@link #awaitAll}) and rethrows the first failure. */
    // Throwable: the other tasks must be awaited whatever the last one threw
    static void runAll(List<Callable<Void>> tasks) {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < tasks.size() - 1; i++) {
            running.add(THREADS.submit(tasks.get(i)));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            tasks.get(tasks.size() - 1).call();
        } catch (Throwable e) {
            failure.set(e);
        }
        awaitAll(running, failure);
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }
}
