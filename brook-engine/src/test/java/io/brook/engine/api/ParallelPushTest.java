package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.expr;
import static io.brook.engine.api.functions.first;
import static io.brook.engine.api.functions.last;
import static io.brook.engine.api.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A micro-batch of many input batches is pushed through the stateless operators on several threads; the result must
 * still be the one of pushing them in order: rows in input order, first and last as the input has them, and sums of
 * doubles added in input order (floating-point addition is not associative, so any reordering shows).
 */
class ParallelPushTest {
    private static final Schema EVENTS =
            Schema.of(new Field("id", ColumnType.BIGINT, false), new Field("amount", ColumnType.DOUBLE, false));
    private static final int BATCHES = 40;
    private static final int ROWS_PER_BATCH = 2048;
    private static final int GROUPS = 7;

    @TempDir
    Path checkpoints;

    private final Brook brook =
            Brook.builder().config("brook.sql.shuffle.partitions", "3").getOrCreate();

    @AfterEach
    void close() {
        brook.close();
    }

    @RepeatedTest(3)
    void aMicroBatchOfManyInputBatchesGivesTheResultOfPushingThemInOrder() throws Exception {
        // Given: one micro-batch of 40 input batches (81,920 rows, enough to go parallel) with amounts whose sums
        // depend on the order of addition
        MemoryStream input = MemoryStream.of(brook, EVENTS);
        SplittableRandom random = new SplittableRandom(7);
        List<Row> all = new ArrayList<>();
        for (int batch = 0; batch < BATCHES; batch++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < ROWS_PER_BATCH; i++) {
                long id = (long) batch * ROWS_PER_BATCH + i;
                rows.add(Row.of(id, random.nextDouble() * Math.pow(10, random.nextInt(12))));
            }
            input.addData(rows);
            all.addAll(rows);
        }
        Dataset<Row> events = input.toDF();
        StreamingQuery copy = events.withColumn("twice", col("amount").multiply(2))
                .writeStream()
                .format("memory")
                .queryName("copy")
                .option("checkpointLocation", checkpoints.resolve("copy").toString())
                .start();
        StreamingQuery totals = events.groupBy(col("id").mod(GROUPS).as("group"))
                .agg(
                        first("id").as("first"),
                        last("id").as("last"),
                        sum("amount").as("total"))
                .writeStream()
                .format("memory")
                .outputMode("complete")
                .queryName("totals")
                .option("checkpointLocation", checkpoints.resolve("totals").toString())
                .start();

        // When
        copy.processAllAvailable();
        totals.processAllAvailable();

        // Then
        assertThat(copy.lastProgress().numInputRows()).isEqualTo((long) BATCHES * ROWS_PER_BATCH);
        List<Row> copied = brook.table("copy").collectAsList();
        assertThat(copied).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            assertThat(copied.get(i).get(0))
                    .as("row %d", i)
                    .isEqualTo(all.get(i).get(0));
        }
        Map<Long, Row> expected = new LinkedHashMap<>();
        for (Row row : all) {
            long id = (Long) row.get(0);
            double amount = (Double) row.get(1);
            Row sofar = expected.get(id % GROUPS);
            expected.put(
                    id % GROUPS,
                    sofar == null
                            ? Row.of(id % GROUPS, id, id, amount)
                            : Row.of(id % GROUPS, sofar.get(1), id, (Double) sofar.get(3) + amount));
        }
        assertThat(brook.table("totals").collectAsList()).containsExactlyInAnyOrderElementsOf(expected.values());
        copy.stop();
        totals.stop();
    }

    @RepeatedTest(3)
    void aStreamStaticJoinKeepsInputOrderThoughItReadsItsTableOnThePushingThread() throws Exception {
        // Given: the join reads its static side (a bounded pipeline of its own) inside the first input batch's push
        MemoryStream input = MemoryStream.of(brook, EVENTS);
        List<Row> all = addBatches(input);
        List<Row> names = new ArrayList<>();
        for (long group = 0; group < GROUPS; group++) {
            names.add(Row.of(group, "group-" + group));
        }
        Dataset<Row> groups = brook.createDataFrame(
                names,
                Schema.of(new Field("group", ColumnType.BIGINT, false), new Field("name", ColumnType.VARCHAR, false)));
        StreamingQuery firsts = input.toDF()
                .withColumn("group", col("id").mod(GROUPS))
                .join(groups, "group")
                .groupBy(col("name"))
                .agg(first("id").as("first"), last("id").as("last"))
                .writeStream()
                .format("memory")
                .outputMode("complete")
                .queryName("firsts")
                .option("checkpointLocation", checkpoints.resolve("firsts").toString())
                .start();

        // When
        firsts.processAllAvailable();

        // Then: the first id of each group is its first row's, the last its last row's
        List<Row> expected = new ArrayList<>();
        for (long group = 0; group < GROUPS; group++) {
            long lastId = all.size() - 1;
            while (lastId % GROUPS != group) {
                lastId--;
            }
            expected.add(Row.of("group-" + group, group, lastId));
        }
        assertThat(brook.table("firsts").collectAsList()).containsExactlyInAnyOrderElementsOf(expected);
        firsts.stop();
    }

    @RepeatedTest(3)
    void aRowThatFailsOnAWorkerFailsTheQueryWithItsOwnError() throws Exception {
        // Given: text cast to a NOT NULL int, one value late in a large micro-batch not a number
        Schema texts = Schema.of(new Field("text", ColumnType.VARCHAR, false));
        MemoryStream input = MemoryStream.of(brook, texts);
        for (int batch = 0; batch < BATCHES; batch++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < ROWS_PER_BATCH; i++) {
                rows.add(Row.of(batch == BATCHES - 3 && i == 5 ? "five" : Integer.toString(i)));
            }
            input.addData(rows);
        }
        StreamingQuery numbers = input.toDF()
                .select(expr("CAST(text AS INT) AS number"))
                .writeStream()
                .format("memory")
                .queryName("numbers")
                .option("checkpointLocation", checkpoints.resolve("numbers").toString())
                .start();

        // When / Then: the cast's own error, not an error about the error
        assertThatThrownBy(numbers::processAllAvailable)
                .isInstanceOf(io.brook.engine.BrookException.class)
                .hasMessageContaining("Brook cannot evaluate CAST($0):INTEGER NOT NULL")
                .hasMessageContaining("the value is NULL");
        assertThat(numbers.exception()).isInstanceOf(ArithmeticException.class);
    }

    private static List<Row> addBatches(MemoryStream input) {
        SplittableRandom random = new SplittableRandom(11);
        List<Row> all = new ArrayList<>();
        for (int batch = 0; batch < BATCHES; batch++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < ROWS_PER_BATCH; i++) {
                rows.add(Row.of((long) batch * ROWS_PER_BATCH + i, random.nextDouble()));
            }
            input.addData(rows);
            all.addAll(rows);
        }
        return all;
    }
}
