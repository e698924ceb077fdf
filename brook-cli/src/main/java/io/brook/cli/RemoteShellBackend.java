package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.http.ScriptResponse;
import io.brook.http.SqlHttpClient;
import io.brook.http.StatementResult;
import java.util.Map;
import java.util.UUID;
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
                RemoteLiveView view = new RemoteLiveView(client, result.query().name());
                try {
                    show.accept(view);
                } finally {
                    view.close();
                }
            }
        }
        if (response.error() != null) {
            throw response.error().toException();
        }
    }

    /** Follows the live result on a thread of its own, so that the shell can poll it as it polls a local one. */
    private static final class RemoteLiveView implements LiveView, AutoCloseable {
        private final RemoteLiveFollower follower;

        RemoteLiveView(SqlHttpClient client, String query) {
            this.follower = RemoteLiveFollower.start(client, query, snapshot -> {});
        }

        @Override
        public io.brook.sql.LiveResult.Snapshot snapshot() {
            return follower.snapshot();
        }

        @Override
        public boolean ended() {
            return follower.ended();
        }

        @Override
        public String finish() throws InterruptedException {
            return follower.finish();
        }

        @Override
        public UUID runId() {
            return null;
        }

        @Override
        public void close() {
            follower.close();
        }
    }
}
