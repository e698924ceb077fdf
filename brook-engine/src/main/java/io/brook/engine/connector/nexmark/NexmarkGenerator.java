package io.brook.engine.connector.nexmark;

import java.util.SplittableRandom;

/**
 * The Nexmark auction benchmark's events, following the model of the Nexmark generator (Beam's and the Flink suite's):
 * of every 50 events by number, 1 is a new person, 3 are new auctions and 46 are bids. Ids are derived from the event
 * number, so a bid names an auction and a bidder that exist or are at most a small lead ahead, and most auctions and
 * bids go to a few hot sellers, auctions and bidders.
 *
 * <p>Event {@code n} is made by an RNG seeded from {@code (seed, n)} alone, so any event can be made on its own and the
 * same options always give the same events. Event {@code n} happens at {@code baseTimeMillis} plus {@code n * 1e6 /
 * eventsPerSecond} microseconds (rounded down).
 */
public final class NexmarkGenerator {
    public static final long FIRST_PERSON_ID = 1000;
    public static final long FIRST_AUCTION_ID = 1000;
    public static final long FIRST_CATEGORY_ID = 10;
    public static final int NUM_CATEGORIES = 5;
    /** How far past the newest person a seller or bidder may be: people "about to" join. */
    public static final int PERSON_ID_LEAD = 10;
    /** How far past the newest auction a bid may go. */
    public static final int AUCTION_ID_LEAD = 10;

    public static final int PERSON_PROPORTION = 1;
    public static final int AUCTION_PROPORTION = 3;
    public static final int BID_PROPORTION = 46;
    public static final int PROPORTION_DENOMINATOR = PERSON_PROPORTION + AUCTION_PROPORTION + BID_PROPORTION;

    /** One in this many auctions has a random seller; the rest go to the current hot seller. */
    private static final int HOT_SELLERS_RATIO = 4;
    /** One in this many bids goes to a random auction; the rest to the current hot auction. */
    private static final int HOT_AUCTION_RATIO = 2;
    /** One in this many bids comes from a random bidder; the rest from the current hot bidder. */
    private static final int HOT_BIDDERS_RATIO = 4;
    /** Hot ids are rounded down to a multiple of this, so a hot id stays hot for a while. */
    private static final int HOT_ID_ROUNDING = 100;

    private static final int NUM_ACTIVE_PEOPLE = 1000;
    private static final int NUM_IN_FLIGHT_AUCTIONS = 100;
    /** One in this many bids comes from one of the channels that are not hot. */
    private static final int HOT_CHANNELS_RATIO = 2;

    private static final int CHANNELS = 10_000;
    /** Keeps the RNGs of channels' urls apart from those of events. */
    private static final long CHANNEL_SALT = 0x5DEECE66DL << 20;

    private static final int AVERAGE_PERSON_BYTES = 200;
    private static final int AVERAGE_AUCTION_BYTES = 500;
    private static final int AVERAGE_BID_BYTES = 100;

    private static final String[] FIRST_NAMES = {
        "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"
    };
    private static final String[] LAST_NAMES = {
        "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"
    };
    private static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    private static final String[] CITIES = {
        "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne"
    };
    private static final String[] HOT_CHANNELS = {"Google", "Facebook", "Baidu", "Apple"};
    private static final String[] HOT_URLS = {
        "https://www.nexmark.com/google/item.htm?query=1",
        "https://www.nexmark.com/facebook/item.htm?query=1",
        "https://www.nexmark.com/baidu/item.htm?query=1",
        "https://www.nexmark.com/apple/item.htm?query=1"
    };

    /** An event: exactly one of person, auction and bid. */
    public sealed interface Event permits Person, Auction, Bid {
        /** 0 person, 1 auction, 2 bid (the Flink suite's {@code event_type}). */
        int type();

        /** When it happened, in microseconds since the epoch. */
        long dateTime();
    }

    public record Person(
            long id,
            String name,
            String emailAddress,
            String creditCard,
            String city,
            String state,
            long dateTime,
            String extra)
            implements Event {
        @Override
        public int type() {
            return 0;
        }
    }

    public record Auction(
            long id,
            String itemName,
            String description,
            long initialBid,
            long reserve,
            long dateTime,
            long expires,
            long seller,
            long category,
            String extra)
            implements Event {
        @Override
        public int type() {
            return 1;
        }
    }

    public record Bid(long auction, long bidder, long price, String channel, String url, long dateTime, String extra)
            implements Event {
        @Override
        public int type() {
            return 2;
        }
    }

    private final long seed;
    private final long baseTimeMillis;
    private final long eventsPerSecond;

    public NexmarkGenerator(long seed, long baseTimeMillis, long eventsPerSecond) {
        if (eventsPerSecond <= 0) {
            throw new IllegalArgumentException("eventsPerSecond must be > 0, was " + eventsPerSecond);
        }
        this.seed = seed;
        this.baseTimeMillis = baseTimeMillis;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** The type of event {@code n}: 0 person, 1 auction, 2 bid. */
    public static int typeOf(long n) {
        long remainder = n % PROPORTION_DENOMINATOR;
        if (remainder < PERSON_PROPORTION) {
            return 0;
        }
        return remainder < PERSON_PROPORTION + AUCTION_PROPORTION ? 1 : 2;
    }

    /** When event {@code n} happens, in microseconds since the epoch. */
    public long eventMicros(long n) {
        return baseTimeMillis * 1000 + Math.multiplyExact(n, 1_000_000L) / eventsPerSecond;
    }

    /** Event number {@code n} (from 0). */
    public Event event(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("event number must be >= 0, was " + n);
        }
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(n + 0x9E3779B97F4A7C15L)));
        long dateTime = eventMicros(n);
        return switch (typeOf(n)) {
            case 0 -> person(n, random, dateTime);
            case 1 -> auction(n, random, dateTime);
            default -> bid(n, random, dateTime);
        };
    }

    /** The 0-based id of the newest person at event {@code n} (the one it makes, if it makes one). */
    static long lastBase0PersonId(long n) {
        long epoch = n / PROPORTION_DENOMINATOR;
        long offset = Math.min(n % PROPORTION_DENOMINATOR, PERSON_PROPORTION - 1);
        return epoch * PERSON_PROPORTION + offset;
    }

    /** The 0-based id of the newest auction at event {@code n} (the one it makes, if it makes one); -1 before any. */
    static long lastBase0AuctionId(long n) {
        long epoch = n / PROPORTION_DENOMINATOR;
        long offset = n % PROPORTION_DENOMINATOR;
        if (offset < PERSON_PROPORTION) {
            epoch--;
            offset = AUCTION_PROPORTION - 1;
        } else if (offset >= PERSON_PROPORTION + AUCTION_PROPORTION) {
            offset = AUCTION_PROPORTION - 1;
        } else {
            offset -= PERSON_PROPORTION;
        }
        return epoch * AUCTION_PROPORTION + offset;
    }

    /** A recent person, or one up to {@link #PERSON_ID_LEAD} ahead of the newest. */
    private static long randomBase0PersonId(long n, SplittableRandom random) {
        long people = lastBase0PersonId(n) + 1;
        long active = Math.min(people, NUM_ACTIVE_PEOPLE);
        return people - active + random.nextLong(active + PERSON_ID_LEAD);
    }

    /** An auction in flight, or one up to {@link #AUCTION_ID_LEAD} ahead of the newest. */
    private static long randomBase0AuctionId(long n, SplittableRandom random) {
        long newest = lastBase0AuctionId(n);
        long oldest = Math.max(newest - NUM_IN_FLIGHT_AUCTIONS, 0);
        return oldest + random.nextLong(newest - oldest + 1 + AUCTION_ID_LEAD);
    }

    private Person person(long n, SplittableRandom random, long dateTime) {
        long id = FIRST_PERSON_ID + lastBase0PersonId(n);
        String name =
                FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " " + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        String email = randomString(random, 7) + "@" + randomString(random, 5) + ".com";
        String creditCard =
                fourDigits(random) + " " + fourDigits(random) + " " + fourDigits(random) + " " + fourDigits(random);
        String city = CITIES[random.nextInt(CITIES.length)];
        String state = STATES[random.nextInt(STATES.length)];
        int size = 8 + name.length() + email.length() + creditCard.length() + city.length() + state.length();
        return new Person(
                id, name, email, creditCard, city, state, dateTime, extra(random, size, AVERAGE_PERSON_BYTES));
    }

    private Auction auction(long n, SplittableRandom random, long dateTime) {
        long id = FIRST_AUCTION_ID + lastBase0AuctionId(n);
        long seller;
        if (random.nextInt(HOT_SELLERS_RATIO) > 0) {
            seller = (lastBase0PersonId(n) / HOT_ID_ROUNDING) * HOT_ID_ROUNDING;
        } else {
            seller = randomBase0PersonId(n, random);
        }
        seller += FIRST_PERSON_ID;
        long category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
        long initialBid = price(random);
        long expires = dateTime + auctionLengthMillis(n, random) * 1000;
        String itemName = randomString(random, 20);
        String description = randomString(random, 100);
        long reserve = initialBid + price(random);
        int size = 8 + itemName.length() + description.length() + 8 + 8 + 8 + 8 + 8;
        return new Auction(
                id,
                itemName,
                description,
                initialBid,
                reserve,
                dateTime,
                expires,
                seller,
                category,
                extra(random, size, AVERAGE_AUCTION_BYTES));
    }

    /**
     * How long an auction runs: up to twice the time it takes for the number of auctions in flight to be made after it,
     * so about that many are open at any time.
     */
    private long auctionLengthMillis(long n, SplittableRandom random) {
        long eventsForInFlightAuctions = (long) NUM_IN_FLIGHT_AUCTIONS * PROPORTION_DENOMINATOR / AUCTION_PROPORTION;
        long horizonMillis = (eventMicros(n + eventsForInFlightAuctions) - eventMicros(n)) / 1000;
        return 1 + random.nextLong(Math.max(horizonMillis * 2, 1));
    }

    private Bid bid(long n, SplittableRandom random, long dateTime) {
        long auction;
        if (random.nextInt(HOT_AUCTION_RATIO) > 0) {
            auction = (lastBase0AuctionId(n) / HOT_ID_ROUNDING) * HOT_ID_ROUNDING;
        } else {
            auction = randomBase0AuctionId(n, random);
        }
        auction += FIRST_AUCTION_ID;
        long bidder;
        if (random.nextInt(HOT_BIDDERS_RATIO) > 0) {
            bidder = (lastBase0PersonId(n) / HOT_ID_ROUNDING) * HOT_ID_ROUNDING + 1;
        } else {
            bidder = randomBase0PersonId(n, random);
        }
        bidder += FIRST_PERSON_ID;
        long price = price(random);
        String channel;
        String url;
        if (random.nextInt(HOT_CHANNELS_RATIO) > 0) {
            int hot = random.nextInt(HOT_CHANNELS.length);
            channel = HOT_CHANNELS[hot];
            url = HOT_URLS[hot];
        } else {
            int number = random.nextInt(CHANNELS);
            channel = "channel-" + number;
            url = channelUrl(number);
        }
        // As Nexmark's: the fixed-size fields only, so a bid's extra does not depend on its channel.
        int size = 8 + 8 + 8 + 8;
        return new Bid(auction, bidder, price, channel, url, dateTime, extra(random, size, AVERAGE_BID_BYTES));
    }

    /**
     * The url of a channel that is not hot: the same for every bid of the channel (and seed), most with the channel's
     * id as a parameter.
     */
    private String channelUrl(int number) {
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(CHANNEL_SALT + number)));
        String url = "https://www.nexmark.com/" + randomString(random, 5) + "/" + randomString(random, 5) + "/"
                + randomString(random, 5) + "/item.htm?query=1";
        return random.nextInt(10) > 0 ? url + "&channel_id=" + Integer.toUnsignedString(Integer.reverse(number)) : url;
    }

    /** Nexmark's prices: 100 to 100,000,000 (cents), log-uniformly. */
    private static long price(SplittableRandom random) {
        return Math.round(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0);
    }

    private static String fourDigits(SplittableRandom random) {
        String digits = Integer.toString(random.nextInt(10_000));
        return "0000".substring(digits.length()) + digits;
    }

    /** 3 to {@code maxLength - 1} lower-case letters with an occasional space, trimmed. */
    private static String randomString(SplittableRandom random, int maxLength) {
        int length = 3 + random.nextInt(maxLength - 3);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = random.nextInt(13) == 0 ? ' ' : (char) ('a' + random.nextInt(26));
        }
        return new String(chars).strip();
    }

    /** Padding that brings an event of {@code size} bytes to about {@code averageSize} (within 20%), or none. */
    private static String extra(SplittableRandom random, int size, int averageSize) {
        if (size >= averageSize) {
            return "";
        }
        int wanted = averageSize - size;
        int delta = (int) Math.round(wanted * 0.2);
        int length = wanted - delta + random.nextInt(2 * delta + 1);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(chars);
    }

    /** A 64-bit finaliser (MurmurHash3's fmix64): neighbouring inputs give unrelated outputs. */
    private static long mix(long value) {
        long x = value;
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }
}
