package io.brook.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A webhook for the tests: a JDK HTTP server on 127.0.0.1 behind a raw TCP proxy that can reset connections. A {@link
 * Behaviour} decides each answer: 2xx, any status (with Retry-After), a sleep past the sender's timeout, or a reset
 * (the proxy closes the client's socket with SO_LINGER 0, which sends RST). It keeps, per partition, the offsets in the
 * order they were first seen, the offsets acknowledged with 2xx, and signature checks.
 */
final class Receiver implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What to answer to one batch. */
    sealed interface Answer permits Status, Sleep, Reset {}

    record Status(int status, String retryAfter) implements Answer {}

    record Sleep(long millis) implements Answer {}

    record Reset() implements Answer {}

    static Answer ok() {
        return new Status(200, null);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ServerSocket proxy;
    private final Thread acceptor;
    private final Function<JsonNode, Answer> behaviour;
    private final String secret;
    final Map<Integer, Set<Long>> firstSeen = new ConcurrentHashMap<>();
    final Map<Integer, List<Long>> firstSeenOrder = new ConcurrentHashMap<>();
    final Map<Integer, Set<Long>> acknowledged = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger verified = new AtomicInteger();
    final AtomicInteger badSignatures = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    private volatile boolean resetNext;

    Receiver(Function<JsonNode, Answer> behaviour, String secret) throws IOException {
        this.behaviour = behaviour;
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
        proxy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "test-receiver-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers by the seeded random: 500, a sleep past the timeout, a reset, 429 with Retry-After, else 200. */
    static Function<JsonNode, Answer> chaos(long seed, long sleepMillis) {
        Random random = new Random(seed);
        AtomicInteger calls = new AtomicInteger();
        return batch -> {
            for (JsonNode record : batch.path("records")) {
                if (record.path("value").asText().startsWith("poison")) {
                    return new Status(422, null);
                }
            }
            // The first four good batches meet each failure once; the rest meet them at random.
            int call = calls.incrementAndGet();
            int dice;
            synchronized (random) {
                dice = call == 1 ? 0 : call == 2 ? 15 : call == 3 ? 20 : call == 4 ? 25 : random.nextInt(100);
            }
            if (dice < 15) {
                return new Status(500, null);
            }
            if (dice < 20) {
                return new Sleep(sleepMillis);
            }
            if (dice < 25) {
                return new Reset();
            }
            if (dice < 28) {
                return new Status(429, "1");
            }
            return ok();
        };
    }

    String url() {
        return "http://127.0.0.1:" + proxy.getLocalPort() + "/hook";
    }

    synchronized boolean firstSeenInOrder() {
        for (List<Long> offsets : firstSeenOrder.values()) {
            for (int i = 1; i < offsets.size(); i++) {
                if (offsets.get(i) <= offsets.get(i - 1)) {
                    return false;
                }
            }
        }
        return true;
    }

    Set<Long> acknowledged(int partition) {
        return acknowledged.getOrDefault(partition, Set.of());
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        requests.incrementAndGet();
        if (secret != null) {
            String timestamp = exchange.getRequestHeaders().getFirst(PushSignature.TIMESTAMP_HEADER);
            String signature = exchange.getRequestHeaders().getFirst(PushSignature.SIGNATURE_HEADER);
            if (timestamp != null
                    && signature != null
                    && PushSignature.verify(secret, Long.parseLong(timestamp), body, signature)) {
                verified.incrementAndGet();
            } else {
                badSignatures.incrementAndGet();
            }
        }
        JsonNode batch = MAPPER.readTree(body);
        int partition = batch.path("partition").asInt();
        List<Long> offsets = new ArrayList<>();
        batch.path("records")
                .forEach(record -> offsets.add(record.path("offset").asLong()));
        synchronized (this) {
            Set<Long> seen = firstSeen.computeIfAbsent(partition, p -> new LinkedHashSet<>());
            for (long offset : offsets) {
                if (seen.add(offset)) {
                    firstSeenOrder
                            .computeIfAbsent(partition, p -> new ArrayList<>())
                            .add(offset);
                }
            }
        }
        Answer answer = behaviour.apply(batch);
        if (answer instanceof Reset) {
            resets.incrementAndGet();
            resetNext = true;
            exchange.close();
            return;
        }
        if (answer instanceof Sleep sleep) {
            try {
                Thread.sleep(sleep.millis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, null);
            return;
        }
        Status status = (Status) answer;
        if (status.status() >= 200 && status.status() < 300) {
            synchronized (this) {
                acknowledged
                        .computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet())
                        .addAll(offsets);
            }
        }
        respond(exchange, status.status(), status.retryAfter());
    }

    private static void respond(HttpExchange exchange, int status, String retryAfter) throws IOException {
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        byte[] answer = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (IOException e) {
            // The sender gave up (timeout) and closed the connection.
        }
    }

    private void accept() {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Socket upstream = new Socket(
                        java.net.InetAddress.getLoopbackAddress(),
                        server.getAddress().getPort());
                executor.execute(() -> pump(client, upstream, true));
                executor.execute(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Copies bytes one way; on the way back, a pending reset aborts the client's connection with RST instead. */
    private void pump(Socket from, Socket to, boolean toServer) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away.
        } finally {
            try {
                if (!toServer && resetNext) {
                    resetNext = false;
                    to.setSoLinger(true, 0);
                }
                to.close();
                from.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }
    }

    @Override
    public void close() throws IOException {
        proxy.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
