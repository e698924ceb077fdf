package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.log.KeyedRecords.Entry;
import io.brook.log.KeyedRecords.KeyValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What was written to a compacted log, and what a clean of it must leave. */
final class CompactionModel {
    /** One record written, with the max timestamp of its batch. */
    record Written(long offset, String key, String value, long batchMaxTimestamp) {
        Entry entry() {
            return new Entry(offset, key, value);
        }
    }

    private final List<Written> written = new ArrayList<>();

    /** Records a batch appended at {@code firstOffset} whose record i has timestamp {@code timestamp + i}. */
    void appended(long firstOffset, long timestamp, List<KeyValue> records) {
        for (int i = 0; i < records.size(); i++) {
            written.add(new Written(
                    firstOffset + i, records.get(i).key(), records.get(i).value(), timestamp + records.size() - 1));
        }
    }

    List<Written> written() {
        return List.copyOf(written);
    }

    List<Entry> entries() {
        return written.stream().map(Written::entry).toList();
    }

    /** The offset of the last record written with {@code key}. */
    long lastOffsetOf(String key) {
        return written.stream()
                .filter(record -> key.equals(record.key()))
                .mapToLong(Written::offset)
                .max()
                .orElseThrow();
    }

    /**
     * What a complete clean of everything below {@code cleanEnd} leaves: the latest record of each key there (no
     * keyless records), then everything from {@code cleanEnd} on as written; tombstones below {@code
     * tombstonesRemovedBelow} whose batch is older than {@code deleteHorizonMs} are gone too.
     */
    List<Entry> afterClean(long cleanEnd, long tombstonesRemovedBelow, long deleteHorizonMs) {
        Map<String, Long> latest = new HashMap<>();
        for (Written record : written) {
            if (record.offset() < cleanEnd && record.key() != null) {
                latest.put(record.key(), record.offset());
            }
        }
        List<Entry> expected = new ArrayList<>();
        for (Written record : written) {
            if (record.offset() >= cleanEnd) {
                expected.add(record.entry());
            } else if (record.key() != null && latest.get(record.key()) == record.offset()) {
                boolean removedTombstone = record.value() == null
                        && record.offset() < tombstonesRemovedBelow
                        && record.batchMaxTimestamp() < deleteHorizonMs;
                if (!removedTombstone) {
                    expected.add(record.entry());
                }
            }
        }
        return expected;
    }

    /** {@link #afterClean} with no tombstone removed. */
    List<Entry> afterClean(long cleanEnd) {
        return afterClean(cleanEnd, 0, 0);
    }

    /**
     * What a clean that mapped the keys below {@code mappedEnd} leaves once it rewrote the segments below {@code
     * rewrittenEnd} only (a clean stopped part way): there the latest record of each key below {@code mappedEnd},
     * everything after as written. No tombstone removed.
     */
    List<Entry> afterPartialClean(long rewrittenEnd, long mappedEnd) {
        Map<String, Long> latest = new HashMap<>();
        for (Written record : written) {
            if (record.offset() < mappedEnd && record.key() != null) {
                latest.put(record.key(), record.offset());
            }
        }
        return written.stream()
                .filter(record -> record.offset() >= rewrittenEnd
                        || (record.key() != null && latest.get(record.key()) == record.offset()))
                .map(Written::entry)
                .toList();
    }

    /**
     * Checks a log that was cleaned in part, below {@code cleanEnd} at most: every record is one written, at its
     * offset, each at most once (so offsets rise); the latest record of every key is there; nothing from {@code
     * cleanEnd} on is missing.
     */
    void assertNoLossNoDuplicates(List<Entry> records, long cleanEnd) {
        assertThat(entries()).containsSubsequence(records);
        assertThat(records).doesNotHaveDuplicates();
        assertThat(records).containsAll(afterClean(Long.MAX_VALUE));
        assertThat(records)
                .containsAll(entries().stream()
                        .filter(entry -> entry.offset() >= cleanEnd)
                        .toList());
    }
}
