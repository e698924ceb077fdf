package io.brook.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Measures how long a freshly launched broker takes to be reachable: to the first TCP connection its Kafka port accepts,
 * and to the first answered ApiVersions request (a broker may listen before it serves). Times are counted from the
 * process launch.
 */
final class Readiness {
    private static final int CONNECT_TIMEOUT_MILLIS = 200;
    private static final int READ_TIMEOUT_MILLIS = 2_000;
    private static final short API_VERSIONS = 18;
    private static final byte[] CLIENT_ID = "brook-bench".getBytes(US_ASCII);

    private Readiness() {}

    /** Milliseconds from launch to the first accepted connection and to the first ApiVersions answer. */
    record Startup(double tcpMillis, double apiMillis) {}

    static Startup await(ChildProcess broker, String host, int port, Duration timeout)
            throws RunFailedException, InterruptedException {
        long deadline = broker.startNanos() + timeout.toNanos();
        double tcpMillis = -1;
        int correlationId = 0;
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new RunFailedException(broker.name() + " exited with code " + broker.exitValue()
                        + " before it served: " + broker.tail(5));
            }
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                if (tcpMillis < 0) {
                    tcpMillis = millisSince(broker.startNanos());
                }
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                correlationId++;
                if (answersApiVersions(socket, correlationId)) {
                    return new Startup(tcpMillis, millisSince(broker.startNanos()));
                }
            } catch (IOException e) {
                // Not listening yet, or not serving yet: try again.
            }
            Thread.sleep(10);
        }
        throw new RunFailedException(broker.name() + " did not answer on " + host + ":" + port + " within "
                + timeout.toSeconds() + " s: " + broker.tail(5));
    }

    /** Sends ApiVersions v0 (request header v1, empty body) and reads the answer's correlation id and error code. */
    private static boolean answersApiVersions(Socket socket, int correlationId) throws IOException {
        DataOutputStream output = new DataOutputStream(socket.getOutputStream());
        output.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length);
        output.writeShort(API_VERSIONS);
        output.writeShort(0);
        output.writeInt(correlationId);
        output.writeShort(CLIENT_ID.length);
        output.write(CLIENT_ID);
        output.flush();
        DataInputStream input = new DataInputStream(socket.getInputStream());
        int size = input.readInt();
        if (size < 6) {
            return false;
        }
        int answeredId = input.readInt();
        short errorCode = input.readShort();
        return answeredId == correlationId && errorCode == 0;
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }
}
