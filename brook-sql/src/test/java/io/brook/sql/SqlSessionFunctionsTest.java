package io.brook.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.sql.udf.CountChar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CREATE FUNCTION, DROP FUNCTION and SHOW FUNCTIONS: classes on the classpath or in a jar, and their errors. */
class SqlSessionFunctionsTest {
    private final Brook brook = Brook.local();
    private final SqlSession session = new SqlSession(brook);

    @TempDir
    Path directory;

    @AfterEach
    void close() {
        session.close();
        brook.close();
    }

    private static List<String> rows(SqlResult result) {
        List<String> rows = new ArrayList<>();
        for (Row row : result.rows()) {
            rows.add(row.toString());
        }
        return rows;
    }

    private SqlResult last(String script) {
        List<SqlResult> results = session.execute(script);
        return results.get(results.size() - 1);
    }

    /** Throws on one word, to fail a query. */
    public static class Fussy {
        public String eval(String word) {
            if (word.equals("kiwi")) {
                throw new IllegalArgumentException("kiwi is not a fruit I take");
            }
            return word;
        }
    }

    public static class NoEval {
        public String run(String word) {
            return word;
        }
    }

    @Test
    void createdFunctionIsCalledShownAndDropped() {
        // When
        oneRowView();
        SqlResult created =
                last("CREATE TEMPORARY SYSTEM FUNCTION count_char AS 'io.brook.sql.udf.CountChar'" + " LANGUAGE JAVA;");

        // Then
        assertThat(created.message()).isEqualTo("Created function count_char (io.brook.sql.udf.CountChar)");
        assertThat(rows(last("SELECT count_char('cacao', 'c') AS c, count_char(NULL, 'c') AS nothing FROM single;")))
                .containsExactly("[2,0]");
        assertThat(rows(last("SHOW USER FUNCTIONS;")))
                .containsExactly("[count_char,user,io.brook.sql.udf.CountChar,count_char(<VARCHAR>, <VARCHAR>)]");
        List<String> all = rows(last("SHOW FUNCTIONS;"));
        assertThat(all.get(0))
                .isEqualTo("[count_char,user,io.brook.sql.udf.CountChar,count_char(<VARCHAR>, <VARCHAR>)]");
        assertThat(all).contains("[upper,built-in,,]", "[get_json_object,built-in,,]");
        assertThat(last("CREATE FUNCTION IF NOT EXISTS count_char AS 'io.brook.sql.udf.CountChar';")
                        .message())
                .isEqualTo("Function count_char exists; not created again");

        // When
        SqlResult dropped = last("DROP TEMPORARY FUNCTION COUNT_CHAR;");

        // Then
        assertThat(dropped.message()).isEqualTo("Dropped function count_char");
        assertThat(rows(last("SHOW USER FUNCTIONS;"))).isEmpty();
        assertThat(last("DROP FUNCTION IF EXISTS count_char;").message()).isEqualTo("No function count_char");
        assertThatThrownBy(() -> session.execute("SELECT count_char('cacao', 'c') FROM single;"))
                .hasMessageStartingWith("line 1:8: no function count_char(<CHARACTER>, <CHARACTER>)");
    }

    @Test
    void hourOfDayDecidesTheCaseAsInNexmarkQ14() {
        // Given: q14's CASE over times of day at the edges of its ranges.
        String query = """
                SELECT HOUR(ts) AS h,
                    CASE
                        WHEN HOUR(ts) >= 8 AND HOUR(ts) <= 18 THEN 'dayTime'
                        WHEN HOUR(ts) <= 6 OR HOUR(ts) >= 20 THEN 'nightTime'
                        ELSE 'otherTime'
                    END AS bidTimeType
                FROM times;
                """;
        List<Row> times = new ArrayList<>();
        for (String time :
                List.of("06:59:59.999", "07:00:00", "08:00:00", "18:59:59", "19:30:00", "20:00:00", "00:00:00")) {
            java.time.Instant instant = java.time.Instant.parse("2024-01-01T" + time + "Z");
            times.add(Row.of(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000)); // micros
        }
        brook.createDataFrame(times, Schema.of(new Field("ts", ColumnType.TIMESTAMP, false)))
                .createOrReplaceTempView("times");

        // When
        SqlResult result = last(query);

        // Then
        assertThat(rows(result))
                .containsExactly(
                        "[6,nightTime]",
                        "[7,otherTime]",
                        "[8,dayTime]",
                        "[18,dayTime]",
                        "[19,otherTime]",
                        "[20,nightTime]",
                        "[0,nightTime]");
        assertThat(result.rows().get(0).get(0)).isInstanceOf(Long.class); // BIGINT, as Flink's HOUR
    }

    @Test
    void decimalProductIsExactToItsScaleAsInFlink() {
        // 0.908 * 13865077 is 12589489.916 exactly; as DOUBLE arithmetic it is 12589489.916000001.
        brook.createDataFrame(List.of(Row.of(13_865_077L)), Schema.of(new Field("price", ColumnType.BIGINT, false)))
                .createOrReplaceTempView("bids");

        assertThat(rows(last("SELECT 0.908 * price AS euros FROM bids;"))).containsExactly("[1.2589489916E7]");
    }

    @Test
    void functionFromAJarNamedByUsingJar() throws Exception {
        // Given: a class compiled here, only in a jar.
        Path jar = jarOf("example.udf.Shout", """
                package example.udf;

                public class Shout {
                    public String eval(String text) {
                        return text == null ? null : text.toUpperCase(java.util.Locale.ROOT) + "!";
                    }

                    public String eval(String text, int times) {
                        return eval(text).repeat(times);
                    }
                }
                """);
        assertThatThrownBy(() -> Class.forName("example.udf.Shout")).isInstanceOf(ClassNotFoundException.class);

        oneRowView();

        // When
        session.execute("CREATE FUNCTION shout AS 'example.udf.Shout' USING JAR '" + jar + "';");

        // Then
        assertThat(rows(last("SELECT shout('hey') AS a, shout('ho', 2) AS b FROM single;")))
                .containsExactly("[HEY!,HO!HO!]");
        assertThat(rows(last("SHOW USER FUNCTIONS;")))
                .containsExactly("[shout,user,example.udf.Shout,shout(<VARCHAR>), shout(<VARCHAR>, <INTEGER>)]");
    }

    @Test
    void errorsPointAtTheStatementsPart() {
        assertThatThrownBy(() -> session.execute("\nCREATE FUNCTION f AS 'com.example.Missing';"))
                .isInstanceOf(BrookException.class)
                .hasMessage("line 2:22: class 'com.example.Missing' not found on Brook's classpath; put its jar there,"
                        + " or name it: USING JAR 'path/to/functions.jar'\n"
                        + "CREATE FUNCTION f AS 'com.example.Missing';\n"
                        + "                     ^");
        assertThatThrownBy(() -> session.execute("CREATE FUNCTION f AS 'com.example.Missing' USING JAR 'no/such.jar';"))
                .hasMessageStartingWith("line 1:54: jar 'no/such.jar' not found (");
        assertThatThrownBy(() -> session.execute("CREATE FUNCTION f AS '" + NoEval.class.getName() + "';"))
                .hasMessageStartingWith("line 1:22: function class " + NoEval.class.getName()
                        + " has no public eval method; a scalar function has one or more, such as public long"
                        + " eval(String s)");
        assertThatThrownBy(() -> session.execute("CREATE FUNCTION upper AS '" + CountChar.class.getName() + "';"))
                .hasMessageStartingWith(
                        "line 1:17: 'upper' is a built-in function; give the user-defined function another name");
        assertThatThrownBy(() -> session.execute("CREATE FUNCTION f AS 'x' LANGUAGE PYTHON;"))
                .hasMessageStartingWith(
                        "line 1:35: Brook runs functions written for the JVM (LANGUAGE JAVA); got" + " PYTHON");
        assertThatThrownBy(() -> session.execute("CREATE FUNCTION f AS com.example.F;"))
                .hasMessageStartingWith("line 1:22: expected the function's class name as a string, such as"
                        + " 'com.example.MyFunction'; got 'com'");
        assertThatThrownBy(() -> session.execute("CREATE TEMPORARY SYSTEM VIEW v AS SELECT 1;"))
                .hasMessageStartingWith("line 1:25: expected FUNCTION after CREATE TEMPORARY SYSTEM; got 'VIEW'");
        assertThatThrownBy(() -> session.execute("DROP FUNCTION nothing;"))
                .hasMessageStartingWith("line 1:15: no function named 'nothing'");

        session.execute("CREATE FUNCTION count_char AS '" + CountChar.class.getName() + "';");
        assertThatThrownBy(() -> session.execute("CREATE FUNCTION count_char AS '" + CountChar.class.getName() + "';"))
                .hasMessageStartingWith("line 1:17: function 'count_char' already exists (io.brook.sql.udf.CountChar);"
                        + " DROP FUNCTION count_char first, or use CREATE FUNCTION IF NOT EXISTS");
        oneRowView();
        assertThatThrownBy(() -> session.execute("SELECT\n  count_char(1, 'c') FROM single;"))
                .hasMessage("line 2:3: Cannot apply 'count_char' to arguments of type 'count_char(<INTEGER>,"
                        + " <CHAR(1)>)'. Supported form(s): 'count_char(<VARCHAR>, <VARCHAR>)'\n"
                        + "  count_char(1, 'c') FROM single;\n"
                        + "  ^");
        assertThatThrownBy(() -> session.execute("DROP FUNCTION count_chr;"))
                .hasMessageStartingWith("line 1:15: no function named 'count_chr'; did you mean 'count_char'?");
    }

    @Test
    void exceptionInAFunctionFailsTheContinuousQueryNamingItAndTheArguments() throws Exception {
        // Given
        session.execute("CREATE FUNCTION fussy AS '" + Fussy.class.getName() + "';");
        session.execute("SET 'trigger' = 'available-now';");
        MemoryStreamOfWords words = new MemoryStreamOfWords(brook, "apple", "kiwi");
        words.register();
        session.execute("CREATE TABLE picked (word STRING) WITH ('connector' = 'memory');");

        // When
        StreamingQuery query =
                last("INSERT INTO picked SELECT fussy(word) FROM fruit;").query();

        // Then
        assertThatThrownBy(() -> query.awaitTermination(30_000))
                .hasStackTraceContaining("function fussy (" + Fussy.class.getName() + ") failed on arguments ('kiwi'):"
                        + " java.lang.IllegalArgumentException: kiwi is not a fruit I take");
    }

    private void oneRowView() {
        brook.createDataFrame(List.of(Row.of(1)), Schema.of(new Field("x", ColumnType.INT, false)))
                .createOrReplaceTempView("single");
    }

    /** A stream of words, as view {@code fruit}. */
    private record MemoryStreamOfWords(Brook brook, String... words) {
        void register() {
            io.brook.engine.api.MemoryStream stream = io.brook.engine.api.MemoryStream.of(
                    brook,
                    io.brook.engine.batch.Schema.of(
                            new io.brook.engine.batch.Field("word", io.brook.engine.batch.ColumnType.VARCHAR, false)));
            for (String word : words) {
                stream.addData(Row.of(word));
            }
            stream.toDF().createOrReplaceTempView("fruit");
        }
    }

    /** A jar holding one class compiled from source. */
    private Path jarOf(String className, String source) throws IOException {
        Path sources = Files.createDirectories(directory.resolve("src"));
        Path classes = Files.createDirectories(directory.resolve("classes"));
        Path file = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
        Files.writeString(file, source);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(), file.toString());
        assertThat(status).isZero();
        Path jar = directory.resolve("functions.jar");
        String entry = className.replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(Files.readAllBytes(classes.resolve(entry)));
            jarOut.closeEntry();
        }
        return jar;
    }
}
