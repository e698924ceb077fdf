package io.brook.engine.connector;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.connector.nexmark.NexmarkGenerator;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Auction;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Bid;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Event;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Person;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The Nexmark benchmark's events ({@link NexmarkGenerator}) as the Flink Nexmark suite's {@code nexmark} table: an
 * {@code event_type}, one struct per event type of which only the event's own is not null, and the event's
 * {@code dateTime}. The offset is the number of events made; events are computed, never stored, so the same range
 * always reads the same rows.
 *
 * <p>A stream makes {@code eventsPerSecond} events due a second from the query's start by the injected clock (at most
 * {@code events}, at most {@code maxEventsPerTrigger} a micro-batch); a bounded read makes exactly {@code events}. The
 * event times do not depend on the clock: event {@code n} happens at {@code baseTime + n / eventsPerSecond}.
 */
public final class NexmarkSource implements Source {
    private static final List<Field> PERSON = List.of(
            new Field("id", ColumnType.BIGINT, true),
            new Field("name", ColumnType.VARCHAR, true),
            new Field("emailAddress", ColumnType.VARCHAR, true),
            new Field("creditCard", ColumnType.VARCHAR, true),
            new Field("city", ColumnType.VARCHAR, true),
            new Field("state", ColumnType.VARCHAR, true),
            new Field("dateTime", ColumnType.TIMESTAMP, true),
            new Field("extra", ColumnType.VARCHAR, true));
    private static final List<Field> AUCTION = List.of(
            new Field("id", ColumnType.BIGINT, true),
            new Field("itemName", ColumnType.VARCHAR, true),
            new Field("description", ColumnType.VARCHAR, true),
            new Field("initialBid", ColumnType.BIGINT, true),
            new Field("reserve", ColumnType.BIGINT, true),
            new Field("dateTime", ColumnType.TIMESTAMP, true),
            new Field("expires", ColumnType.TIMESTAMP, true),
            new Field("seller", ColumnType.BIGINT, true),
            new Field("category", ColumnType.BIGINT, true),
            new Field("extra", ColumnType.VARCHAR, true));
    private static final List<Field> BID = List.of(
            new Field("auction", ColumnType.BIGINT, true),
            new Field("bidder", ColumnType.BIGINT, true),
            new Field("price", ColumnType.BIGINT, true),
            new Field("channel", ColumnType.VARCHAR, true),
            new Field("url", ColumnType.VARCHAR, true),
            new Field("dateTime", ColumnType.TIMESTAMP, true),
            new Field("extra", ColumnType.VARCHAR, true));

    public static final Schema SCHEMA = Schema.of(
            new Field("event_type", ColumnType.INT, false),
            Field.struct("person", PERSON, true),
            Field.struct("auction", AUCTION, true),
            Field.struct("bid", BID, true),
            new Field("dateTime", ColumnType.TIMESTAMP, false));

    /** The event time of event 0 unless {@code baseTime} says otherwise: 2023-11-14T22:13:20Z. */
    public static final long DEFAULT_BASE_TIME_MILLIS = 1_700_000_000_000L;

    public static final long DEFAULT_EVENTS_PER_SECOND = 10_000;
    private static final int MAX_BATCH_ROWS = 8192;
    /** The offset's name for the events offered so far. */
    private static final String COUNT = "events";

    /**
     * The source's options: {@code events} is {@link Long#MAX_VALUE} for an endless stream, {@code maxEventsPerTrigger}
     * {@link Long#MAX_VALUE} for no cap.
     */
    public record Options(long eventsPerSecond, long events, long seed, long baseTimeMillis, long maxEventsPerTrigger) {
        private static final List<String> STREAM_OPTIONS =
                List.of("eventsPerSecond", "events", "seed", "baseTime", "maxEventsPerTrigger");
        private static final List<String> READ_OPTIONS = List.of("eventsPerSecond", "events", "seed", "baseTime");

        public Options {
            if (eventsPerSecond <= 0) {
                throw new IllegalArgumentException("eventsPerSecond must be > 0, was " + eventsPerSecond);
            }
            if (events <= 0) {
                throw new IllegalArgumentException("events must be > 0, was " + events);
            }
            if (maxEventsPerTrigger <= 0) {
                throw new IllegalArgumentException("maxEventsPerTrigger must be > 0, was " + maxEventsPerTrigger);
            }
        }

        /** Checks and reads the options of {@code readStream()} ({@code streaming}) or {@code read()}. */
        public static Options parse(Map<String, String> options, boolean streaming) {
            requireNonNull(options, "options is null");
            for (String key : options.keySet()) {
                throwIfUnknown(key, streaming);
            }
            if (!streaming && !options.containsKey("events")) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "read().format(\"nexmark\") needs option events: how many events to make");
            }
            return new Options(
                    positive(options, "eventsPerSecond", DEFAULT_EVENTS_PER_SECOND),
                    positive(options, "events", Long.MAX_VALUE),
                    whole(options, "seed", 0, Long.MIN_VALUE),
                    whole(options, "baseTime", DEFAULT_BASE_TIME_MILLIS, 0),
                    positive(options, "maxEventsPerTrigger", Long.MAX_VALUE));
        }

        private static void throwIfUnknown(String key, boolean streaming) {
            if (streaming ? STREAM_OPTIONS.contains(key) : READ_OPTIONS.contains(key)) {
                return;
            }
            if (!streaming && key.equals("maxEventsPerTrigger")) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "option maxEventsPerTrigger is for streams (readStream()); read() makes exactly `events`"
                                + " events at once");
            }
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "unknown option '" + key + "' for the nexmark source; it takes "
                            + String.join(", ", streaming ? STREAM_OPTIONS : READ_OPTIONS));
        }

        private static long positive(Map<String, String> options, String key, long defaultValue) {
            String value = options.get(key);
            if (value == null) {
                return defaultValue;
            }
            try {
                long parsed = Long.parseLong(value.strip());
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new BrookException(
                    ErrorCode.INVALID_OPTION, "option " + key + " must be a whole number > 0; got '" + value + "'");
        }

        private static long whole(Map<String, String> options, String key, long defaultValue, long min) {
            String value = options.get(key);
            if (value == null) {
                return defaultValue;
            }
            try {
                long parsed = Long.parseLong(value.strip());
                if (parsed >= min) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "option " + key + " must be a whole number" + (min == 0 ? " >= 0" : "") + "; got '" + value + "'");
        }
    }

    private final Options options;
    private final boolean streaming;
    private final LongSupplier clockMillis;
    private final NexmarkGenerator generator;
    private long startMillis = -1;

    /**
     * @param streaming whether events become due by the clock ({@code readStream()}) or all at once ({@code read()})
     * @param clockMillis the wall clock in milliseconds (injected so tests control time)
     */
    public NexmarkSource(Options options, boolean streaming, LongSupplier clockMillis) {
        this.options = requireNonNull(options, "options is null");
        this.streaming = streaming;
        this.clockMillis = requireNonNull(clockMillis, "clockMillis is null");
        if (!streaming && options.events() == Long.MAX_VALUE) {
            throw new IllegalArgumentException("a bounded nexmark source needs a number of events");
        }
        this.generator = new NexmarkGenerator(options.seed(), options.baseTimeMillis(), options.eventsPerSecond());
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public Source copy() {
        return new NexmarkSource(options, streaming, clockMillis);
    }

    @Override
    public Offset initialOffset() {
        return new PacedOffset(streaming ? start() : 0, 0).toOffset(COUNT);
    }

    private synchronized long start() {
        if (startMillis < 0) {
            startMillis = clockMillis.getAsLong();
        }
        return startMillis;
    }

    @Override
    public Offset latestOffset(Offset start, ReadLimit limit) {
        PacedOffset from = parse(start);
        long due = streaming
                ? Math.min(from.dueAt(clockMillis.getAsLong(), options.eventsPerSecond()), options.events())
                : options.events();
        long cap = Math.min(limit.maxRows(), options.maxEventsPerTrigger());
        long end = Math.max(from.count(), Math.min(due, from.count() + Math.min(cap, Long.MAX_VALUE / 2)));
        return new PacedOffset(from.startMillis(), end).toOffset(COUNT);
    }

    /** A stream with {@code events} ends at its last event. */
    @Override
    public boolean hasEnded(Offset end) {
        return options.events() != Long.MAX_VALUE && parse(end).count() >= options.events();
    }

    @Override
    public List<Batch> read(Offset start, Offset end) {
        List<Batch> batches = new ArrayList<>();
        read(start, end, batches::add);
        return batches;
    }

    /** Makes the events batch by batch, so a large micro-batch is never in memory whole. */
    @Override
    public void read(Offset start, Offset end, Consumer<Batch> out) {
        long from = parse(start).count();
        long to = parse(end).count();
        for (long first = from; first < to; first += MAX_BATCH_ROWS) {
            out.accept(batch(first, (int) Math.min(MAX_BATCH_ROWS, to - first)));
        }
    }

    private Batch batch(long first, int count) {
        ColumnBuilder types = new ColumnBuilder(SCHEMA.field(0), count);
        ColumnBuilder persons = new ColumnBuilder(SCHEMA.field(1), count);
        ColumnBuilder auctions = new ColumnBuilder(SCHEMA.field(2), count);
        ColumnBuilder bids = new ColumnBuilder(SCHEMA.field(3), count);
        ColumnBuilder times = new ColumnBuilder(SCHEMA.field(4), count);
        for (int i = 0; i < count; i++) {
            Event event = generator.event(first + i);
            types.appendLong(event.type());
            times.appendLong(event.dateTime());
            if (event instanceof Person person) {
                appendPerson(persons, person);
            } else {
                persons.appendNull();
            }
            if (event instanceof Auction auction) {
                appendAuction(auctions, auction);
            } else {
                auctions.appendNull();
            }
            if (event instanceof Bid bid) {
                appendBid(bids, bid);
            } else {
                bids.appendNull();
            }
        }
        return Batch.of(SCHEMA, types.build(), persons.build(), auctions.build(), bids.build(), times.build());
    }

    private static void appendPerson(ColumnBuilder builder, Person person) {
        StructColumn.Builder struct = builder.structs();
        struct.child(0).appendLong(person.id());
        struct.child(1).appendString(person.name());
        struct.child(2).appendString(person.emailAddress());
        struct.child(3).appendString(person.creditCard());
        struct.child(4).appendString(person.city());
        struct.child(5).appendString(person.state());
        struct.child(6).appendLong(person.dateTime());
        struct.child(7).appendString(person.extra());
        builder.endStruct();
    }

    private static void appendAuction(ColumnBuilder builder, Auction auction) {
        StructColumn.Builder struct = builder.structs();
        struct.child(0).appendLong(auction.id());
        struct.child(1).appendString(auction.itemName());
        struct.child(2).appendString(auction.description());
        struct.child(3).appendLong(auction.initialBid());
        struct.child(4).appendLong(auction.reserve());
        struct.child(5).appendLong(auction.dateTime());
        struct.child(6).appendLong(auction.expires());
        struct.child(7).appendLong(auction.seller());
        struct.child(8).appendLong(auction.category());
        struct.child(9).appendString(auction.extra());
        builder.endStruct();
    }

    private static void appendBid(ColumnBuilder builder, Bid bid) {
        StructColumn.Builder struct = builder.structs();
        struct.child(0).appendLong(bid.auction());
        struct.child(1).appendLong(bid.bidder());
        struct.child(2).appendLong(bid.price());
        struct.child(3).appendString(bid.channel());
        struct.child(4).appendString(bid.url());
        struct.child(5).appendLong(bid.dateTime());
        struct.child(6).appendString(bid.extra());
        builder.endStruct();
    }

    private static PacedOffset parse(Offset offset) {
        return PacedOffset.parse(offset, COUNT, "nexmark");
    }

    @Override
    public String description() {
        return "Nexmark[eventsPerSecond=" + options.eventsPerSecond()
                + (options.events() == Long.MAX_VALUE ? "" : ", events=" + options.events()) + ", seed="
                + options.seed() + "]";
    }
}
