-- Nexmark q13, bounded side input join: each bid joined with a static table (a CSV file of 10,000 keys) on its
-- auction modulo 10,000, as of the bid's processing time (Flink's temporal join syntax; the file's rows do not
-- change while the query runs, so every bid sees the whole table). The side input uses Flink's legacy connector
-- option names, as the suite does; only its path differs.

CREATE TABLE side_input (
    key BIGINT,
    `value` VARCHAR
) WITH (
    'connector.type' = 'filesystem',
    'connector.path' = '${NEXMARK_SIDE_INPUT:-examples/data/nexmark-side-input.csv}',
    'format.type' = 'csv'
);

CREATE TABLE nexmark_q13 (
    auction BIGINT,
    bidder BIGINT,
    price BIGINT,
    dateTime TIMESTAMP(3),
    `value` VARCHAR
) WITH (
    'connector' = 'blackhole'
);

INSERT INTO nexmark_q13
SELECT
    B.auction,
    B.bidder,
    B.price,
    B.dateTime,
    S.`value`
FROM (SELECT *, PROCTIME() as p_time FROM bid) B
JOIN side_input FOR SYSTEM_TIME AS OF B.p_time AS S
ON mod(B.auction, 10000) = S.key;
