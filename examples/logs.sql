-- Example 5, log parsing: web-server access logs (text files, one request a line, in the Apache combined
-- format) parsed with regular expressions into structured JSON; lines that do not parse go to their own
-- files, so nothing is lost silently. New files in the directory are picked up as they arrive.
--
--   ./brook run examples/logs.sql                 (reads examples/data/logs; writes under /tmp/brook-examples)
--   ./brook run --var LOGS=/var/log/nginx --var OUT=/tmp/parsed examples/logs.sql

SET 'checkpoint.dir' = '${OUT:-/tmp/brook-examples/logs}/checkpoints';

CREATE SOURCE log_lines WITH (
    connector = 'files',
    format = 'text',
    path = '${LOGS:-examples/data/logs}'
);

CREATE VIEW requests AS
SELECT
    regexp_extract(`value`, '^(\S+) \S+ (\S+) \[([^\]]+)\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+|-)', 1) AS client,
    regexp_extract(`value`, '^(\S+) \S+ (\S+) \[([^\]]+)\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+|-)', 2) AS user_name,
    to_timestamp(regexp_extract(`value`, '\[([^\]]+)\]', 1), 'dd/MMM/yyyy:HH:mm:ss Z') AS ts,
    regexp_extract(`value`, '"(\S+) (\S+) (\S+)"', 1) AS http_method,
    regexp_extract(`value`, '"(\S+) (\S+) (\S+)"', 2) AS request_path,
    CAST(regexp_extract(`value`, '" (\d{3}) ', 1) AS INT) AS status,
    CAST(NULLIF(regexp_extract(`value`, '" \d{3} (\d+|-)', 1), '-') AS BIGINT) AS bytes,
    `value` AS line
FROM log_lines;

CREATE SINK parsed WITH (
    connector = 'files',
    format = 'json',
    path = '${OUT:-/tmp/brook-examples/logs}/requests'
);

CREATE SINK unparsed WITH (
    connector = 'files',
    format = 'text',
    path = '${OUT:-/tmp/brook-examples/logs}/unparsed'
);

INSERT INTO parsed
SELECT client, NULLIF(user_name, '-') AS user_name, ts, http_method, request_path, status, bytes,
       status >= 500 AS server_error
FROM requests
WHERE client <> '';

INSERT INTO unparsed
SELECT line FROM requests WHERE client = '';
