package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.brook.sql.LiveResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The client of {@link BrookHttpServer}'s SQL endpoints, for {@code brook sql --server}: runs scripts ({@code POST
 * /sql}) and follows live results ({@code GET /sql/live/{name}}). Failures to reach the server are {@link
 * SqlServerException}s with code {@code UNREACHABLE}. Thread-safe; holds no connection between calls.
 */
public final class SqlHttpClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final Duration requestTimeout;
    private final HttpClient http;

    /** A client of the server at {@code base} (e.g. {@code http://127.0.0.1:8080}); a script may run that long. */
    public SqlHttpClient(URI base, Duration requestTimeout) {
        requireNonNull(base, "base is null");
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public URI base() {
        return base;
    }

    /** Runs a script on the server's session; the results of the statements that ran, and the error that stopped it. */
    public ScriptResponse execute(String sql, Map<String, String> variables) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/sql"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SqlJson.request(sql, variables), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        ScriptResponse script = SqlJson.readResponse(response.body());
        if (response.statusCode() != 200 && script.error() == null) {
            throw new SqlServerException(
                    "BAD_RESPONSE", "the server answered HTTP " + response.statusCode() + " without an error");
        }
        return script;
    }

    /**
     * Follows a live query's result: each snapshot goes to {@code onSnapshot}; returns how the query ended, or null
     * when {@code stop} said to stop first, which disconnects and so makes the server stop the query.
     */
    public LiveEnd follow(String query, Consumer<LiveResult.Snapshot> onSnapshot, BooleanSupplier stop)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/sql/live/" + query))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                SqlError error = SqlJson.readResponse(text).error();
                throw error == null
                        ? new SqlServerException("BAD_RESPONSE", "HTTP " + response.statusCode())
                        : error.toException();
            }
            return readEvents(body, onSnapshot, stop);
        } catch (IOException e) {
            throw new SqlServerException("UNREACHABLE", "lost the live result of " + query + ": " + e.getMessage(), e);
        }
    }

    /** Reads SSE events until {@code end}, the stream's end (null), or {@code stop} (null, checked per line). */
    private static LiveEnd readEvents(InputStream body, Consumer<LiveResult.Snapshot> onSnapshot, BooleanSupplier stop)
            throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String event = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while (!stop.getAsBoolean() && (line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (event.equals("snapshot")) {
                    onSnapshot.accept(SqlJson.readSnapshot(data.toString()));
                } else if (event.equals("end")) {
                    return SqlJson.readEnd(data.toString());
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                data.append(data.length() == 0 ? "" : "\n")
                        .append(line.substring("data:".length()).stripLeading());
            }
        }
        return null;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws InterruptedException {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new SqlServerException(
                    "UNREACHABLE",
                    "cannot reach the Brook server at " + base + " (is `brook server` running there?)",
                    e);
        } catch (IOException e) {
            throw new SqlServerException("UNREACHABLE", "no answer from the Brook server at " + base + ": " + e, e);
        }
    }
}
