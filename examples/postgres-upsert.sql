-- Example 4, upserts into PostgreSQL, exactly once: orders (JSON) from a Kafka topic, totalled per customer,
-- and each micro-batch's changed totals upserted into a PostgreSQL table by its primary key. The rows and the
-- micro-batch's id are written in one transaction (the id in brook_sink_commits), so a query restarted after
-- a crash skips what the database already has: no total is counted twice.
--
--   ./brook run --var JDBC_URL=jdbc:postgresql://127.0.0.1:5432/shop --var JDBC_USER=shop \
--       --var JDBC_PASSWORD=secret examples/postgres-upsert.sql
--
-- An order: {"order_id": 17, "customer": "acme", "amount": 120.5, "ts": "2026-12-01T10:00:00Z"}

SET 'checkpoint.dir' = '${OUT:-/tmp/brook-examples/postgres-upsert}/checkpoints';

CREATE SOURCE orders (
    order_id BIGINT,
    customer STRING,
    amount DOUBLE,
    ts TIMESTAMP(3)
) WITH (
    connector = 'kafka',
    topic = '${TOPIC:-orders}',
    bootstrap.servers = '${BOOTSTRAP:-127.0.0.1:9092}',
    format = 'json',
    startingOffsets = 'earliest'
);

-- The table is created if it does not exist, with this primary key.
CREATE SINK customer_totals (
    customer STRING NOT NULL,
    orders BIGINT,
    total DOUBLE,
    last_order TIMESTAMP(3),
    PRIMARY KEY (customer) NOT ENFORCED
) WITH (
    connector = 'jdbc',
    url = '${JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}',
    dbtable = 'customer_totals',
    user = '${JDBC_USER:-postgres}',
    password = '${JDBC_PASSWORD:-postgres}'
);

INSERT INTO customer_totals
SELECT customer, count(*), sum(amount), max(ts)
FROM orders
WHERE customer IS NOT NULL
GROUP BY customer;
