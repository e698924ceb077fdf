package io.brook.engine.connector;

/**
 * The offset of a source that makes its rows at a pace from the query's start (rate, nexmark): when it started and
 * how many rows it has offered, as {@code {"startMillis":S,"<name>":N}} with the source's own name for the count.
 */
record PacedOffset(long startMillis, long count) {

    static PacedOffset parse(Offset offset, String countName, String source) {
        String json = offset.json();
        try {
            long startMillis = Long.parseLong(json.replaceAll(".*\"startMillis\":(-?\\d+).*", "$1"));
            long count = Long.parseLong(json.replaceAll(".*\"" + countName + "\":(\\d+).*", "$1"));
            return new PacedOffset(startMillis, count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a " + source + " source offset: " + json, e);
        }
    }

    Offset toOffset(String countName) {
        return new Offset("{\"startMillis\":" + startMillis + ",\"" + countName + "\":" + count + "}");
    }

    /** The rows due at {@code nowMillis} at {@code perSecond} since the start (none before it; no overflow). */
    long dueAt(long nowMillis, long perSecond) {
        long elapsed = Math.max(0, nowMillis - startMillis);
        return elapsed > Long.MAX_VALUE / perSecond ? Long.MAX_VALUE : elapsed * perSecond / 1000;
    }
}
