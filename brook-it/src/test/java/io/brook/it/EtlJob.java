package io.brook.it;

import static io.brook.engine.api.functions.avg;
import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.concat;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.get_json_object;
import static io.brook.engine.api.functions.lit;
import static io.brook.engine.api.functions.to_timestamp;
import static io.brook.engine.api.functions.window;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;

/**
 * The streaming ETL job of EngineCrashIT, in its own JVM: {@code BOOTSTRAP TOPIC CHECKPOINTS OUTPUT OUT_TOPIC}. JSON
 * page views from Kafka, parsed, watermarked 30 s, counted per page in 10-s windows (append mode), written to JSON
 * files and to a Kafka topic, 500 records per trigger so the input takes many batches. Runs until killed.
 */
public final class EtlJob {
    static final String READY = "ETL running";

    private EtlJob() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        String checkpoints = args[2];
        String output = args[3];
        String outTopic = args[4];
        Brook brook = Brook.local();
        Dataset<Row> views = brook.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", "500")
                .load()
                .selectExpr("CAST(value AS STRING) AS json")
                .select(
                        get_json_object(col("json"), "$.page").as("page"),
                        to_timestamp(get_json_object(col("json"), "$.time")).as("time"),
                        get_json_object(col("json"), "$.latency").cast("bigint").as("latency"))
                .withWatermark("time", "30 seconds")
                .groupBy(window(col("time"), "10 seconds"), col("page"))
                .agg(count("*").as("views"), avg(col("latency")).as("avg_latency"));
        StreamingQuery files = views.writeStream()
                .format("json")
                .outputMode("append")
                .option("path", output)
                .option("checkpointLocation", checkpoints + "/files")
                .queryName("etl-files")
                .start();
        StreamingQuery kafka = views.select(concat(
                                col("page"),
                                lit("|"),
                                col("window_start").cast("string"),
                                lit("|"),
                                col("views").cast("string"))
                        .as("value"))
                .writeStream()
                .format("kafka")
                .outputMode("append")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("topic", outTopic)
                .option("checkpointLocation", checkpoints + "/kafka")
                .queryName("etl-kafka")
                .start();
        // CHECKSTYLE.OFF: RegexpSingleline
        System.out.println(READY);
        // CHECKSTYLE.ON: RegexpSingleline
        files.awaitTermination();
        kafka.awaitTermination();
    }
}
