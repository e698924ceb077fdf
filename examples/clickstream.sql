-- Example 1, clickstream: click events (JSON) from a Kafka topic are cleaned, enriched with the page's
-- section from a CSV table, and counted per page in 1-minute event-time windows; each window's result goes
-- to a Kafka topic and to Parquet files.
--
--   ./brook demo                                  (a broker, a click generator and this script, all in one)
--   ./brook run examples/clickstream.sql          (against a broker on 127.0.0.1:9092 with a 'clicks' topic)
--   ./brook run --var BOOTSTRAP=host:port --var OUT=/tmp/out examples/clickstream.sql
--
-- A click: {"user_id": "user-11", "page": "/Docs ", "latency_ms": 42, "ts": "2026-12-01T10:00:03.250Z"}

SET 'checkpoint.dir' = '${OUT:-/tmp/brook-examples/clickstream}/checkpoints';

CREATE SOURCE clicks (
    user_id STRING,
    page STRING,
    latency_ms INT,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
    connector = 'kafka',
    topic = '${TOPIC:-clicks}',
    bootstrap.servers = '${BOOTSTRAP:-127.0.0.1:9092}',
    format = 'json',
    startingOffsets = 'earliest'
);

-- A bounded lookup table, read again at every micro-batch (edit the file and new batches see it).
CREATE TABLE pages (
    page STRING,
    section STRING,
    title STRING
) WITH (
    connector = 'files',
    format = 'csv',
    path = '${PAGES:-examples/data/pages.csv}',
    header = 'true'
);

-- Clean (no anonymous clicks, no negative latencies, pages trimmed and lower-cased) and enrich.
CREATE VIEW page_views AS
SELECT c.user_id, p.page, p.section, c.latency_ms, c.ts
FROM clicks AS c
JOIN pages AS p ON lower(trim(c.page)) = p.page
WHERE c.user_id IS NOT NULL AND c.latency_ms >= 0;

CREATE VIEW page_stats AS
SELECT
    page,
    section,
    window_start,
    window_end,
    count(*) AS views,
    count(DISTINCT user_id) AS users,
    avg(latency_ms) AS avg_latency_ms
FROM TABLE(TUMBLE(TABLE page_views, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY page, section, window_start, window_end;

CREATE SINK page_stats_topic WITH (
    connector = 'kafka',
    topic = 'page-stats',
    bootstrap.servers = '${BOOTSTRAP:-127.0.0.1:9092}'
);

CREATE SINK page_stats_files WITH (
    connector = 'files',
    format = 'parquet',
    path = '${OUT:-/tmp/brook-examples/clickstream}/page-stats'
);

INSERT INTO page_stats_topic SELECT * FROM page_stats;
INSERT INTO page_stats_files SELECT * FROM page_stats;
