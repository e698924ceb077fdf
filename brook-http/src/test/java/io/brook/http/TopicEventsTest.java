package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /topics/{topic}/events}: a real broker and the HTTP API on 127.0.0.1; records produced by a Kafka
 * producer come out as Server-Sent Events, and a client cut off mid-stream resumes with {@code Last-Event-ID} without
 * missing or repeating a record.
 */
class TopicEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path directory;

    private static SqlApiServer server;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeAll
    static void start() throws Exception {
        server = SqlApiServer.start(directory);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** One event as the client read it. */
    private record Event(String id, String name, JsonNode data) {}

    /** An open stream, read event by event; closing it drops the connection. */
    private static final class Stream implements AutoCloseable {
        private final InputStream body;
        private final BufferedReader reader;
        private final List<String> comments = new ArrayList<>();

        Stream(HttpResponse<InputStream> response) {
            this.body = response.body();
            this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        }

        /** The next event (comments before it are kept); null when the stream ended. */
        Event next() throws Exception {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty()) {
                    if (name != null) {
                        return new Event(id, name, JSON.readTree(data.toString()));
                    }
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
            return null;
        }

        /** Reads until the server's first comment: the stream is open and positioned. */
        void awaitOpen() throws Exception {
            while (comments.isEmpty()) {
                String line = reader.readLine();
                assertThat(line).as("the stream ended before it opened").isNotNull();
                if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                }
            }
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }

    private static Stream open(String pathAndQuery, String lastEventId) throws Exception {
        return open(pathAndQuery, lastEventId, true);
    }

    /** {@code eventStream}: whether the client says it takes text/event-stream, as a browser does (curl does not). */
    private static Stream open(String pathAndQuery, String lastEventId, boolean eventStream) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(server.uri().resolve(pathAndQuery)).GET();
        if (eventStream) {
            request.header("Accept", "text/event-stream");
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        return new Stream(response);
    }

    private static HttpResponse<String> get(String pathAndQuery, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
                .timeout(TIMEOUT)
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String record(Event event) {
        JsonNode data = event.data();
        return data.get("partition").asInt() + "/" + data.get("offset").asLong() + "="
                + data.get("key").asText() + ":" + data.get("value").asText();
    }

    @Test
    void aClientCutOffResumesWithLastEventIdAndMissesNothing() throws Exception {
        server.createTopic("clicks", 2);
        for (int i = 0; i < 3; i++) {
            server.send("clicks", 0, "k" + i, "zero-" + i);
            server.send("clicks", 1, "k" + i, "one-" + i);
        }
        List<String> received = new ArrayList<>();
        String lastId;
        try (Stream stream = open("/topics/clicks/events?from=earliest", null)) {
            Event event = null;
            for (int i = 0; i < 4; i++) {
                event = stream.next();
                assertThat(event).isNotNull();
                assertThat(event.name()).isEqualTo("record");
                assertThat(event.data().get("topic").asText()).isEqualTo("clicks");
                assertThat(event.data().get("valueEncoding").asText()).isEqualTo("utf8");
                received.add(record(event));
            }
            lastId = event.id();
        }
        // The id is the next offset of every partition after that event.
        Map<Integer, Long> next = new TreeMap<>();
        for (String entry : received) {
            int partition = Integer.parseInt(entry.substring(0, entry.indexOf('/')));
            long offset = Long.parseLong(entry.substring(entry.indexOf('/') + 1, entry.indexOf('=')));
            next.merge(partition, offset + 1, Math::max);
        }
        for (int partition = 0; partition < 2; partition++) {
            next.putIfAbsent(partition, 0L);
        }
        assertThat(lastId).isEqualTo(TopicEvents.eventId(next));
        // Records keep coming while the client is away.
        server.send("clicks", 0, "k3", "zero-3");
        server.send("clicks", 1, "k3", "one-3");
        try (Stream stream = open("/topics/clicks/events?from=earliest", lastId)) {
            while (received.size() < 8) {
                Event event = stream.next();
                assertThat(event).isNotNull();
                received.add(record(event));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add("0/" + i + "=k" + i + ":zero-" + i);
            expected.add("1/" + i + "=k" + i + ":one-" + i);
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        // In offset order within each partition.
        for (int partition = 0; partition < 2; partition++) {
            String prefix = partition + "/";
            List<String> ofPartition =
                    received.stream().filter(r -> r.startsWith(prefix)).toList();
            assertThat(ofPartition).isSortedAccordingTo(String::compareTo);
        }
    }

    @Test
    void fromLatestStreamsOnlyNewRecordsAndFromAnOffsetStartsThere() throws Exception {
        server.createTopic("news");
        server.send("news", 0, "a", "old");
        try (Stream stream = open("/topics/news/events", null)) {
            stream.awaitOpen();
            server.send("news", 0, "b", "new");
            Event event = stream.next();
            assertThat(record(event)).isEqualTo("0/1=b:new");
            assertThat(event.id()).isEqualTo("0:2");
        }
        try (Stream stream = open("/topics/news/events?from=1", null, false)) {
            assertThat(record(stream.next())).isEqualTo("0/1=b:new");
        }
        // Past the end: from the end.
        try (Stream stream = open("/topics/news/events?from=99", null)) {
            stream.awaitOpen();
            server.send("news", 0, "c", "newer");
            assertThat(record(stream.next())).isEqualTo("0/2=c:newer");
        }
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        server.createTopic("known");
        HttpResponse<String> unknown = get("/topics/nope/events", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).toString()).contains("no topic 'nope'");
        HttpResponse<String> badFrom = get("/topics/known/events?from=yesterday", null);
        assertThat(badFrom.statusCode()).isEqualTo(400);
        assertThat(badFrom.body()).contains("from must be earliest, latest or an offset");
        HttpResponse<String> badId = get("/topics/known/events", "0-15");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("Last-Event-ID must be partition:offset pairs");
        HttpResponse<String> noPartition = get("/topics/known/events", "0:1,7:3");
        assertThat(noPartition.statusCode()).isEqualTo(400);
        assertThat(noPartition.body()).contains("names partition 7 of 'known', which has 1 partitions");
    }
}
