package io.brook.engine.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    /** Waits for a task; its failure goes to {@code failure} unless one is there already. */
    static void await(Future<?> task, java.util.concurrent.atomic.AtomicReference<RuntimeException> failure) {
        try {
            task.get();
        } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException(e.getCause());
            failure.compareAndSet(null, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new IllegalStateException("interrupted while waiting for worker threads", e));
        }
    }

    /** Runs the tasks, the last on this thread, waits for all and rethrows the first failure. */
    static void runAll(List<Callable<Void>> tasks) {
        List<Future<Void>> running = new ArrayList<>();
        for (int i = 0; i < tasks.size() - 1; i++) {
            running.add(THREADS.submit(tasks.get(i)));
        }
        RuntimeException failure = null;
        try {
            tasks.get(tasks.size() - 1).call();
        } catch (RuntimeException e) {
            failure = e;
        } catch (Exception e) {
            failure = new IllegalStateException(e);
        }
        for (Future<Void> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker threads", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
