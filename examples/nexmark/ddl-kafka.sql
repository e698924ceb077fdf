-- Nexmark events read from a Kafka topic of JSON records, as the Flink Nexmark suite's ddl_kafka.sql declares
-- them: the same `nexmark` table (columns, computed dateTime, 4-second watermark) and views as ddl.sql, over
-- the kafka connector. bench/run.sh nexmark fills such a topic with Brook's generator (brook-bench's NexmarkTopic,
-- which also fills one for other engines) and runs the queries over it with this file.
--
-- Run a query with:
--   ./brook run --var NEXMARK_BOOTSTRAP=127.0.0.1:9092 examples/nexmark/ddl-kafka.sql examples/nexmark/q1.sql
-- NEXMARK_TOPIC (default nexmark) names the topic, NEXMARK_MAX_OFFSETS (default 500000) caps a micro-batch.

CREATE TABLE nexmark (
    event_type INT,
    person ROW<
        id BIGINT,
        name VARCHAR,
        emailAddress VARCHAR,
        creditCard VARCHAR,
        city VARCHAR,
        state VARCHAR,
        dateTime TIMESTAMP(3),
        extra VARCHAR>,
    auction ROW<
        id BIGINT,
        itemName VARCHAR,
        description VARCHAR,
        initialBid BIGINT,
        reserve BIGINT,
        dateTime TIMESTAMP(3),
        expires TIMESTAMP(3),
        seller BIGINT,
        category BIGINT,
        extra VARCHAR>,
    bid ROW<
        auction BIGINT,
        bidder BIGINT,
        price BIGINT,
        channel VARCHAR,
        url VARCHAR,
        dateTime TIMESTAMP(3),
        extra VARCHAR>,
    dateTime AS
        CASE
            WHEN event_type = 0 THEN person.dateTime
            WHEN event_type = 1 THEN auction.dateTime
            ELSE bid.dateTime
        END,
    WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH (
    'connector' = 'kafka',
    'topic' = '${NEXMARK_TOPIC:-nexmark}',
    'properties.bootstrap.servers' = '${NEXMARK_BOOTSTRAP}',
    'scan.startup.mode' = 'earliest-offset',
    'maxOffsetsPerTrigger' = '${NEXMARK_MAX_OFFSETS:-500000}',
    'format' = 'json'
);

CREATE VIEW person AS
SELECT
    person.id,
    person.name,
    person.emailAddress,
    person.creditCard,
    person.city,
    person.state,
    dateTime,
    person.extra
FROM nexmark WHERE event_type = 0;

CREATE VIEW auction AS
SELECT
    auction.id,
    auction.itemName,
    auction.description,
    auction.initialBid,
    auction.reserve,
    dateTime,
    auction.expires,
    auction.seller,
    auction.category,
    auction.extra
FROM nexmark WHERE event_type = 1;

CREATE VIEW bid AS
SELECT
    bid.auction,
    bid.bidder,
    bid.price,
    bid.channel,
    bid.url,
    dateTime,
    bid.extra
FROM nexmark WHERE event_type = 2;
