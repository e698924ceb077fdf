package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Input order across threads. A pipeline numbers the input batches of a micro-batch 0, 1, 2... as its sources give
 * them and may push several at once on different threads through the stateless operators ({@link Pipeline.Pusher}).
 * Where those operators' output meets an operator that must see it in order (a partition of an exchange, the
 * collector) it goes through an {@link Ordered} gate: a batch that stems from input {@code n} passes once every input
 * before {@code n} has been pushed all the way, so the stateful operators see their rows in input order and a
 * micro-batch's result does not depend on thread timing (first and last, sums of doubles, and a re-run batch giving
 * the same output). Rows pass as soon as they may, so little waits in memory.
 */
final class PushOrder {
    /** The number of output made while the pipeline finishes: it comes after every input batch. */
    static final long FINISHING = Long.MAX_VALUE;

    private static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[] {FINISHING});

    private PushOrder() {}

    /** The number of the input batch this thread is pushing, or {@link #FINISHING}. */
    static long current() {
        return CURRENT.get()[0];
    }

    static void set(long order) {
        CURRENT.get()[0] = order;
    }

    /** Which input batches of the current micro-batch have been pushed all the way, and the gates that wait on it. */
    static final class Progress {
        private final List<Ordered> gates = new CopyOnWriteArrayList<>();
        private final BitSet done = new BitSet();
        /** Every input batch below this number is done; {@link #FINISHING} once the input is complete. */
        private volatile long doneBelow;

        /** A new micro-batch: no input yet, and nothing left waiting from one that failed. */
        synchronized void reset() {
            done.clear();
            doneBelow = 0;
            for (Ordered gate : gates) {
                gate.clear();
            }
        }

        /** Input batch {@code order} went all the way through; lets waiting output pass. */
        void complete(long order) {
            synchronized (this) {
                done.set(Math.toIntExact(order));
                long below = doneBelow;
                while (below < Integer.MAX_VALUE && done.get((int) below)) {
                    below++;
                }
                if (below == doneBelow) {
                    return;
                }
                doneBelow = below;
            }
            for (Ordered gate : gates) {
                gate.release(false);
            }
        }

        /** The input is complete: everything may pass, as each gate's {@code finish} lets it. */
        synchronized void completeAll() {
            doneBelow = FINISHING;
        }

        boolean mayPass(long order) {
            return order <= doneBelow;
        }
    }

    /**
     * A gate in front of an operator that must see its input in input order; {@link #accept} may be called on several
     * threads, and {@code target} is called by one thread at a time, in order.
     */
    static final class Ordered implements Operator {
        private record Entry(long order, long arrival, Batch batch) {}

        private final Progress progress;
        private final Operator target;
        private final ReentrantLock lock = new ReentrantLock();
        private final PriorityQueue<Entry> waiting = new PriorityQueue<>((a, b) ->
                a.order() != b.order() ? Long.compare(a.order(), b.order()) : Long.compare(a.arrival(), b.arrival()));
        private long arrivals;

        Ordered(Progress progress, Operator target) {
            this.progress = progress;
            this.target = target;
            progress.gates.add(this);
        }

        @Override
        public void accept(Batch batch) {
            long order = current();
            synchronized (waiting) {
                waiting.add(new Entry(order, arrivals++, batch));
            }
            release(false);
        }

        @Override
        public boolean acceptsConcurrently() {
            return true;
        }

        /**
         * Passes what may pass to the target; with {@code wait}, waits for a thread that is passing some already.
         * Without it, a thread that finds the gate busy leaves its entries to the holder or to the next release (every
         * accept and every completed input releases, and finish drains): looking again after letting go would close
         * that window, but measured, it makes one thread drain every partition while the other only splits (rate ->
         * window count at 51.2 M rows/s: batches of 1.2-1.5 s instead of 0.92 s).
         */
        void release(boolean wait) {
            if (wait) {
                lock.lock();
            } else if (!lock.tryLock()) {
                return;
            }
            try {
                for (Entry next = nextPassable(); next != null; next = nextPassable()) {
                    target.accept(next.batch());
                }
            } finally {
                lock.unlock();
            }
        }

        private Entry nextPassable() {
            synchronized (waiting) {
                Entry next = waiting.peek();
                return next != null && progress.mayPass(next.order()) ? waiting.poll() : null;
            }
        }

        @Override
        public void finish(BatchContext context) {
            release(true);
            target.finish(context);
        }

        private void clear() {
            synchronized (waiting) {
                waiting.clear();
            }
        }
    }
}
