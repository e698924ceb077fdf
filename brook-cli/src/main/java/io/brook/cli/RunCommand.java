package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.Brook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook run FILE.sql ...}: runs SQL scripts in one session of an engine in this process (see {@link SqlRunner}),
 * e.g. {@code brook run examples/nexmark/ddl.sql examples/nexmark/q1.sql}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run SQL scripts on an engine in this process: their statements in order, each result printed, then one"
                    + " progress line per micro-batch of each continuous query until every query has ended or"
                    + " Ctrl-C stops them.",
            "Exit code 0, or 1 after a statement error or a failed query."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "SQL scripts, run in the order given.")
    List<Path> files = new ArrayList<>();

    @Mixin
    ScriptOptions scriptOptions = new ScriptOptions();

    private final Supplier<Brook> engine;
    private final ShutdownSignal shutdownSignal;

    RunCommand() {
        this(Brook::local, new ProcessSignals());
    }

    RunCommand(Supplier<Brook> engine, ShutdownSignal shutdownSignal) {
        this.engine = requireNonNull(engine, "engine is null");
        this.shutdownSignal = requireNonNull(shutdownSignal, "shutdownSignal is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        List<SqlRunner.Script> scripts =
                SqlRunner.Script.read(files, spec.commandLine().getErr());
        if (scripts == null) {
            return BrookCommand.EXIT_USAGE;
        }
        return new SqlRunner(
                        engine,
                        shutdownSignal,
                        spec.commandLine().getOut(),
                        spec.commandLine().getErr())
                .run(scriptOptions.variables, scriptOptions.settings, scripts);
    }
}
