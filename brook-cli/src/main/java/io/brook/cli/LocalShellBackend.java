package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.StreamingQuery;
import io.brook.sql.LiveResult;
import io.brook.sql.SqlResult;
import io.brook.sql.SqlScript;
import io.brook.sql.SqlSession;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** The shell's statements on a {@link SqlSession} in this process, which the caller opens and closes. */
final class LocalShellBackend implements ShellBackend {
    private final SqlSession session;

    LocalShellBackend(SqlSession session) {
        this.session = requireNonNull(session, "session is null");
    }

    @Override
    public void execute(String input, Consumer<String> print, Consumer<LiveView> show) {
        for (SqlScript.Statement statement : SqlScript.of(input).statements()) {
            SqlResult result = session.execute(statement);
            print.accept(result.render());
            Optional<LiveResult> live = result.query() == null ? Optional.empty() : session.liveResult(result.query());
            if (live.isPresent()) {
                show.accept(new LocalLiveView(result.query(), live.get()));
            }
        }
    }

    private record LocalLiveView(StreamingQuery query, LiveResult live) implements LiveView {
        @Override
        public LiveResult.Snapshot snapshot() {
            return live.snapshot();
        }

        @Override
        public boolean ended() {
            return !query.isActive();
        }

        @Override
        public String finish() throws InterruptedException {
            if (query.isActive()) {
                query.stop();
                return "Stopped query " + query.name();
            } else if (query.exception() != null) {
                return "Error: query " + query.name() + " failed: " + QueryProgress.message(query.exception());
            }
            return "Query " + query.name() + " ended: it read all its input";
        }

        @Override
        public UUID runId() {
            return query.runId();
        }
    }
}
