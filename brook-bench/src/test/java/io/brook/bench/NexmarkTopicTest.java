package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import io.brook.engine.connector.NexmarkSource;
import io.brook.engine.connector.nexmark.NexmarkGenerator;
import io.brook.sql.SqlResult;
import io.brook.sql.SqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NexmarkTopicTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "nexmark");
    private static final int EVENTS = 2_000;

    @Test
    void aBidIsTheFlinkNexmarkRowAsJsonWithTheOtherEventTypesNull() {
        // Given: event 4 is a bid (of every 50 events, 1 person, 3 auctions, then 46 bids)
        NexmarkGenerator generator = new NexmarkGenerator(0, NexmarkSource.DEFAULT_BASE_TIME_MILLIS, 10_000);
        NexmarkGenerator.Bid bid = (NexmarkGenerator.Bid) generator.event(4);

        // When
        String json = new String(NexmarkTopic.json(bid), UTF_8);

        // Then: 4 events at 10,000 a second is 400 microseconds after the base time
        assertThat(json)
                .isEqualTo("{\"event_type\":2,\"person\":null,\"auction\":null,\"bid\":{\"auction\":" + bid.auction()
                        + ",\"bidder\":" + bid.bidder() + ",\"price\":" + bid.price() + ",\"channel\":\""
                        + bid.channel() + "\",\"url\":\"" + bid.url()
                        + "\",\"dateTime\":\"2023-11-14T22:13:20.000400Z\",\"extra\":\"" + bid.extra()
                        + "\"},\"dateTime\":\"2023-11-14T22:13:20.000400Z\"}");
    }

    @Test
    void theTopicReadThroughTheKafkaDdlHoldsTheRowsOfTheNexmarkSource(@TempDir Path dataDir) throws Exception {
        // Given: the events in a topic of a Brook broker
        List<String> fromKafka;
        try (NexmarkTopic topic = NexmarkTopic.start(dataDir, NexmarkTopic.Spec.of(EVENTS))) {
            // When: examples/nexmark/ddl-kafka.sql reads the topic (bounded: its micro-batch cap is set aside), and
            // ddl.sql the same events from the source
            String ddl = Files.readString(EXAMPLES.resolve("ddl-kafka.sql"), UTF_8);
            assertThat(ddl).contains("'maxOffsetsPerTrigger'");
            fromKafka = rows(ddl, topic.bootstrapServers());
        }
        String ddl = Files.readString(EXAMPLES.resolve("ddl.sql"), UTF_8)
                .replace("'events.num' = '10000000'", "'events.num' = '" + EVENTS + "'");
        List<String> fromSource = rows(ddl, "");

        // Then: the same rows, persons, auctions and bids alike, nested structs and timestamps included
        assertThat(fromSource).hasSize(2 * EVENTS); // the table, and each event once more in its view
        assertThat(fromKafka).isEqualTo(fromSource);
    }

    /** Every row of the `nexmark` table and the three views the script declares, read in batch mode, sorted. */
    private static List<String> rows(String ddl, String bootstrap) {
        List<String> rows = new ArrayList<>();
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.define("NEXMARK_BOOTSTRAP", bootstrap);
            session.execute("SET 'execution.runtime-mode' = 'batch';");
            session.execute(ddl);
            for (String relation : List.of("nexmark", "person", "auction", "bid")) {
                List<SqlResult> results = session.execute("SELECT * FROM " + relation + ";");
                for (Row row : results.get(0).rows()) {
                    rows.add(relation + " " + row);
                }
            }
        }
        rows.sort(null);
        return rows;
    }
}
