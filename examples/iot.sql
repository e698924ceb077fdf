-- Example 2, IoT sensors: readings (JSON) from a Kafka topic; per device, the average temperature and
-- humidity over the last minute, every 10 seconds (sliding windows), and an alert for every reading above
-- a threshold. Readings that arrive more than 30 seconds after newer ones are late: the watermark drops
-- them from the windows (the progress report counts them), while alerts still pass them on.
--
--   ./brook run examples/iot.sql                  (against a broker on 127.0.0.1:9092 with a 'sensors' topic)
--
-- A reading: {"device": "dev-3", "temperature": 81.5, "humidity": 40.2, "ts": "2026-12-01T10:00:07Z"}

SET 'checkpoint.dir' = '${OUT:-/tmp/brook-examples/iot}/checkpoints';

CREATE SOURCE readings (
    device STRING,
    temperature DOUBLE,
    humidity DOUBLE,
    ts TIMESTAMP(3),
    WATERMARK FOR ts AS ts - INTERVAL '30' SECOND
) WITH (
    connector = 'kafka',
    topic = '${TOPIC:-sensors}',
    bootstrap.servers = '${BOOTSTRAP:-127.0.0.1:9092}',
    format = 'json',
    startingOffsets = 'earliest'
);

CREATE SINK device_averages WITH (
    connector = 'kafka',
    topic = 'sensor-averages',
    bootstrap.servers = '${BOOTSTRAP:-127.0.0.1:9092}'
);

CREATE SINK alerts WITH (
    connector = 'kafka',
    topic = 'sensor-alerts',
    bootstrap.servers = '${BOOTSTRAP:-127.0.0.1:9092}'
);

INSERT INTO device_averages
SELECT
    device,
    window_start,
    window_end,
    count(*) AS readings,
    round(avg(temperature), 2) AS avg_temperature,
    round(avg(humidity), 2) AS avg_humidity
FROM TABLE(HOP(TABLE readings, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '1' MINUTE))
GROUP BY device, window_start, window_end;

INSERT INTO alerts
SELECT
    device,
    temperature,
    ts,
    CASE WHEN temperature > 90 THEN 'critical' ELSE 'high' END AS level
FROM readings
WHERE temperature > 80;
