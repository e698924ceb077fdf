package io.brook.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of the commands that run SQL scripts ({@code brook run}, {@code brook sql}): variables and settings. */
final class ScriptOptions {
    @Option(
            names = "--var",
            paramLabel = "NAME=VALUE",
            description = "A variable for ${NAME} (or ${NAME:-default}) in the scripts' WITH options and SET values,"
                    + " e.g. --var BOOTSTRAP=127.0.0.1:9092 (repeatable); the environment's variables are used too.")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A setting, as SET 'KEY' = 'VALUE' before the scripts, e.g. --set trigger=available-now"
                    + " (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();
}
