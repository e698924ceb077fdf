package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.brook.push.PushMetrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The push subscriptions' figures in {@code /metrics}, labelled by {@code subscription} and read at every scrape:
 * {@code brook_push_delivered_records}, {@code brook_push_retries}, {@code brook_push_dead_lettered_records} (counts
 * since the server started), {@code brook_push_in_flight_batches} and {@code brook_push_lag_records} (-1 when the
 * broker could not be asked). Gauges rather than counters, as a subscription deleted and made again starts from zero.
 */
final class PushMetricsExporter {
    private final PushMetrics push;
    private final List<Figure> figures = new ArrayList<>();

    private record Figure(MultiGauge gauge, ToDoubleFunction<PushMetrics.Subscription> value) {}

    private PushMetricsExporter(PushMetrics push, MetricsApi metrics) {
        this.push = requireNonNull(push, "push is null");
        figure(metrics, "brook.push.delivered.records", "Records a subscription delivered (2xx)", s -> s.delivered());
        figure(metrics, "brook.push.retries", "Deliveries a subscription tried again", s -> s.retries());
        figure(
                metrics,
                "brook.push.dead.lettered.records",
                "Records a subscription wrote to its dead-letter topic",
                s -> s.deadLettered());
        figure(metrics, "brook.push.in.flight.batches", "Batches a subscription has in flight", s -> s.inFlight());
        figure(
                metrics,
                "brook.push.lag.records",
                "Records of the topic a subscription has not delivered",
                s -> s.lag());
        metrics.onScrape(this::refresh);
    }

    /** Registers the push figures in {@code metrics}' registry, refreshed at every scrape. */
    static void register(PushMetrics push, MetricsApi metrics) {
        new PushMetricsExporter(push, metrics);
    }

    private void figure(
            MetricsApi metrics, String name, String description, ToDoubleFunction<PushMetrics.Subscription> value) {
        figures.add(new Figure(MultiGauge.builder(name).description(description).register(metrics.registry()), value));
    }

    private void refresh() {
        List<PushMetrics.Subscription> subscriptions = push.subscriptionMetrics();
        for (Figure figure : figures) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (PushMetrics.Subscription subscription : subscriptions) {
                double value = figure.value().applyAsDouble(subscription);
                rows.add(MultiGauge.Row.of(Tags.of("subscription", subscription.name()), value));
            }
            figure.gauge().register(rows, true);
        }
    }
}
