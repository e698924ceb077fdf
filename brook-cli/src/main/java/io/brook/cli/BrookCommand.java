package io.brook.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code brook} command: the entry point of the distribution and of {@code ./brook}. Each subcommand is a small
 * class that writes its output to picocli's {@code getOut()} and its diagnostics to {@code getErr()}, so tests run them
 * with a {@link java.io.StringWriter}. Exit codes: 0 success, 1 failure (broker unreachable, Kafka error), 2 usage or
 * configuration mistake.
 */
@Command(
        name = "brook",
        mixinStandardHelpOptions = true,
        versionProvider = BrookVersion.class,
        description = "Brook: a single-machine, Kafka-compatible streaming platform.",
        subcommands = {
            ServerCommand.class,
            TopicCommand.class,
            GroupCommand.class,
            PushCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            DemoCommand.class,
            ExampleCommand.class,
            RunCommand.class,
            SqlCommand.class,
            VersionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BrookCommand implements Runnable {
    /** Exit code for a usage or configuration mistake (picocli uses it for bad options too). */
    static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    /** Exit code for a failure that is not the user's invocation: broker unreachable, Kafka error, I/O error. */
    static final int EXIT_FAILURE = CommandLine.ExitCode.SOFTWARE;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        // `brook` alone prints the usage, which lists the subcommands.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // stdout is buffered (commands flush when a line must be seen at once, e.g. "Brook ready");
        // stderr flushes each line.
        PrintWriter out = new PrintWriter(
                new BufferedWriter(
                        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8)),
                false);
        PrintWriter err = new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int exitCode = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /** The configured command line, writing to the given writers. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new BrookCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setUsageHelpAutoWidth(true);
        return commandLine;
    }
}
