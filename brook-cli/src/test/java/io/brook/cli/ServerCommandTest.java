package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
    @TempDir
    Path directory;

    private final List<BrokerConfig> started = new ArrayList<>();
    // The HTTP API starts on a thread of its own.
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final RunningBroker.Launcher fakeLauncher = config -> {
        started.add(config);
        events.add("started");
        return new RunningBroker() {
            @Override
            public int kafkaPort() {
                return 40123;
            }

            @Override
            public void close() {
                events.add("closed");
            }
        };
    };

    private final List<String> httpStarts = new CopyOnWriteArrayList<>();
    private final List<Supplier<String>> bootstraps = new CopyOnWriteArrayList<>();

    private final RunningHttpApi.Launcher fakeHttp = (host, port, bootstrap, dataDir) -> {
        httpStarts.add(host + " " + port + " " + dataDir);
        bootstraps.add(bootstrap);
        events.add("http started");
        return new RunningHttpApi() {
            @Override
            public int port() {
                return port == 0 ? 40124 : port;
            }

            @Override
            public void close() {
                events.add("http closed");
            }
        };
    };

    private final ShutdownSignal immediateShutdown = new ShutdownSignal() {
        @Override
        public void await() {
            events.add("signalled");
        }

        @Override
        public void finished(int exitCode) {
            events.add("finished " + exitCode);
        }
    };

    @Test
    void overlaysFileThenSetThenFlags() throws IOException {
        // Given
        Path file = directory.resolve("brook.properties");
        Files.writeString(
                file,
                "log.dir=/from/file\nbrook.flush.policy=interval\nnum.partitions=2\nbrook.kafka.port = 9000  \n",
                StandardCharsets.UTF_8);
        ServerCommand command = new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown);

        // When
        new CommandLine(command)
                .parseArgs(
                        "--config", file.toString(),
                        "--set", "num.partitions=4",
                        "--set", "log.dir=/from/set",
                        "--data-dir", "/from/flag",
                        "--host", "0.0.0.0");

        // Then
        assertThat(command.brokerProperties())
                .containsExactly(
                        Map.entry("brook.flush.policy", "interval"),
                        Map.entry("brook.host", "0.0.0.0"),
                        Map.entry("brook.kafka.port", "9000"),
                        Map.entry("log.dir", "/from/flag"),
                        Map.entry("num.partitions", "4"));
    }

    @Test
    void kafkaPortFlagOverridesSetAndFile() throws IOException {
        // Given
        ServerCommand command = new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown);

        // When
        new CommandLine(command).parseArgs("--set", "brook.kafka.port=1", "--kafka-port", "0");

        // Then
        assertThat(command.brokerProperties()).containsExactly(Map.entry("brook.kafka.port", "0"));
    }

    @Test
    void passesNothingWhenNoOptionIsGivenSoBrokerDefaultsApply() throws IOException {
        // Given
        ServerCommand command = new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown);

        // When
        new CommandLine(command).parseArgs();

        // Then
        assertThat(command.brokerProperties()).isEmpty();
    }

    @Test
    void startsWithParsedConfigPrintsReadyLineAndClosesOnShutdown() {
        // When
        CliRun run = CliRun.command(
                new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown),
                "--data-dir",
                directory.toString(),
                "--kafka-port",
                "0",
                "--set",
                "brook.flush.policy=none",
                "--http-port",
                "0");

        // Then
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .isEqualTo("HTTP API on http://127.0.0.1:40124 (brook sql --server http://127.0.0.1:40124)"
                        + System.lineSeparator() + "Brook ready on 127.0.0.1:40123" + System.lineSeparator());
        assertThat(run.err).isEmpty();
        assertThat(httpStarts).containsExactly("127.0.0.1 0 " + directory);
        assertThat(bootstraps.get(0).get()).isEqualTo("127.0.0.1:40123");
        assertThat(started).hasSize(1);
        assertThat(started.get(0).dataDir()).isEqualTo(directory);
        assertThat(started.get(0).kafkaPort()).isZero();
        assertThat(started.get(0).flushPolicy().configName()).isEqualTo("none");
        // The broker and the HTTP API start alongside, in either order.
        assertThat(events.subList(0, 2)).containsExactlyInAnyOrder("started", "http started");
        assertThat(events.subList(2, events.size()))
                .containsExactly("signalled", "http closed", "closed", "finished 0");
    }

    @Test
    void unknownKeyIsAUsageErrorNamingTheKey() {
        // When
        CliRun run = CliRun.command(new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown), "--set", "foo=1");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).startsWith("Error: Unknown configuration key 'foo'");
        assertThat(run.err).doesNotContain("at io.brook");
        assertThat(run.out).isEmpty();
        assertThat(started).isEmpty();
    }

    @Test
    void unknownKeyInConfigFileSuggestsTheClosestKey() throws IOException {
        // Given
        Path file = directory.resolve("brook.properties");
        Files.writeString(file, "log.segment.byte=1048576\n", StandardCharsets.UTF_8);

        // When
        CliRun run = CliRun.command(
                new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown), "--config", file.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err)
                .isEqualTo("Error: Unknown configuration key 'log.segment.byte'; did you mean 'log.segment.bytes'?"
                        + System.lineSeparator());
        assertThat(started).isEmpty();
    }

    @Test
    void badValueIsAUsageErrorNamingTheKey() {
        // When
        CliRun run = CliRun.command(
                new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown), "--set", "brook.flush.policy=sometimes");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).startsWith("Error: ").contains("brook.flush.policy").contains("sometimes");
        assertThat(started).isEmpty();
    }

    @Test
    void missingConfigFileIsAUsageError() {
        // Given
        Path missing = directory.resolve("missing.properties");

        // When
        CliRun run = CliRun.command(
                new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown), "--config", missing.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("Error: config file '" + missing + "' does not exist" + System.lineSeparator());
    }

    @Test
    void setWithoutEqualsSignIsRejectedByTheParser() {
        // When
        CliRun run = CliRun.command(new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown), "--set", "foo");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--set").contains("foo");
        assertThat(started).isEmpty();
    }

    @Test
    void startFailureExitsOneWithTheBrokerMessage() {
        // Given
        RunningBroker.Launcher failing = config -> {
            throw new IOException("not built yet: 127.0.0.1");
        };

        // When
        CliRun run = CliRun.command(new ServerCommand(failing, fakeHttp, immediateShutdown));

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err)
                .isEqualTo("Error: Brook could not start: not built yet: 127.0.0.1" + System.lineSeparator());
        assertThat(run.out).isEmpty();
        // The HTTP API started alongside and is closed again.
        assertThat(events).containsExactly("http started", "http closed");
    }

    @Test
    void closeFailureExitsOne() {
        // Given
        RunningBroker.Launcher failingClose = config -> new RunningBroker() {
            @Override
            public int kafkaPort() {
                return 9092;
            }

            @Override
            public void close() throws IOException {
                throw new IOException("disk full");
            }
        };

        // When
        CliRun run = CliRun.command(new ServerCommand(failingClose, fakeHttp, immediateShutdown));

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.out).endsWith("Brook ready on 127.0.0.1:9092" + System.lineSeparator());
        assertThat(run.err).isEqualTo("Error: Brook did not stop cleanly: disk full" + System.lineSeparator());
        assertThat(events).containsExactly("http started", "signalled", "http closed", "finished 1");
    }

    @Test
    void httpPortDefaultsTo8080OnTheBrokersHost() {
        // When
        CliRun run =
                CliRun.command(new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown), "--host", "127.0.0.2");

        // Then
        assertThat(run.exitCode).isZero();
        assertThat(httpStarts).hasSize(1);
        assertThat(httpStarts.get(0)).startsWith("127.0.0.2 8080 ");
        assertThat(bootstraps.get(0).get()).isEqualTo("127.0.0.2:40123");
    }

    @Test
    void httpStartFailureClosesTheBrokerAndExitsOne() {
        // Given
        RunningHttpApi.Launcher failing = (host, port, bootstrap, dataDir) -> {
            throw new java.io.IOException("cannot serve HTTP on 127.0.0.1:8080: Address already in use");
        };

        // When
        CliRun run = CliRun.command(new ServerCommand(fakeLauncher, failing, immediateShutdown));

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err)
                .isEqualTo("Error: Brook could not start its HTTP API: cannot serve HTTP on 127.0.0.1:8080: Address"
                        + " already in use" + System.lineSeparator());
        assertThat(events).containsExactlyInAnyOrder("started", "closed");
    }

    @Test
    void aNegativeHttpPortIsAUsageError() {
        // When
        CliRun run = CliRun.command(new ServerCommand(fakeLauncher, fakeHttp, immediateShutdown), "--http-port", "-1");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err)
                .isEqualTo("Error: --http-port is 0-65535 (0 picks a free port); got -1" + System.lineSeparator());
        assertThat(started).isEmpty();
    }
}
