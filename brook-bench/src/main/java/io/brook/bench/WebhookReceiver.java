package io.brook.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook of the push benchmark: the JDK's HTTP server on loopback, in the benchmark's JVM, that answers every POST
 * with 200 at once and then tallies the batch: which offsets arrived (per partition), how many arrived again (delivery
 * is at least once), and for each offset's first arrival its latency from the send time in the value to the moment
 * the request reached the handler (the producer runs in this JVM, so both are {@link System#nanoTime()}). {@link
 * #reset()} starts a new tally (after a warm-up). {@link #close()} stops the server and its two handler threads.
 */
final class WebhookReceiver implements AutoCloseable {
    static final String PATH = "/hook";

    private final HttpServer server;
    private final ExecutorService handlers;
    private Tally tally = new Tally();

    private WebhookReceiver(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    static WebhookReceiver start(String host) throws IOException {
        // TCP_NODELAY on accepted connections, as webhook servers (Netty, Jetty) set it: the JDK's server leaves
        // Nagle's
        // algorithm on unless told, and reads this property once, when its first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 64);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService handlers = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "brook-bench-webhook-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        WebhookReceiver receiver = new WebhookReceiver(server, handlers);
        server.createContext(PATH, receiver::handle);
        server.setExecutor(handlers);
        server.start();
        return receiver;
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + PATH;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long receivedNanos = System.nanoTime();
        byte[] body;
        try (InputStream input = exchange.getRequestBody()) {
            body = input.readAllBytes();
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
        WebhookBatch batch;
        try {
            batch = WebhookBatch.parse(body);
        } catch (IllegalArgumentException e) {
            synchronized (this) {
                tally.malformed(e.getMessage());
                notifyAll();
            }
            return;
        }
        synchronized (this) {
            tally.add(batch, receivedNanos);
            notifyAll();
        }
    }

    /** Forgets everything received so far. */
    synchronized void reset() {
        tally = new Tally();
    }

    /** Waits until {@code count} distinct records arrived; false if {@code timeout} passed first. */
    synchronized boolean awaitDistinct(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (tally.distinct < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** A copy of the tally so far. */
    synchronized Result result() {
        Map<Integer, BitSet> received = new TreeMap<>();
        tally.received.forEach((partition, offsets) -> received.put(partition, (BitSet) offsets.clone()));
        List<Double> latencies = new ArrayList<>(tally.latencyCount);
        for (int i = 0; i < tally.latencyCount; i++) {
            latencies.add(tally.latencyNanos[i] / 1_000_000.0);
        }
        return new Result(
                received,
                tally.distinct,
                tally.duplicates,
                tally.batches,
                tally.firstNanos,
                tally.lastNanos,
                latencies,
                tally.malformedBatches,
                tally.lastMalformed);
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    /**
     * What arrived: offsets per partition, distinct and repeated records, batches, the first and last arrival ({@link
     * System#nanoTime()}), the latency in ms of each record's first arrival, and batches that could not be read.
     */
    record Result(
            Map<Integer, BitSet> received,
            long distinct,
            long duplicates,
            long batches,
            long firstNanos,
            long lastNanos,
            List<Double> latenciesMillis,
            long malformedBatches,
            String lastMalformed) {

        /** Offsets in {@code expected} (per partition) that never arrived. */
        long missing(Map<Integer, BitSet> expected) {
            long missing = 0;
            for (Map.Entry<Integer, BitSet> partition : expected.entrySet()) {
                BitSet absent = (BitSet) partition.getValue().clone();
                BitSet arrived = received.get(partition.getKey());
                if (arrived != null) {
                    absent.andNot(arrived);
                }
                missing += absent.cardinality();
            }
            return missing;
        }

        /** Distinct records per second from the first arrival to the last. */
        double recordsPerSecond() {
            double seconds = (lastNanos - firstNanos) / 1e9;
            return seconds > 0 ? distinct / seconds : 0;
        }
    }

    /** Mutable, guarded by the receiver's monitor. */
    private static final class Tally {
        final Map<Integer, BitSet> received = new TreeMap<>();
        long distinct;
        long duplicates;
        long batches;
        long firstNanos;
        long lastNanos;
        long[] latencyNanos = new long[1024];
        int latencyCount;
        long malformedBatches;
        String lastMalformed = "";

        void add(WebhookBatch batch, long receivedNanos) {
            // Two handler threads: arrivals may be tallied out of order.
            firstNanos = batches == 0 ? receivedNanos : Math.min(firstNanos, receivedNanos);
            lastNanos = batches == 0 ? receivedNanos : Math.max(lastNanos, receivedNanos);
            batches++;
            BitSet offsets = received.computeIfAbsent(batch.partition(), partition -> new BitSet());
            for (int i = 0; i < batch.size(); i++) {
                int offset = Math.toIntExact(batch.offsets()[i]);
                if (offsets.get(offset)) {
                    duplicates++;
                    continue;
                }
                offsets.set(offset);
                distinct++;
                if (latencyCount == latencyNanos.length) {
                    latencyNanos = Arrays.copyOf(latencyNanos, latencyCount * 2);
                }
                latencyNanos[latencyCount++] = receivedNanos - batch.sendNanos()[i];
            }
        }

        void malformed(String message) {
            malformedBatches++;
            lastMalformed = message;
        }
    }
}
