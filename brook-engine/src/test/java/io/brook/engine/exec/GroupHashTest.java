package io.brook.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group ids stay dense and stable as the hash grows far past its first arrays, and keys decode back. */
class GroupHashTest {
    @Test
    void tensOfThousandsOfKeysGetDenseStableIdsAndDecodeBack() {
        // Given: 50,000 distinct (name, number) keys, each twice
        int keys = 50_000;
        long[] numbers = new long[keys * 2];
        VarcharColumn.Builder names = VarcharColumn.builder(keys * 2);
        for (int i = 0; i < keys * 2; i++) {
            numbers[i] = i % keys;
            names.append("key-" + (i % keys));
        }
        Schema schema =
                Schema.of(new Field("name", ColumnType.VARCHAR, false), new Field("n", ColumnType.BIGINT, false));
        Batch batch = Batch.of(schema, names.build(), LongColumn.of(ColumnType.BIGINT, numbers));
        GroupHash hash = new GroupHash(new KeyCodec(List.of(ColumnType.VARCHAR, ColumnType.BIGINT)));

        // When
        int[] ids = hash.groupIds(batch, new int[] {0, 1}, null);

        // Then
        assertThat(hash.groupCount()).isEqualTo(keys);
        for (int i = 0; i < keys; i++) {
            assertThat(ids[i]).isEqualTo(i);
            assertThat(ids[i + keys]).isEqualTo(i);
        }
        ColumnBuilder[] decoded = {new ColumnBuilder(ColumnType.VARCHAR, 1), new ColumnBuilder(ColumnType.BIGINT, 1)};
        hash.appendKey(keys - 1, decoded);
        assertThat(decoded[0].build().value(0)).isEqualTo("key-" + (keys - 1));
        assertThat(decoded[1].build().value(0)).isEqualTo((long) keys - 1);
        GroupHash byKeyBytes = new GroupHash(new KeyCodec(List.of(ColumnType.VARCHAR, ColumnType.BIGINT)));
        for (int group = 0; group < keys; group++) {
            byte[] key = hash.key(group);
            assertThat(byKeyBytes.findOrAdd(key, 0, key.length)).isEqualTo(group);
        }
        assertThat(byKeyBytes.find(hash.key(123), 0, hash.key(123).length)).isEqualTo(123);
    }
}
