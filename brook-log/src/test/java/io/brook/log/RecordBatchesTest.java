package io.brook.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RecordBatchesTest {
    @Test
    void acceptsAWellFormedBatchAndReturnsItsSize() {
        // Given
        ByteBuffer batch = TestBatches.plain(3, 1_000, 20);

        // When
        int size = RecordBatches.validate(batch, 0, batch.limit());

        // Then
        assertThat(size).isEqualTo(batch.limit());
        assertThat(RecordBatches.recordCount(batch, 0)).isEqualTo(3);
        assertThat(RecordBatches.lastOffsetDelta(batch, 0)).isEqualTo(2);
        assertThat(RecordBatches.maxTimestamp(batch, 0)).isEqualTo(1_002);
    }

    @Test
    void validatesABatchThatFollowsAnotherOne() {
        // Given
        ByteBuffer first = TestBatches.plain(1, 1_000, 5);
        ByteBuffer second = TestBatches.plain(2, 2_000, 7);
        ByteBuffer both = TestBatches.concat(first, second);

        // When
        int size = RecordBatches.validate(both, first.limit(), both.limit());

        // Then
        assertThat(size).isEqualTo(second.limit());
        assertThat(RecordBatches.baseOffset(both, first.limit())).isZero();
    }

    @Test
    void rejectsFewerBytesThanTheLengthPrefix() {
        // Given
        ByteBuffer batch = TestBatches.plain(1, 1_000, 5);

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, 11))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 is truncated: 11 bytes left, its header needs 61");
    }

    @Test
    void rejectsABatchCutShortOfItsLength() {
        // Given
        ByteBuffer batch = TestBatches.plain(1, 1_000, 5);
        int size = batch.limit();

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, size - 1))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 is truncated: length says " + size + " bytes, " + (size - 1)
                        + " are there");
    }

    @Test
    void rejectsALengthSmallerThanTheHeader() {
        // Given
        ByteBuffer batch = TestBatches.plain(1, 1_000, 5);
        batch.putInt(RecordBatches.LENGTH, 48);

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, batch.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 has length 48, smaller than the v2 header (49)");
    }

    @Test
    void rejectsANegativeLength() {
        // Given
        ByteBuffer batch = TestBatches.plain(1, 1_000, 5);
        batch.putInt(RecordBatches.LENGTH, -1);

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, batch.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 has length -1, smaller than the v2 header (49)");
    }

    @Test
    void rejectsALengthSoLargeThatTheTotalSizeOverflows() {
        // Given
        ByteBuffer batch = TestBatches.plain(1, 1_000, 5);
        batch.putInt(RecordBatches.LENGTH, Integer.MAX_VALUE);

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, batch.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 is truncated: length says 2147483659 bytes, " + batch.limit()
                        + " are there");
    }

    @Test
    void rejectsAnotherMagic() {
        // Given
        ByteBuffer batch = TestBatches.plain(1, 1_000, 5);
        batch.put(RecordBatches.MAGIC, (byte) 1);

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, batch.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 has magic 1; only v2 batches (magic 2) are accepted");
    }

    @Test
    void rejectsALastOffsetDeltaBelowTheRecordCount() {
        // Given
        ByteBuffer batch = TestBatches.plain(3, 1_000, 5);
        batch.putInt(RecordBatches.LAST_OFFSET_DELTA, 1);
        TestBatches.fixCrc(batch, 0);

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, batch.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 has 3 records but last offset delta 1");
    }

    @Test
    void rejectsAFlippedByteInTheRecordsWithBothChecksums() {
        // Given
        ByteBuffer batch = TestBatches.plain(2, 1_000, 30);
        long stored = RecordBatches.storedCrc(batch, 0);
        int position = RecordBatches.HEADER_SIZE + 10;
        batch.put(position, (byte) (batch.get(position) ^ 0x01));
        long computed = RecordBatches.computeCrc(batch, 0, batch.limit());

        // When, Then
        assertThat(computed).isNotEqualTo(stored);
        assertThatThrownBy(() -> RecordBatches.validate(batch, 0, batch.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte 0 fails its CRC: stored " + stored + ", computed " + computed);
    }

    @Test
    void namesTheBytePositionOfABadBatchInsideABuffer() {
        // Given
        ByteBuffer first = TestBatches.plain(1, 1_000, 5);
        ByteBuffer second = TestBatches.plain(1, 1_000, 5);
        second.put(RecordBatches.MAGIC, (byte) 0);
        ByteBuffer both = TestBatches.concat(first, second);

        // When, Then
        assertThatThrownBy(() -> RecordBatches.validate(both, first.limit(), both.limit()))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessage("record batch at byte " + first.limit()
                        + " has magic 0; only v2 batches (magic 2) are accepted");
    }

    @Test
    void setLogAppendTimeMarksTheBatchAndKeepsItsChecksumValid() {
        // Given
        ByteBuffer batch = TestBatches.plain(2, 1_000, 5);

        // When
        RecordBatches.setLogAppendTime(batch, 0, 9_999);

        // Then
        assertThat(RecordBatches.validate(batch, 0, batch.limit())).isEqualTo(batch.limit());
        assertThat(RecordBatches.maxTimestamp(batch, 0)).isEqualTo(9_999);
        assertThat(RecordBatches.attributes(batch, 0) & 0x08).isEqualTo(0x08);
    }

    @Test
    void setLogAppendTimeWorksOnABatchThatIsNotFirstInTheBuffer() {
        // Given
        ByteBuffer first = TestBatches.plain(1, 1_000, 5);
        ByteBuffer both = TestBatches.concat(first, TestBatches.plain(3, 1_000, 8));

        // When
        RecordBatches.setLogAppendTime(both, first.limit(), 7_777);

        // Then
        RecordBatches.validate(both, 0, both.limit());
        RecordBatches.validate(both, first.limit(), both.limit());
        assertThat(RecordBatches.maxTimestamp(both, first.limit())).isEqualTo(7_777);
        assertThat(RecordBatches.maxTimestamp(both, 0)).isEqualTo(1_000);
    }

    @Test
    void setBaseOffsetLeavesTheChecksumValid() {
        // Given
        ByteBuffer batch = TestBatches.plain(2, 1_000, 5);

        // When
        RecordBatches.setBaseOffset(batch, 0, 123_456_789_000L);

        // Then
        RecordBatches.validate(batch, 0, batch.limit());
        assertThat(RecordBatches.baseOffset(batch, 0)).isEqualTo(123_456_789_000L);
        assertThat(RecordBatches.lastOffset(batch, 0)).isEqualTo(123_456_789_001L);
    }

    @Test
    void readsTheIdempotentProducerFields() {
        // Given
        ByteBuffer batch =
                TestBatches.batch().records(4).producer(77, (short) 3, 40).build();

        // When
        RecordBatches.validate(batch, 0, batch.limit());

        // Then
        assertThat(RecordBatches.producerId(batch, 0)).isEqualTo(77);
        assertThat(RecordBatches.producerEpoch(batch, 0)).isEqualTo((short) 3);
        assertThat(RecordBatches.baseSequence(batch, 0)).isEqualTo(40);
        assertThat(RecordBatches.isTransactional(batch, 0)).isFalse();
        assertThat(RecordBatches.isControl(batch, 0)).isFalse();
    }
}
