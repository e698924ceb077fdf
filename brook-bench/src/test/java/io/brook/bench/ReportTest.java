package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.bench.Figure.Unit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final List<Figure> FIGURES = List.of(
            new Figure("produce_100b_acks1_p1_rps", Unit.RECORDS_PER_SECOND),
            new Figure("produce_100b_acks1_p1_p99_ms", Unit.MILLISECONDS),
            new Figure("rss_idle_mib", Unit.MEBIBYTES));

    @Test
    void lastLineIsTheSummaryOfEveryFigureForBothSystemsAndTheirRatio() {
        // Given
        SystemResult kafka = new SystemResult("kafka");
        kafka.put("produce_100b_acks1_p1_rps", 100_000.4);
        kafka.put("produce_100b_acks1_p1_p99_ms", 0);
        kafka.put("rss_idle_mib", 400);
        SystemResult brook = new SystemResult("brook");
        brook.put("produce_100b_acks1_p1_rps", 150_000);
        brook.put("produce_100b_acks1_p1_p99_ms", 3);
        brook.error("rss", "could not read /proc/PID/status");
        StringWriter text = new StringWriter();

        // When
        Report.print(new PrintWriter(text), List.of("header"), FIGURES, kafka, brook, List.of("a note"));

        // Then
        List<String> lines = text.toString().lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("summary produce_100b_acks1_p1_rps_kafka=100000 produce_100b_acks1_p1_rps_brook=150000"
                        + " produce_100b_acks1_p1_rps_ratio=1.500 produce_100b_acks1_p1_p99_ms_kafka=0.00"
                        + " produce_100b_acks1_p1_p99_ms_brook=3.00 produce_100b_acks1_p1_p99_ms_ratio=n/a"
                        + " rss_idle_mib_kafka=400.0 rss_idle_mib_brook=n/a rss_idle_mib_ratio=n/a");
        assertThat(lines)
                .contains(
                        "figure                        unit    Kafka   Brook  Brook/Kafka  better",
                        "produce_100b_acks1_p1_rps     rec/s  100000  150000        1.500  higher",
                        "rss_idle_mib                  MiB     400.0     n/a          n/a  lower",
                        "  brook rss: could not read /proc/PID/status",
                        "  - a note");
    }

    @Test
    void anchorNamesTheColumnsAndSummaryAndUnmeasuredFiguresSaySo() {
        // Given
        SystemResult spark = new SystemResult("spark");
        spark.put("latency_batch_p50_ms", 261);
        SystemResult brook = new SystemResult("brook");
        brook.put("latency_batch_p50_ms", 6);
        List<Figure> figures = List.of(
                new Figure("latency_batch_p50_ms", Unit.MILLISECONDS),
                Figure.notYetMeasured("kafka_json_etl_rps", Unit.RECORDS_PER_SECOND));
        StringWriter text = new StringWriter();

        // When
        Report.print(
                new PrintWriter(text), List.of("header"), figures, spark, brook, List.of("  detail line"), List.of());

        // Then
        List<String> lines = text.toString().lines().toList();
        assertThat(lines)
                .containsSubsequence(
                        "figure                unit              Spark             Brook  Brook/Spark  better",
                        "latency_batch_p50_ms  ms               261.00              6.00        0.023  lower",
                        "kafka_json_etl_rps    rec/s  not yet measured  not yet measured          n/a  higher",
                        "",
                        "  detail line");
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("summary latency_batch_p50_ms_spark=261.00 latency_batch_p50_ms_brook=6.00"
                        + " latency_batch_p50_ms_ratio=0.023 kafka_json_etl_rps_spark=n/a kafka_json_etl_rps_brook=n/a"
                        + " kafka_json_etl_rps_ratio=n/a");
    }

    @Test
    void rabbitmqIsTitledAsItsMakersWriteIt() {
        assertThat(Report.label("rabbitmq")).isEqualTo("RabbitMQ");
        assertThat(Report.label("kafka")).isEqualTo("Kafka");
    }
}
