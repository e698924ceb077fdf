package io.brook.cli;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo's made-up clicks, in the JSON shape of {@code examples/clickstream.sql}: {@code {"user_id": "user-3", "page":
 * "/Docs ", "latency_ms": 42, "ts": "2026-12-01T10:00:03.250Z"}}. A few users click the pages of the example's page
 * table, the popular ones more often; some page names come misspelt in case or whitespace (which the example cleans),
 * and a few clicks are invalid (no user, a negative latency, a page not in the table, broken JSON: the example drops
 * them). The same seed gives the same clicks for the same event times. Not thread-safe: one generator per thread.
 */
final class ClickGenerator {
    /** What a click is like, for the demo's summary. */
    enum Kind {
        CLEAN,
        MESSY_PAGE,
        ANONYMOUS,
        NEGATIVE_LATENCY,
        UNKNOWN_PAGE,
        BROKEN_JSON;

        boolean valid() {
            return this == CLEAN || this == MESSY_PAGE;
        }
    }

    /** A generated click: its record key (the user id, null when anonymous) and value. */
    record Click(String key, String json, Instant time, Kind kind) {
        Click {
            requireNonNull(json, "json is null");
            requireNonNull(time, "time is null");
            requireNonNull(kind, "kind is null");
        }
    }

    private static final int USERS = 12;
    private static final List<String> UNKNOWN_PAGES = List.of("/nowhere", "/docs/quickstart/", "/admin");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final List<String> pages;
    private final SplittableRandom random;

    /** Clicks on {@code pages} (as the page table spells them), from a random sequence seeded with {@code seed}. */
    ClickGenerator(long seed, List<String> pages) {
        this.pages = List.copyOf(pages);
        if (this.pages.isEmpty()) {
            throw new IllegalArgumentException("pages is empty");
        }
        this.random = new SplittableRandom(seed);
    }

    /** The next click, at event time {@code time} (to the millisecond). */
    Click next(Instant time) {
        int roll = random.nextInt(100);
        Kind kind;
        if (roll < 2) {
            kind = Kind.ANONYMOUS;
        } else if (roll < 4) {
            kind = Kind.NEGATIVE_LATENCY;
        } else if (roll < 6) {
            kind = Kind.UNKNOWN_PAGE;
        } else if (roll < 7) {
            kind = Kind.BROKEN_JSON;
        } else if (roll < 27) {
            kind = Kind.MESSY_PAGE;
        } else {
            kind = Kind.CLEAN;
        }
        return click(time, kind);
    }

    /** A clean click at {@code time}, whatever the sequence would give. */
    Click clean(Instant time) {
        return click(time, Kind.CLEAN);
    }

    private Click click(Instant time, Kind kind) {
        // A skewed pick: user-1 and the first pages of the table come up most often.
        String user = "user-" + (1 + random.nextInt(1 + random.nextInt(USERS)));
        String page = pages.get(random.nextInt(1 + random.nextInt(pages.size())));
        int latency = 15 + random.nextInt(120) + random.nextInt(120);
        switch (kind) {
            case MESSY_PAGE -> page = mess(page);
            case UNKNOWN_PAGE -> page = UNKNOWN_PAGES.get(random.nextInt(UNKNOWN_PAGES.size()));
            case NEGATIVE_LATENCY -> latency = -1;
            case CLEAN, ANONYMOUS, BROKEN_JSON -> {}
        }
        String userJson = kind == Kind.ANONYMOUS ? "null" : "\"" + user + "\"";
        Instant millis = time.truncatedTo(ChronoUnit.MILLIS);
        String json = "{\"user_id\": " + userJson + ", \"page\": \"" + page + "\", \"latency_ms\": " + latency
                + ", \"ts\": \"" + TIMESTAMP.format(millis) + "\"}";
        if (kind == Kind.BROKEN_JSON) {
            json = json.substring(0, json.length() / 2);
        }
        return new Click(kind == Kind.ANONYMOUS ? null : user, json, millis, kind);
    }

    /** The page as people type it: capitals, spaces around it, or both. */
    private String mess(String page) {
        String messy = page;
        int how = random.nextInt(3);
        if (how != 1) {
            messy = messy.length() <= 1 ? messy : messy.substring(0, 2).toUpperCase(Locale.ROOT) + messy.substring(2);
            if (messy.equals(page)) {
                messy = messy.toUpperCase(Locale.ROOT) + " ";
            }
        }
        if (how != 0) {
            messy = " " + messy + "  ";
        }
        return messy;
    }
}
