package io.brook.bench.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataType;

/**
 * The Nexmark benchmark's Spark side: the queries of Brook's examples/nexmark written in Spark SQL (the same
 * statements, with Spark's {@code window(dateTime, size[, slide])} group-bys for Flink's TUMBLE and HOP table
 * functions) over the Kafka topic of JSON events that brook-bench's NexmarkTopic filled, parsed with from_json into
 * the Flink suite's {@code nexmark} columns with the same computed {@code dateTime} and 4-second watermark, and the
 * views person, auction and bid. One query a JVM, available-now with maxOffsetsPerTrigger, to the noop sink (rows
 * produced and discarded; the sink's progress counts them). Prints the lines of brook-bench's EngineRunOutput, as
 * BrookNexmarkRunner does; keep the two alike.
 *
 * <p>Usage: {@code --query qN --queries-dir DIR --work-dir DIR --bootstrap HOST:PORT --topic T --max-offsets N
 * --deadline-seconds S} (queries-dir is accepted for a common command line and not read). Configuration as
 * SparkEngineRunner's: local[2], 2 shuffle partitions, UI off, the default state store.
 */
public final class SparkNexmarkRunner {
    /** The Flink suite's {@code nexmark} columns as JSON holds them (the top-level dateTime is computed below). */
    static final String SCHEMA = "event_type INT,"
            + " person STRUCT<id: BIGINT, name: STRING, emailAddress: STRING, creditCard: STRING, city: STRING,"
            + " state: STRING, dateTime: TIMESTAMP, extra: STRING>,"
            + " auction STRUCT<id: BIGINT, itemName: STRING, description: STRING, initialBid: BIGINT,"
            + " reserve: BIGINT, dateTime: TIMESTAMP, expires: TIMESTAMP, seller: BIGINT, category: BIGINT,"
            + " extra: STRING>,"
            + " bid STRUCT<auction: BIGINT, bidder: BIGINT, price: BIGINT, channel: STRING, url: STRING,"
            + " dateTime: TIMESTAMP, extra: STRING>";

    static final Map<String, String> QUERIES = queries();

    private SparkNexmarkRunner() {}

    private static Map<String, String> queries() {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("q0", "SELECT auction, bidder, price, dateTime, extra FROM bid");
        queries.put("q1", "SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid");
        queries.put("q2", "SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0");
        queries.put(
                "q3",
                "SELECT P.name, P.city, P.state, A.id FROM auction AS A INNER JOIN person AS P ON A.seller = P.id"
                        + " WHERE A.category = 10 AND (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA')");
        queries.put(
                "q4",
                "SELECT Q.category, AVG(Q.final) FROM ("
                        + " SELECT MAX(B.price) AS final, A.category FROM auction A, bid B"
                        + " WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires"
                        + " GROUP BY A.id, A.category) Q GROUP BY Q.category");
        // HOP(2 s slide, 10 s size) is window(dateTime, '10 seconds', '2 seconds'); the window struct carries the
        // event time on to the next stateful operator.
        queries.put(
                "q5",
                "SELECT AuctionBids.auction, AuctionBids.num FROM ("
                        + " SELECT auction, count(*) AS num, window FROM bid"
                        + " GROUP BY auction, window(dateTime, '10 seconds', '2 seconds')) AS AuctionBids"
                        + " JOIN ("
                        + " SELECT max(CountBids.num) AS maxn, CountBids.window FROM ("
                        + " SELECT count(*) AS num, window FROM bid"
                        + " GROUP BY auction, window(dateTime, '10 seconds', '2 seconds')) AS CountBids"
                        + " GROUP BY CountBids.window) AS MaxBids"
                        + " ON AuctionBids.window = MaxBids.window AND AuctionBids.num >= MaxBids.maxn");
        queries.put(
                "q7",
                "SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B JOIN ("
                        + " SELECT MAX(price) AS maxprice, window.end AS dateTime FROM bid"
                        + " GROUP BY window(dateTime, '10 seconds')) B1"
                        + " ON B.price = B1.maxprice"
                        + " WHERE B.dateTime BETWEEN B1.dateTime - INTERVAL 10 SECONDS AND B1.dateTime");
        queries.put(
                "q8",
                "SELECT P.id, P.name, P.window.start AS stime FROM ("
                        + " SELECT id, name, window FROM person GROUP BY id, name, window(dateTime, '10 seconds')) P"
                        + " JOIN ("
                        + " SELECT seller, window FROM auction GROUP BY seller, window(dateTime, '10 seconds')) A"
                        + " ON P.id = A.seller AND P.window = A.window");
        return java.util.Collections.unmodifiableMap(queries);
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, UTF_8), true);
        Map<String, String> options = parse(args);
        long deadline = System.currentTimeMillis() + Long.parseLong(options.get("deadline-seconds")) * 1000L;
        int status = 0;
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("brook-nexmark-benchmark")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.streaming.numRecentProgressUpdates", "100000")
                .getOrCreate();
        try {
            run(out, options, spark, deadline);
            out.println("done");
        } catch (RuntimeException | TimeoutException e) {
            out.println("ladder_end reason=the runner failed: " + oneLine(e));
            status = 1;
        } finally {
            out.flush();
            spark.stop();
        }
        System.exit(status);
    }

    private static void run(PrintWriter out, Map<String, String> options, SparkSession spark, long deadline)
            throws InterruptedException, TimeoutException {
        String name = options.get("query");
        out.println("info engine=spark version=" + SparkContext.getOrCreate().version() + " query=" + name
                + " master=local[2] shuffle_partitions=2 sink=noop");
        String sql = QUERIES.get(name);
        if (sql == null) {
            out.println("refused reason=no Spark SQL for " + name + " in SparkNexmarkRunner");
            return;
        }
        Dataset<Row> nexmark = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", options.get("bootstrap"))
                .option("subscribe", options.get("topic"))
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", options.get("max-offsets"))
                .load()
                .select(from_json(col("value").cast("string"), DataType.fromDDL(SCHEMA))
                        .as("event"))
                .select("event.*")
                .withColumn(
                        "dateTime",
                        expr("CASE WHEN event_type = 0 THEN person.dateTime WHEN event_type = 1 THEN"
                                + " auction.dateTime ELSE bid.dateTime END"))
                .withWatermark("dateTime", "4 seconds");
        nexmark.createOrReplaceTempView("nexmark");
        spark.sql("CREATE OR REPLACE TEMP VIEW person AS SELECT person.id, person.name, person.emailAddress,"
                + " person.creditCard, person.city, person.state, dateTime, person.extra"
                + " FROM nexmark WHERE event_type = 0");
        spark.sql("CREATE OR REPLACE TEMP VIEW auction AS SELECT auction.id, auction.itemName, auction.description,"
                + " auction.initialBid, auction.reserve, dateTime, auction.expires, auction.seller, auction.category,"
                + " auction.extra FROM nexmark WHERE event_type = 1");
        spark.sql("CREATE OR REPLACE TEMP VIEW bid AS SELECT bid.auction, bid.bidder, bid.price, bid.channel,"
                + " bid.url, dateTime, bid.extra FROM nexmark WHERE event_type = 2");
        long start = System.currentTimeMillis();
        long cpuStart = processCpuNanos();
        StreamingQuery query;
        try {
            query = spark.sql(sql)
                    .writeStream()
                    .format("noop")
                    .outputMode("append")
                    .trigger(Trigger.AvailableNow())
                    .queryName("nexmark-" + name)
                    .option(
                            "checkpointLocation",
                            Path.of(options.get("work-dir"))
                                    .resolve("checkpoints")
                                    .resolve("spark-" + name)
                                    .toString())
                    .start();
        } catch (Exception e) {
            // Scala's checked exceptions are unchecked to javac: an AnalysisException is the analyser refusing.
            if (!(e instanceof AnalysisException)) {
                throw e;
            }
            out.println("refused reason=" + oneLine(e));
            return;
        }
        out.println("step rate=1 start_ms=" + start);
        String failure = null;
        try {
            if (!query.awaitTermination(Math.max(1, deadline - start))) {
                failure = "the query did not end before the deadline (BENCH_RUN_TIMEOUT_SECONDS)";
            }
        } catch (Exception e) {
            failure = oneLine(e);
        }
        long end = System.currentTimeMillis();
        long cpuNanos = processCpuNanos() - cpuStart;
        if (failure != null) {
            query.stop();
        }
        long rowsOut = 0;
        for (StreamingQueryProgress progress : query.recentProgress()) {
            String maxEvent = progress.eventTime().get("max");
            Long millis = progress.durationMs().get("triggerExecution");
            out.println("batch rate=1 id=" + progress.batchId() + " ts_ms="
                    + Instant.parse(progress.timestamp()).toEpochMilli() + " rows=" + progress.numInputRows()
                    + " trigger_ms=" + (millis == null ? 0 : millis) + " max_event_ms="
                    + (maxEvent == null ? -1 : Instant.parse(maxEvent).toEpochMilli()));
            long sinkRows = progress.sink().numOutputRows();
            if (sinkRows < 0) {
                failure = failure != null ? failure : "the noop sink reported no row count (numOutputRows -1)";
            }
            rowsOut += Math.max(0, sinkRows);
        }
        for (StreamingQueryProgress progress : query.recentProgress()) {
            out.println("progress " + progress.json().replaceAll("\\s+", " ")); // skipped by the parent; for study
        }
        out.println(
                "step_end rate=1 end_ms=" + end + " status=" + (failure == null ? "ok" : "failed reason=" + failure));
        if (failure == null) {
            out.println("rows_out count=" + rowsOut);
            out.println("cpu ms=" + cpuNanos / 1_000_000);
        }
    }

    /** The CPU time of this JVM's threads (Spark's, the Kafka client's, GC and JIT), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String oneLine(Throwable e) {
        String text = e.toString().replaceAll("\\s+", " ");
        return text.length() <= 400 ? text : text.substring(0, 397) + "...";
    }

    private static Map<String, String> parse(String[] args) {
        List<String> known =
                List.of("query", "queries-dir", "work-dir", "bootstrap", "topic", "max-offsets", "deadline-seconds");
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs; got " + Arrays.toString(args));
            }
            String key = args[i].substring(2);
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; known: " + known);
            }
            values.put(key, args[i + 1]);
        }
        if (!values.keySet().containsAll(known)) {
            throw new IllegalArgumentException("every option is required: " + known + "; got " + values.keySet());
        }
        return values;
    }
}
