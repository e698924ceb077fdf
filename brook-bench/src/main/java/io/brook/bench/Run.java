package io.brook.bench;

import static java.util.Objects.requireNonNull;

import io.brook.bench.Figure.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * One timed run of a Kafka tool against a broker. Its {@link #name()} prefixes its figures' keys and names its topic.
 */
sealed interface Run permits Run.Produce, Run.Consume, Run.EndToEnd {
    String name();

    /** The figures the run yields, in report order; the tool's output is parsed into exactly these. */
    List<Figure> figures();

    default String topic() {
        return "bench-" + name().replace('_', '-');
    }

    /** Suffixes of the latency figures every run reports. */
    List<String> LATENCY_SUFFIXES = List.of("avg_ms", "p50_ms", "p99_ms", "p999_ms");

    /** ProducerPerformance: {@code throughput} records/s, or -1 for as fast as the broker takes them. */
    record Produce(String name, int recordSize, String acks, int partitions, long records, int throughput)
            implements Run {
        public Produce {
            requireNonNull(name, "name is null");
            requireNonNull(acks, "acks is null");
        }

        @Override
        public List<Figure> figures() {
            List<Figure> figures = new ArrayList<>();
            figures.add(new Figure(name + "_rps", Unit.RECORDS_PER_SECOND));
            figures.add(new Figure(name + "_mbps", Unit.MEGABYTES_PER_SECOND));
            for (String suffix : LATENCY_SUFFIXES) {
                figures.add(new Figure(name + "_" + suffix, Unit.MILLISECONDS));
            }
            return List.copyOf(figures);
        }
    }

    /** ConsumerPerformance over the records that {@code source} wrote; it needs a consumer group. */
    record Consume(String name, Produce source) implements Run {
        public Consume {
            requireNonNull(name, "name is null");
            requireNonNull(source, "source is null");
        }

        @Override
        public String topic() {
            return source.topic();
        }

        @Override
        public List<Figure> figures() {
            return List.of(
                    new Figure(name + "_rps", Unit.RECORDS_PER_SECOND),
                    new Figure(name + "_mbps", Unit.MEGABYTES_PER_SECOND),
                    new Figure(name + "_join_ms", Unit.MILLISECONDS));
        }
    }

    /** EndToEndLatency: each record is sent, acknowledged and fetched before the next one is sent. */
    record EndToEnd(String name, String acks, int recordSize, int records) implements Run {
        public EndToEnd {
            requireNonNull(name, "name is null");
            requireNonNull(acks, "acks is null");
        }

        @Override
        public List<Figure> figures() {
            return LATENCY_SUFFIXES.stream()
                    .map(suffix -> new Figure(name + "_" + suffix, Unit.MILLISECONDS))
                    .toList();
        }
    }
}
