package io.brook.broker.network;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Runs tasks one at a time, in submission order, on a shared executor: a connection's requests keep their order. */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    /**
     * Runs {@code task} on the calling thread if nothing of this connection is queued or running, otherwise queues it
     * behind the others: for short handlers that never block, this saves a thread hand-off.
     */
    void executeInlineIfIdle(Runnable task) {
        synchronized (tasks) {
            if (running || !tasks.isEmpty()) {
                tasks.add(task);
                return;
            }
            running = true;
        }
        try {
            task.run();
        } finally {
            boolean more;
            synchronized (tasks) {
                more = !tasks.isEmpty();
                if (!more) {
                    running = false;
                }
            }
            if (more) {
                delegate.execute(this::drain);
            }
        }
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        delegate.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }
}
