package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * User-defined scalar functions: Flink's form (a class with public eval methods) and Spark's (a lambda with its result
 * type) registered with {@code brook.udf()}, called from SQL text, {@code selectExpr} and {@link UserDefinedFunction},
 * bounded and streaming: types, NULLs, overloads and the errors.
 */
class UdfTest {
    private static final Schema WORDS = Schema.of(
            new Field("word", ColumnType.VARCHAR, true),
            new Field("n", ColumnType.BIGINT, true),
            new Field("i", ColumnType.INT, true));

    private final Brook brook = Brook.local();

    @BeforeEach
    void words() {
        brook.createDataFrame(List.of(Row.of("banana", 3L, 1), Row.of("kiwi", null, 2), Row.of(null, 5L, null)), WORDS)
                .createOrReplaceTempView("words");
    }

    @AfterEach
    void close() {
        brook.close();
    }

    private List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        for (Row row : brook.sql(sql).collectAsList()) {
            rows.add(row.toString());
        }
        return rows;
    }

    /** Counts a character, as Nexmark q14's count_char: a NULL text has none. */
    public static class CountChar {
        public long eval(String text, String character) {
            if (text == null) {
                return 0;
            }
            return text.chars().filter(c -> c == character.charAt(0)).count();
        }
    }

    /** Overloads by type, and a primitive parameter that a NULL never reaches. */
    public static class Twice {
        static final AtomicInteger LONG_CALLS = new AtomicInteger();

        public long eval(long value) {
            LONG_CALLS.incrementAndGet();
            return 2 * value;
        }

        public String eval(String value) {
            return value == null ? "no text" : value + value;
        }

        public double eval(double value) {
            return 2 * value;
        }
    }

    /** A boxed parameter gets NULL. */
    public static class OrMinusOne {
        public Long eval(Long value) {
            return value == null ? -1L : value;
        }
    }

    /** Varargs. */
    public static class JoinWith {
        public static String eval(String separator, String... parts) {
            return String.join(separator, parts);
        }
    }

    /** One method per Java type, each returning the type it takes, changed a little. */
    public static class PlusOneInt {
        public int eval(int value) {
            return value + 1;
        }
    }

    public static class Negate {
        public boolean eval(boolean value) {
            return !value;
        }
    }

    public static class HalfOf {
        public BigDecimal eval(BigDecimal value) {
            return value.divide(BigDecimal.valueOf(2));
        }
    }

    public static class HalfFloat {
        public float eval(float value) {
            return value / 2;
        }
    }

    public static class NextDay {
        public LocalDate eval(LocalDate day) {
            return day.plusDays(1);
        }
    }

    public static class NextHour {
        public LocalDateTime eval(LocalDateTime time) {
            return time.plusHours(1);
        }
    }

    public static class NextSecond {
        public Instant eval(Instant time) {
            return time.plusSeconds(1);
        }
    }

    public static class Reversed {
        public byte[] eval(byte[] bytes) {
            byte[] reversed = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                reversed[i] = bytes[bytes.length - 1 - i];
            }
            return reversed;
        }
    }

    public static class Fails {
        public String eval(String value) {
            if ("kiwi".equals(value)) {
                throw new IllegalStateException("no kiwis here");
            }
            return value;
        }
    }

    /** Fails when two threads call one instance: a function need not be thread-safe. */
    public static class ThreadConfined {
        static final java.util.Set<Thread> THREADS = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private Thread owner;

        public long eval(long value) {
            Thread current = Thread.currentThread();
            if (owner == null) {
                owner = current;
                THREADS.add(current);
            } else if (owner != current) {
                throw new IllegalStateException("called on " + current + " and on " + owner);
            }
            return value + 1;
        }
    }

    public static class NoEval {
        public String apply(String value) {
            return value;
        }
    }

    public static class TakesAList {
        public String eval(List<String> values) {
            return values.toString();
        }
    }

    public static class NoDefaultConstructor {
        private final String prefix;

        public NoDefaultConstructor(String prefix) {
            this.prefix = prefix;
        }

        public String eval(String value) {
            return prefix + value;
        }
    }

    /** A Brook interface instead of eval methods: the types come from the implemented call method. */
    public static class Length implements UDF1<String, Integer> {
        @Override
        public Integer call(String value) {
            return value.length();
        }
    }

    @Test
    void classWithAnEvalMethodIsCalledFromSql() {
        // Given
        brook.udf().register("count_char", CountChar.class);

        // When
        List<String> rows = rows("SELECT word, count_char(word, 'a') AS a FROM words");

        // Then
        assertThat(rows).containsExactly("[banana,3]", "[kiwi,0]", "[null,0]");
        assertThat(brook.sql("SELECT COUNT_CHAR(word, 'a') AS a FROM words").schema())
                .isEqualTo(Schema.of(new Field("a", ColumnType.BIGINT, true)));
    }

    @Test
    void overloadsArePickedByTheArgumentTypesAndNullSkipsPrimitiveParameters() {
        // Given
        brook.udf().register("twice", Twice.class);
        Twice.LONG_CALLS.set(0);

        // When
        List<String> rows = rows("SELECT twice(n), twice(word), twice(i), twice(1.5e0) FROM words");

        // Then: an INT widens to BIGINT (the closest form); a NULL long gives NULL without a call.
        assertThat(rows).containsExactly("[6,bananabanana,2,3.0]", "[null,kiwikiwi,4,3.0]", "[10,no text,null,3.0]");
        assertThat(Twice.LONG_CALLS).hasValue(4);
    }

    @Test
    void boxedParametersGetNull() {
        brook.udf().register("or_minus_one", OrMinusOne.class);

        assertThat(rows("SELECT or_minus_one(n) FROM words")).containsExactly("[3]", "[-1]", "[5]");
    }

    @Test
    void varargsTakeAnyNumberOfArguments() {
        brook.udf().register("join_with", JoinWith.class);

        assertThat(rows("SELECT join_with('-', word, word, 'x'), join_with('+') FROM words WHERE i = 1"))
                .containsExactly("[banana-banana-x,]");
    }

    @Test
    void javaTypesMapToSqlTypes() {
        // Given
        brook.udf().register("plus_one", PlusOneInt.class);
        brook.udf().register("negate", Negate.class);
        brook.udf().register("half", HalfOf.class);
        brook.udf().register("half_float", HalfFloat.class);
        brook.udf().register("next_day", NextDay.class);
        brook.udf().register("next_hour", NextHour.class);
        brook.udf().register("next_second", NextSecond.class);
        brook.udf().register("reversed", Reversed.class);

        // When
        Dataset<Row> result =
                brook.sql("SELECT plus_one(i) AS a, negate(i > 1) AS b, half(CAST(3.5 AS DECIMAL(5, 1))) AS c,"
                        + " half_float(CAST(3 AS REAL)) AS d, next_day(DATE '2024-02-28') AS e,"
                        + " next_hour(TIMESTAMP '2024-02-28 23:30:00') AS f, next_second(TIMESTAMP '2024-02-28 23:30:00') AS g,"
                        + " reversed(X'0102') AS h FROM words WHERE i = 2");

        // Then
        assertThat(result.schema().fields().stream().map(Field::typeName).toList())
                .containsExactly("INT", "BOOLEAN", "DOUBLE", "DOUBLE", "DATE", "TIMESTAMP", "TIMESTAMP", "VARBINARY");
        Row row = result.collectAsList().get(0);
        assertThat(row.get(0)).isEqualTo(3);
        assertThat(row.get(1)).isEqualTo(false);
        assertThat(row.get(2)).isEqualTo(1.75);
        assertThat(row.get(3)).isEqualTo(1.5);
        assertThat(row.get(4)).isEqualTo(LocalDate.parse("2024-02-29"));
        assertThat(row.get(5)).isEqualTo(Instant.parse("2024-02-29T00:30:00Z"));
        assertThat(row.get(6)).isEqualTo(Instant.parse("2024-02-28T23:30:01Z"));
        assertThat((byte[]) row.get(7)).containsExactly(2, 1);
    }

    @Test
    void classImplementingUdf1TakesItsCallMethodsTypes() {
        brook.udf().register("text_length", Length.class);

        assertThat(rows("SELECT text_length(word) FROM words WHERE word IS NOT NULL"))
                .containsExactly("[6]", "[4]");
        assertThatThrownBy(() -> brook.sql("SELECT text_length(n) FROM words"))
                .isInstanceOf(BrookException.class)
                .hasMessageContaining("Cannot apply 'text_length' to arguments of type 'text_length(<BIGINT>)'")
                .hasMessageContaining("Supported form(s): 'text_length(<VARCHAR>)'");
    }

    @Test
    void lambdaRegisteredWithItsResultTypeWorksInSqlExprAndApply() {
        // Given
        UserDefinedFunction shout = brook.udf()
                .register(
                        "shout",
                        (UDF1<String, String>) s -> s == null ? null : s.toUpperCase(Locale.ROOT) + "!",
                        ColumnType.VARCHAR);
        brook.udf().register("times", (UDF2<Long, Integer, Long>) (a, b) -> a * b, ColumnType.BIGINT);
        Dataset<Row> words = brook.sql("SELECT * FROM words WHERE n IS NOT NULL AND i IS NOT NULL");

        // When
        List<Row> viaExpr = words.selectExpr("shout(word) AS loud", "times(n, i) AS product")
                .collectAsList();
        List<Row> viaApply = words.select(shout.apply(col("word"))).collectAsList();

        // Then
        assertThat(viaExpr).containsExactly(Row.of("BANANA!", 3L));
        assertThat(viaApply).containsExactly(Row.of("BANANA!"));
        assertThat(words.select(shout.apply(col("word"))).columns()).containsExactly("shout(word)");
    }

    @Test
    void streamingQueryCallsTheFunctionOnEveryMicroBatch() throws Exception {
        // Given
        brook.udf().register("count_char", CountChar.class);
        MemoryStream input = MemoryStream.of(brook, WORDS);
        StreamingQuery query = input.toDF()
                .selectExpr("word", "count_char(word, 'a') AS a")
                .writeStream()
                .format("memory")
                .queryName("counted")
                .start();

        // When
        input.addData(Row.of("banana", 1L, 1));
        query.processAllAvailable();
        input.addData(Row.of("papaya", 2L, 2), Row.of(null, 3L, 3));
        query.processAllAvailable();

        // Then
        assertThat(brook.table("counted").collectAsList())
                .containsExactly(Row.of("banana", 3L), Row.of("papaya", 3L), Row.of(null, 0L));
        query.stop();
    }

    @Test
    void eachThreadOfAQueryCallsItsOwnInstance() throws Exception {
        // Given: one micro-batch of 40 input batches, enough to be pushed on several threads
        Brook parallel =
                Brook.builder().config("brook.sql.shuffle.partitions", "4").getOrCreate();
        parallel.udf().register("plus_one", ThreadConfined.class);
        ThreadConfined.THREADS.clear();
        Schema ids = Schema.of(new Field("id", ColumnType.BIGINT, false));
        MemoryStream input = MemoryStream.of(parallel, ids);
        for (int batch = 0; batch < 40; batch++) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 2048; i++) {
                rows.add(Row.of((long) batch * 2048 + i));
            }
            input.addData(rows);
        }
        StreamingQuery query = input.toDF()
                .selectExpr("plus_one(id) AS next")
                .writeStream()
                .format("memory")
                .queryName("next")
                .start();

        // When
        query.processAllAvailable();

        // Then: every row, and more than one thread (each with its instance) did the work
        List<Row> rows = parallel.table("next").collectAsList();
        assertThat(rows).hasSize(40 * 2048);
        assertThat(rows.get(40 * 2048 - 1)).isEqualTo(Row.of(40L * 2048));
        assertThat(ThreadConfined.THREADS).hasSizeGreaterThan(1);
        parallel.close();
    }

    @Test
    void exceptionInTheFunctionFailsTheQueryNamingTheFunctionAndArguments() {
        brook.udf().register("fails", Fails.class);

        assertThatThrownBy(() -> brook.sql("SELECT fails(word) FROM words").collectAsList())
                .isInstanceOf(BrookException.class)
                .hasMessageContaining("function fails (" + Fails.class.getName() + ") failed on arguments ('kiwi'):"
                        + " java.lang.IllegalStateException: no kiwis here")
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void exceptionInAStreamingQueryStopsItWithTheFunctionNamed() throws Exception {
        // Given
        brook.udf().register("fails", Fails.class);
        MemoryStream input = MemoryStream.of(brook, WORDS);
        StreamingQuery query = input.toDF()
                .selectExpr("fails(word) AS w")
                .writeStream()
                .format("memory")
                .queryName("failing")
                .start();

        // When
        input.addData(Row.of("kiwi", 1L, 1));

        // Then
        assertThatThrownBy(query::processAllAvailable).hasStackTraceContaining("function fails");
        assertThat(query.isActive()).isFalse();
    }

    @Test
    void classesThatAreNotFunctionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> brook.udf().register("f", NoEval.class))
                .isInstanceOf(BrookException.class)
                .hasMessage("function class " + NoEval.class.getName() + " has no public eval method; a scalar function"
                        + " has one or more, such as public long eval(String s)");
        assertThatThrownBy(() -> brook.udf().register("f", TakesAList.class))
                .hasMessage(
                        TakesAList.class.getName() + ".eval: parameter 1 has type java.util.List, which Brook cannot"
                                + " pass; parameters are String, long/Long, int/Integer, double/Double, float/Float,"
                                + " boolean/Boolean, BigDecimal, LocalDate, LocalDateTime, Instant or byte[]");
        assertThatThrownBy(() -> brook.udf().register("f", NoDefaultConstructor.class))
                .hasMessage("function class " + NoDefaultConstructor.class.getName()
                        + " needs a public constructor without arguments");
        assertThatThrownBy(() -> brook.udf().register("upper", CountChar.class))
                .hasMessage("'upper' is a built-in function; give the user-defined function another name");
    }

    @Test
    void wrongArgumentTypesNameTheSignaturesAndPointAtTheCall() {
        brook.udf().register("count_char", CountChar.class);

        assertThatThrownBy(() -> brook.sql("SELECT\n  count_char(n, 'a') FROM words"))
                .isInstanceOf(BrookException.class)
                .hasMessageContaining("line 2:3")
                .hasMessageContaining(
                        "Cannot apply 'count_char' to arguments of type 'count_char(<BIGINT>, <CHAR(1)>)'."
                                + " Supported form(s): 'count_char(<VARCHAR>, <VARCHAR>)'");
        assertThatThrownBy(() -> wordsDataset().selectExpr("count_char(word)"))
                .isInstanceOf(BrookException.class)
                .hasMessageContaining("count_char");
    }

    @Test
    void droppedFunctionIsNoLongerFound() {
        brook.udf().register("count_char", CountChar.class);

        assertThat(brook.udf().drop("COUNT_CHAR")).isTrue();

        assertThat(brook.udf().list()).isEmpty();
        assertThatThrownBy(() -> brook.sql("SELECT count_char(word, 'a') FROM words"))
                .isInstanceOf(BrookException.class)
                .hasMessageContaining("line 1:8: no function count_char(<CHARACTER>, <CHARACTER>)");
    }

    private Dataset<Row> wordsDataset() {
        return brook.sql("SELECT * FROM words");
    }
}
