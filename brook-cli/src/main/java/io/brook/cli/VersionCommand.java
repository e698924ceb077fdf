package io.brook.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code brook version}: the same text as {@code brook --version}. */
@Command(name = "version", description = "Print Brook's version and the versions it is built on.")
final class VersionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : BrookVersion.lines()) {
            out.println(line);
        }
        out.flush();
    }
}
