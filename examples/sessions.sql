-- Example 3, sessionization: user activity (JSON) from a Kafka topic, grouped into sessions that end after
-- 30 minutes without activity; each session, once closed by the watermark, is written as a JSON line.
--
--   ./brook run examples/sessions.sql             (against a broker on 127.0.0.1:9092 with an 'activity' topic)
--
-- An action: {"user_id": "u7", "action": "view", "ts": "2026-12-01T10:03:00Z"}

SET 'checkpoint.dir' = '${OUT:-/tmp/brook-examples/sessions}/checkpoints';

CREATE SOURCE activity (
    user_id STRING,
    action STRING,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE
) WITH (
    connector = 'kafka',
    topic = '${TOPIC:-activity}',
    bootstrap.servers = '${BOOTSTRAP:-127.0.0.1:9092}',
    format = 'json',
    startingOffsets = 'earliest'
);

CREATE SINK user_sessions WITH (
    connector = 'files',
    format = 'json',
    path = '${OUT:-/tmp/brook-examples/sessions}/sessions'
);

INSERT INTO user_sessions
SELECT
    user_id,
    window_start AS session_start,
    window_end AS session_end,
    count(*) AS actions,
    count(DISTINCT action) AS kinds_of_action,
    sum(CASE WHEN action = 'buy' THEN 1 ELSE 0 END) AS purchases
FROM TABLE(SESSION(TABLE activity PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '30' MINUTE))
GROUP BY user_id, window_start, window_end;
