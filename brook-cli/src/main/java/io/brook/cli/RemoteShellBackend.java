package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.http.ScriptResponse;
import io.brook.http.SqlHttpClient;
import io.brook.http.StatementResult;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The shell's statements on a {@code brook server}: each input is one {@code POST /sql} (with the {@code --var}
 * variables), whose results print as an embedded session's would; a live SELECT is followed over its event stream.
 * Unlike in this process, every statement of an input has run before the first live result shows.
 */
final class RemoteShellBackend implements ShellBackend {
    private final SqlHttpClient client;
    private final Map<String, String> variables;

    RemoteShellBackend(SqlHttpClient client, Map<String, String> variables) {
        this.client = requireNonNull(client, "client is null");
        this.variables = Map.copyOf(variables);
    }

    @Override
    public void execute(String input, Consumer<String> print, Consumer<LiveView> show) {
        ScriptResponse response;
        try {
            response = client.execute(input, variables);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (StatementResult result : response.statements()) {
            print.accept(result.render());
            if (result.kind() == StatementResult.Kind.LIVE) {
                // Followed on a thread of its own, so that the shell polls it as it polls a local one.
                try (RemoteLiveFollower view =
                        RemoteLiveFollower.start(client, result.query().name(), snapshot -> {})) {
                    show.accept(view);
                }
            }
        }
        if (response.error() != null) {
            throw response.error().toException();
        }
    }
}
