package io.brook.it;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * A broker in its own JVM, for tests that kill it (CrashIT): {@code --data-dir DIR --port PORT [KEY=VALUE ...]}.
 * Prints {@code Brook ready on 127.0.0.1:PORT} once it accepts connections, then runs until killed; SIGTERM closes it
 * cleanly.
 */
public final class BrokerMain {
    public static final String READY = "Brook ready on ";

    private BrokerMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> properties = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> properties.put(BrokerConfig.DATA_DIR, args[++i]);
                case "--port" -> properties.put(BrokerConfig.KAFKA_PORT, args[++i]);
                default -> {
                    int equals = args[i].indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("expected --data-dir, --port or KEY=VALUE; got " + args[i]);
                    }
                    properties.put(args[i].substring(0, equals), args[i].substring(equals + 1));
                }
            }
        }
        properties.putIfAbsent(BrokerConfig.HOST, "127.0.0.1");
        Broker broker = Broker.start(BrokerConfig.parse(properties));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                broker.close();
                            } catch (Exception e) {
                                // The process is exiting; the next start recovers whatever was not closed.
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "brook-shutdown"));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println(READY + broker.config().host() + ":" + broker.kafkaPort());
        stopped.await();
    }
}
