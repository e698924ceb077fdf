package io.brook.sql;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.Row;
import io.brook.engine.api.Tables;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The current result of a SELECT over a stream, kept for a shell to redraw (see {@link
 * SqlSession#liveSelectToMemory}): the last {@code maxRows} rows of an appending query, or the first {@code maxRows}
 * rows of the whole table of an aggregation in complete mode, where each micro-batch replaces the table. Memory stays
 * bounded however long the query runs. Thread-safe: the query's thread adds batches, readers take a {@link #snapshot}.
 */
public final class LiveResult {
    private final List<String> columns;
    private final boolean complete;
    private final int maxRows;
    private final ArrayDeque<Row> rows = new ArrayDeque<>();
    private long batchId = -1;
    private long totalRows;

    /** What the result holds at one moment; {@code batchId} is -1 before the first micro-batch. */
    public record Snapshot(List<String> columns, List<Row> rows, long batchId, long totalRows, boolean complete) {
        public Snapshot {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }

        /** The rows as a table, with a line that says which batch it shows and how many rows are not shown. */
        public String render() {
            if (batchId < 0) {
                return "(waiting for the first micro-batch)\n";
            }
            String table = Tables.format(columns.toArray(new String[0]), rows);
            String shown;
            if (complete) {
                shown = totalRows > rows.size()
                        ? String.format(Locale.ROOT, "%,d rows, the first %d shown", totalRows, rows.size())
                        : rows(totalRows);
            } else {
                shown = totalRows > rows.size()
                        ? String.format(Locale.ROOT, "%,d rows so far, the last %d shown", totalRows, rows.size())
                        : rows(totalRows) + " so far";
            }
            return table + "batch " + batchId + ": " + shown + "\n";
        }

        private static String rows(long count) {
            return count == 1 ? "1 row" : String.format(Locale.ROOT, "%,d rows", count);
        }
    }

    LiveResult(List<String> columns, boolean complete, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be >= 1, was " + maxRows);
        }
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
        this.complete = complete;
        this.maxRows = maxRows;
    }

    /** Adds one micro-batch's output; a batch id seen already (a batch run again after a restart) is ignored. */
    synchronized void add(long batchId, List<Row> batch) {
        if (batchId <= this.batchId) {
            return;
        }
        this.batchId = batchId;
        if (complete) {
            rows.clear();
            totalRows = 0;
        }
        totalRows += batch.size();
        if (complete) {
            rows.addAll(batch.subList(0, Math.min(maxRows, batch.size())));
            return;
        }
        for (Row row : batch.subList(Math.max(0, batch.size() - maxRows), batch.size())) {
            if (rows.size() == maxRows) {
                rows.removeFirst();
            }
            rows.addLast(row);
        }
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(columns, new ArrayList<>(rows), batchId, totalRows, complete);
    }
}
