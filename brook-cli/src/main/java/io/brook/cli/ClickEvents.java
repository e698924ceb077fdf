package io.brook.cli;

import java.util.List;

/**
 * The demo's made-up click stream: the same events every run, so the demo's output reads the same each time. Keys are
 * user ids; values are small JSON objects.
 */
final class ClickEvents {
    private static final List<String> PAGES = List.of("/", "/pricing", "/docs", "/blog", "/signup", "/docs/quickstart");
    private static final int USERS = 5;

    private ClickEvents() {}

    /** The user id of click number {@code index}, the record key. */
    static String user(int index) {
        // A fixed, uneven walk over the users, so that some users click more than others. With Kafka's default
        // partitioner, ids 11-15 land in all three partitions of the demo topic.
        return "user-" + (11 + (index * 7 + index / 3) % USERS);
    }

    /** Click number {@code index} as JSON. */
    static String json(int index) {
        String page = PAGES.get((index * 5 + 2) % PAGES.size());
        return "{\"click\":" + index + ",\"user\":\"" + user(index) + "\",\"page\":\"" + page + "\"}";
    }
}
