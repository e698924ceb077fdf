package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private RabbitMQ node for the push benchmark, from Debian's rabbitmq-server package, run as the current user:
 * everything it writes (Mnesia, logs, the Erlang cookie in a HOME of its own) lives under {@code <work>/rabbitmq}; it
 * listens on 127.0.0.1 only (AMQP, Erlang distribution, and an epmd of its own on a free port, so the machine's epmd
 * and any other node are left alone); no plugins. The package's {@code /usr/sbin} wrappers switch to the rabbitmq
 * user, so the scripts under {@code /usr/lib/rabbitmq/bin} are run directly. {@link #close()} stops the node with
 * {@code rabbitmqctl stop}, kills its Erlang VM by pid if it is still there, then stops its epmd; it is idempotent.
 */
final class RabbitNode implements AutoCloseable {
    static final Path SCRIPTS = Path.of("/usr/lib/rabbitmq/bin");
    private static final String HOST = BrokerLaunchers.HOST;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern VERSION = Pattern.compile("RabbitMQ (\\d+\\.\\d+\\.\\d+)");

    private final Path home;
    private final Path pidFile;
    private final Map<String, String> environment;
    private final String node;
    private final int port;
    private final int epmdPort;
    private final ChildProcess process;
    private final Thread shutdownHook;
    private final double startupMillis;
    private long vmPid = -1;
    private boolean closed;

    private RabbitNode(
            Path home,
            Path pidFile,
            Map<String, String> environment,
            String node,
            int port,
            int epmdPort,
            ChildProcess process,
            double startupMillis) {
        this.home = home;
        this.pidFile = pidFile;
        this.environment = environment;
        this.node = node;
        this.port = port;
        this.epmdPort = epmdPort;
        this.process = process;
        this.startupMillis = startupMillis;
        this.shutdownHook = new Thread(this::close, "brook-bench-stop-rabbitmq");
    }

    /** Starts the node and waits until its AMQP port accepts connections. */
    static RabbitNode start(Path workDir, Path pidFile, Duration timeout)
            throws IOException, RunFailedException, InterruptedException {
        if (!Files.isExecutable(SCRIPTS.resolve("rabbitmq-server"))) {
            throw new RunFailedException("RabbitMQ is not installed: no " + SCRIPTS.resolve("rabbitmq-server")
                    + " (apt-get install rabbitmq-server)");
        }
        Path home = Files.createDirectories(workDir.resolve(PushBenchSettings.RABBITMQ));
        Path userHome = Files.createDirectories(home.resolve("home"));
        Path logs = Files.createDirectories(home.resolve("log"));
        int port = BrokerLaunchers.freePort();
        int distributionPort = BrokerLaunchers.freePort();
        int epmdPort = BrokerLaunchers.freePort();
        Path config = home.resolve("rabbitmq.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "listeners.tcp.1 = " + HOST + ":" + port,
                        "# guest may connect from loopback only (the default, stated).",
                        "loopback_users.guest = true",
                        ""),
                UTF_8);
        Path plugins = home.resolve("enabled_plugins");
        Files.writeString(plugins, "[].\n", UTF_8);
        // bench/run.sh stops this epmd if the benchmark's JVM dies before close().
        Files.writeString(home.resolve("epmd-port"), epmdPort + "\n", UTF_8);
        String node = "brookbench@localhost";
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("HOME", userHome.toString());
        environment.put("RABBITMQ_NODENAME", node);
        environment.put("RABBITMQ_NODE_IP_ADDRESS", HOST);
        environment.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        environment.put("RABBITMQ_DIST_PORT", Integer.toString(distributionPort));
        environment.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        environment.put("ERL_EPMD_ADDRESS", HOST);
        environment.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        environment.put("RABBITMQ_CONF_ENV_FILE", "/dev/null");
        environment.put("RABBITMQ_CONFIG_FILE", config.toString());
        environment.put(
                "RABBITMQ_ADVANCED_CONFIG_FILE", home.resolve("advanced.config").toString());
        environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.toString());
        environment.put("RABBITMQ_MNESIA_BASE", home.resolve("mnesia").toString());
        environment.put("RABBITMQ_LOG_BASE", logs.toString());
        environment.put(
                "RABBITMQ_PLUGINS_EXPAND_DIR", home.resolve("plugins-expand").toString());
        environment.put("RABBITMQ_PID_FILE", home.resolve("rabbitmq.pid").toString());

        ChildProcess process = ChildProcess.start(
                "rabbitmq-server",
                command(environment, SCRIPTS.resolve("rabbitmq-server").toString(), List.of()),
                home,
                logs.resolve("rabbitmq-server"),
                pidFile);
        RabbitNode rabbit;
        try {
            double startupMillis = awaitPort(process, port, timeout);
            rabbit = new RabbitNode(home, pidFile, environment, node, port, epmdPort, process, startupMillis);
        } catch (RunFailedException | InterruptedException | RuntimeException e) {
            process.close();
            stopEpmd(environment, home, pidFile);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(rabbit.shutdownHook);
        rabbit.recordVmPid();
        return rabbit;
    }

    /** {@code env K=V ... script args}: ChildProcess passes no environment of its own. */
    private static List<String> command(Map<String, String> environment, String program, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add("env");
        environment.forEach((key, value) -> command.add(key + "=" + value));
        command.add(program);
        command.addAll(arguments);
        return command;
    }

    private static double awaitPort(ChildProcess process, int port, Duration timeout)
            throws RunFailedException, InterruptedException {
        long deadline = process.startNanos() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new RunFailedException("rabbitmq-server exited with code " + process.exitValue()
                        + " before it served: " + process.tail(5));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 200);
                return (System.nanoTime() - process.startNanos()) / 1_000_000.0;
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(50);
        }
        throw new RunFailedException("rabbitmq-server did not listen on " + HOST + ":" + port + " within "
                + timeout.toSeconds() + " s: " + process.tail(5));
    }

    /** The Erlang VM is a child of the start script; its pid goes to the pids file too, for bench/run.sh. */
    private void recordVmPid() throws IOException {
        Path file = home.resolve("rabbitmq.pid");
        if (Files.isRegularFile(file)) {
            String text = Files.readString(file, UTF_8).strip();
            if (text.matches("\\d+")) {
                vmPid = Long.parseLong(text);
                Files.writeString(pidFile, vmPid + "\n", UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    String uri() {
        return "amqp://guest:guest@" + HOST + ":" + port;
    }

    long pid() {
        return vmPid > 0 ? vmPid : process.pid();
    }

    double startupMillis() {
        return startupMillis;
    }

    /** The version in the server's banner, as "RabbitMQ 3.10.8". */
    Optional<String> version() {
        Matcher matcher = VERSION.matcher(process.stdout());
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    String tail(int lines) {
        return process.tail(lines);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Called from the hook itself: the JVM is exiting.
        }
        try {
            runCli("rabbitmqctl-stop", SCRIPTS.resolve("rabbitmqctl").toString(), List.of("-n", node, "stop"));
            process.waitFor(STOP_TIMEOUT);
        } catch (IOException e) {
            // The kill below stops it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (vmPid > 0) {
            ProcessHandle.of(vmPid).ifPresent(vm -> {
                if (vm.isAlive()) {
                    vm.destroyForcibly();
                }
            });
        }
        process.close();
        stopEpmd(environment, home, pidFile);
    }

    private void runCli(String name, String program, List<String> arguments) throws IOException, InterruptedException {
        try (ChildProcess cli = ChildProcess.start(
                name,
                command(environment, program, arguments),
                home,
                home.resolve("log").resolve(name),
                pidFile)) {
            cli.waitFor(STOP_TIMEOUT);
        }
    }

    /** {@code epmd -kill} on this node's own epmd port: no other node registers there. */
    private static void stopEpmd(Map<String, String> environment, Path home, Path pidFile) {
        try (ChildProcess epmd = ChildProcess.start(
                "epmd-kill",
                List.of("epmd", "-port", environment.get("ERL_EPMD_PORT"), "-kill"),
                home,
                home.resolve("log").resolve("epmd-kill"),
                pidFile)) {
            epmd.waitFor(Duration.ofSeconds(10));
        } catch (IOException e) {
            // Nothing started it, or it is gone.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
