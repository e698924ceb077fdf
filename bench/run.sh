#!/usr/bin/env bash
# Benchmarks against the real anchors. Not tests: each prints a table and, as its last line, "summary key=value ...".
#
#   bench/run.sh broker    Brook vs Apache Kafka 4.3.1 (one KRaft node) with Kafka's own perf tools (~5 min)
#   bench/run.sh engine    Brook's engine vs Apache Spark 4.2.0 Structured Streaming, local[2] (~12 min)
#   bench/run.sh nexmark   the Nexmark queries (examples/nexmark) on Spark 4.2.0 and on Brook over one Kafka topic
#   bench/run.sh push      Brook's push subscriptions (webhook) vs RabbitMQ (Debian's rabbitmq-server, PerfTest) (~3 min)
#
# Environment (broker): QUICK=1 runs 10x fewer records (a smoke run of ~1 min);
#   BENCH_RECORDS_100B (2000000), BENCH_RECORDS_1KIB (600000), BENCH_RATE (50000), BENCH_RATE_RECORDS (1000000),
#   BENCH_LATENCY_RECORDS (10000), BENCH_SETTLE_SECONDS (5), BENCH_RUN_TIMEOUT_SECONDS (300 per tool run),
#   BENCH_START_TIMEOUT_SECONDS (120), BENCH_TIMEOUT_SECONDS (1800 for everything), BENCH_SYSTEMS (kafka,brook),
#   BENCH_BROOK_JAVA_OPTS (e.g. -Xmx1g), BENCH_BROOK_ARGS (e.g. --set brook.flush.policy=none),
#   BENCH_BROOK_CDS=off (no class-data-sharing archive), BENCH_KEEP=1 (keep the work directory under /tmp),
#   BENCH_BUILD=0 (use the builds as they are).
# Environment (engine): QUICK=1 runs shorter steps, a shorter ladder and a 10 s latency run (~4 min);
#   BENCH_ENGINE_RATES (50000,100000,200000,400000,800000,1200000,1600000,2400000,...,12800000,16000000,...,76800000),
#   BENCH_ENGINE_STEP_SECONDS (15), BENCH_ENGINE_WARMUP_SECONDS (5), BENCH_ENGINE_INTERVAL_MS (1000),
#   BENCH_ENGINE_LATENCY_RATE (1000), BENCH_ENGINE_LATENCY_SECONDS (30), BENCH_ENGINE_HEAP (2g, both engines),
#   BENCH_ENGINE_WORKLOADS (startup,latency,throughput,etl), BENCH_ENGINE_ETL_EVENTS (2000000; QUICK=1 500000),
#   BENCH_ENGINE_ETL_MAX_OFFSETS (500000, the ETL query's maxOffsetsPerTrigger),
#   BENCH_RUN_TIMEOUT_SECONDS (600 per engine run), BENCH_TIMEOUT_SECONDS (2400), BENCH_SYSTEMS (spark,brook),
#   BENCH_BROOK_JAVA_OPTS (added to Brook's runner JVMs, e.g. -XX:StartFlightRecording=filename=/tmp/brook.jfr),
#   BENCH_KEEP=1, BENCH_BUILD=0.
# Environment (nexmark): QUICK=1 runs 200000 events, micro-batches of 50000 and a 120 s timeout (~4 min);
#   BENCH_NEXMARK_EVENTS (1000000, the events in the topic; ~15 min on 2 cores),
#   BENCH_NEXMARK_MAX_OFFSETS (500000, maxOffsetsPerTrigger),
#   BENCH_NEXMARK_QUERIES (q0,q1,q2,q3,q4,q5,q7,q8), BENCH_RUN_TIMEOUT_SECONDS (300 per query and engine),
#   BENCH_TIMEOUT_SECONDS (3600 for everything), BENCH_SYSTEMS (spark,brook), BENCH_ENGINE_HEAP (2g),
#   BENCH_BROOK_JAVA_OPTS, BENCH_KEEP=1, BENCH_BUILD=0. It builds with `package` only (never `install`): Brook's
#   modules come from this tree's target directories.
# Environment (push): QUICK=1 runs 10x fewer records and a 10 s latency run (~1 min);
#   BENCH_PUSH_RECORDS (200000, the throughput run), BENCH_PUSH_WARMUP_RECORDS (20000, before each run),
#   BENCH_PUSH_RATE (1000 records/s) and BENCH_PUSH_LATENCY_SECONDS (20) for the latency run, BENCH_PUSH_RECORD_SIZE
#   (100 bytes), BENCH_PUSH_BATCH_RECORDS (500) and BENCH_PUSH_BATCH_WAIT_MS (0) for Brook's subscription,
#   BENCH_PUSH_PARTITIONS (1), BENCH_SYSTEMS (rabbitmq,brook), BENCH_RUN_TIMEOUT_SECONDS (300 per run),
#   BENCH_START_TIMEOUT_SECONDS (120), BENCH_TIMEOUT_SECONDS (1800), BENCH_BROOK_JAVA_OPTS, BENCH_BROOK_ARGS,
#   BENCH_BROOK_CDS=off, BENCH_KEEP=1, BENCH_BUILD=0. It installs rabbitmq-server with apt-get when it is missing and
#   starts a private node of it (own ports, epmd and files under the work directory, as the current user); it builds
#   with `package` only, PerfTest's jars come from Maven Central.
# It builds what it needs first (brook-bench, Kafka's or Spark's jars from Maven Central, Brook when missing or older
# than its sources), every Maven call under the shared lock /tmp/brook-mvn.lock.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

usage() {
    sed -n '2,42p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

# Maven output goes to stderr: stdout carries only the report.
mvn() {
    (cd "$root" && flock /tmp/brook-mvn.lock ./mvnw -q -B "$@" < /dev/null) >&2
}

# True when $1 is missing or anything under the other paths is newer than it.
stale() {
    local stamp="$1"
    shift
    [[ -e "$stamp" ]] || return 0
    [[ -n "$(find "$@" -newer "$stamp" -print -quit 2> /dev/null)" ]]
}

first_jar() {
    local jar
    for jar in "$1"/"$2"-*.jar; do
        case "$jar" in
            *-sources.jar | *-javadoc.jar | *-tests.jar) ;;
            *) [[ -f "$jar" ]] && echo "$jar" && return ;;
        esac
    done
}

build_broker_benchmark() {
    local bench="$root/brook-bench/target" cli="$root/brook-cli/target"
    if stale "$(first_jar "$bench" brook-bench)" "$root/pom.xml" "$root/brook-bench/pom.xml" \
        "$root/brook-bench/src/main"; then
        echo "Building brook-bench (and brook-engine, which it depends on)..." >&2
        mvn -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true install -pl brook-bench -am
    fi
    if stale "$bench/kafka-lib/.copied" "$root/brook-bench/kafka"; then
        echo "Copying Apache Kafka's jars from Maven Central into brook-bench/target..." >&2
        rm -rf "$bench/kafka-lib" "$bench/kafka-tools-lib"
        mvn -f brook-bench/kafka/pom.xml dependency:copy-dependencies
        touch "$bench/kafka-lib/.copied"
    fi
    # Brook: the sources ./brook watches (every module but brook-it and brook-bench).
    local sources=("$root/pom.xml" "$root/.mvn") module
    for module in "$root"/brook-*/; do
        case "$(basename "$module")" in
            brook-it | brook-bench) continue ;;
        esac
        sources+=("${module}pom.xml")
        [[ -d "${module}src/main" ]] && sources+=("${module}src/main")
    done
    if stale "$(first_jar "$cli" brook-cli)" "${sources[@]}"; then
        echo "Building Brook (brook-cli and the modules it needs)..." >&2
        if ! mvn -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true install -pl brook-cli -am; then
            if [[ -n "$(first_jar "$cli" brook-cli)" ]]; then
                echo "Warning: the Brook build failed; benchmarking the previous build in brook-cli/target." >&2
            else
                echo "Warning: the Brook build failed; Brook's figures will be n/a." >&2
            fi
            return
        fi
    fi
    # ./brook keeps a class-data-sharing archive beside the build and retrains it after each build; Brook is measured
    # as ./brook runs it. The build is fresh here, so ./brook builds nothing.
    if [[ "${BENCH_BROOK_CDS:-on}" != off ]]; then
        "$root/brook" version > /dev/null 2>&1 || echo "Warning: ./brook version failed; Brook may start without its archive." >&2
    fi
}

# The engine benchmark: brook-bench (with brook-engine, the Brook side) and the Spark side from spark/pom.xml.
build_engine_benchmark() {
    local bench="$root/brook-bench/target"
    if stale "$(first_jar "$bench" brook-bench)" "$root/pom.xml" "$root/brook-bench/pom.xml" \
        "$root/brook-bench/src/main" "$root/brook-engine/pom.xml" "$root/brook-engine/src/main" \
        "$root/brook-broker/pom.xml" "$root/brook-broker/src/main" "$root/brook-log/pom.xml" \
        "$root/brook-log/src/main"; then
        echo "Building brook-engine, brook-broker and brook-bench..." >&2
        mvn -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true install -pl brook-bench -am
    fi
    if stale "$bench/spark-lib/.copied" "$root/brook-bench/spark/pom.xml" "$root/brook-bench/spark/src"; then
        echo "Building the Spark side; Apache Spark's jars come from Maven Central into brook-bench/target..." >&2
        rm -rf "$bench/spark-lib" "$bench/spark-runner"
        mvn -f brook-bench/spark/pom.xml package
        touch "$bench/spark-lib/.copied"
    fi
}

# The Nexmark benchmark: brook-bench with brook-sql, brook-engine and brook-broker, built in this tree's reactor with
# `package` (nothing goes to the shared local repository; target/lib gets this tree's jars), and the Spark side.
build_nexmark_benchmark() {
    local bench="$root/brook-bench/target" sources=("$root/pom.xml" "$root/brook-bench/pom.xml" "$root/brook-bench/src/main")
    local module
    for module in brook-log brook-broker brook-engine brook-sql; do
        sources+=("$root/$module/pom.xml" "$root/$module/src/main")
    done
    if stale "$(first_jar "$bench" brook-bench)" "${sources[@]}"; then
        echo "Building brook-log, brook-broker, brook-engine, brook-sql and brook-bench (package)..." >&2
        mvn -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true package -pl brook-bench -am
    fi
    if stale "$bench/spark-lib/.copied" "$root/brook-bench/spark/pom.xml" "$root/brook-bench/spark/src"; then
        echo "Building the Spark side; Apache Spark's jars come from Maven Central into brook-bench/target..." >&2
        rm -rf "$bench/spark-lib" "$bench/spark-runner"
        mvn -f brook-bench/spark/pom.xml package
        touch "$bench/spark-lib/.copied"
    fi
}

# The push benchmark: brook-bench and Brook (brook-cli), built in this tree's reactor with `package` (nothing goes to
# the shared local repository), and RabbitMQ's PerfTest from rabbitmq/pom.xml.
build_push_benchmark() {
    local bench="$root/brook-bench/target" cli="$root/brook-cli/target"
    local sources=("$root/pom.xml" "$root/.mvn") module
    for module in "$root"/brook-*/; do
        case "$(basename "$module")" in
            brook-it) continue ;;
        esac
        sources+=("${module}pom.xml")
        [[ -d "${module}src/main" ]] && sources+=("${module}src/main")
    done
    if [[ -z "$(first_jar "$bench" brook-bench)" || -z "$(first_jar "$cli" brook-cli)" ]] \
        || stale "$bench/.push-built" "${sources[@]}"; then
        echo "Building Brook (brook-cli) and brook-bench (package)..." >&2
        if mvn -DskipTests -Dspotless.check.skip=true -Dcheckstyle.skip=true package -pl brook-bench,brook-cli -am; then
            touch "$bench/.push-built"
            # ./brook's own stamp: the build is fresh, so ./brook builds nothing below.
            touch "$cli/.brook-built"
        elif [[ -n "$(first_jar "$cli" brook-cli)" && -n "$(first_jar "$bench" brook-bench)" ]]; then
            echo "Warning: the build failed; benchmarking the previous builds in brook-cli/target and brook-bench/target." >&2
        else
            echo "Error: the build failed and there is no previous build" >&2
            exit 1
        fi
    fi
    if stale "$bench/rabbitmq-lib/.copied" "$root/brook-bench/rabbitmq"; then
        echo "Copying RabbitMQ's PerfTest and its jars from Maven Central into brook-bench/target..." >&2
        rm -rf "$bench/rabbitmq-lib"
        mvn -f brook-bench/rabbitmq/pom.xml dependency:copy-dependencies
        touch "$bench/rabbitmq-lib/.copied"
    fi
    if [[ "${BENCH_BROOK_CDS:-on}" != off ]]; then
        "$root/brook" version > /dev/null 2>&1 || echo "Warning: ./brook version failed; Brook may start without its archive." >&2
    fi
}

# Debian's rabbitmq-server, installed when missing (with sudo unless root), as .ci/run installs its packages.
ensure_rabbitmq() {
    case ",$(tr 'A-Z ' 'a-z,' <<< "${BENCH_SYSTEMS:-rabbitmq,brook}")," in
        *,rabbitmq,*) ;;
        *) return 0 ;;
    esac
    [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] && return 0
    if ! command -v apt-get > /dev/null; then
        echo "Warning: rabbitmq-server is not installed and there is no apt-get; RabbitMQ's figures will be n/a." >&2
        return 0
    fi
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        sudo=(sudo)
    fi
    echo "Installing rabbitmq-server (Debian's package)..." >&2
    "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rabbitmq-server >&2
}

work=""
bench_pid=""
# A fresh work directory in $work, removed (with every process a benchmark left) when the script exits or is stopped.
make_work_dir() {
    work="$(mktemp -d /tmp/brook-bench.XXXXXX)"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    local pid tries
    if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2> /dev/null; then
        kill -TERM "$bench_pid" 2> /dev/null || true # its shutdown hook stops the brokers
        for ((tries = 0; tries < 300; tries++)); do
            kill -0 "$bench_pid" 2> /dev/null || break
            sleep 0.1
        done
    fi
    if [[ -n "$work" && -f "$work/pids" ]]; then
        # Only processes this run started: their command lines name the work directory.
        while read -r pid; do
            if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF "$work"; then
                kill -TERM "$pid" 2> /dev/null || true
                for ((tries = 0; tries < 100; tries++)); do
                    kill -0 "$pid" 2> /dev/null || break
                    sleep 0.1
                done
                kill -KILL "$pid" 2> /dev/null || true
            fi
        done < "$work/pids"
    fi
    # The push benchmark's RabbitMQ node runs an epmd of its own on a private port: nothing else registers there.
    if [[ -n "$work" && -f "$work/rabbitmq/epmd-port" ]] && command -v epmd > /dev/null; then
        epmd -port "$(cat "$work/rabbitmq/epmd-port")" -kill > /dev/null 2>&1 || true
    fi
    if [[ -n "$work" && -d "$work" ]]; then
        if [[ "${BENCH_KEEP:-}" == 1 ]]; then
            echo "Kept the work directory $work" >&2
        else
            rm -rf "$work"
        fi
    fi
}

run_broker_benchmark() {
    if [[ "${BENCH_BUILD:-1}" != 0 ]]; then
        build_broker_benchmark
    fi
    local bench="$root/brook-bench/target" jar status=0
    jar="$(first_jar "$bench" brook-bench)"
    if [[ -z "$jar" ]]; then
        echo "No brook-bench build in $bench" >&2
        exit 1
    fi
    make_work_dir
    timeout --kill-after=30 "${BENCH_TIMEOUT_SECONDS:-1800}" \
        "$java" -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error -Dorg.slf4j.simpleLogger.logFile=System.err \
        -cp "$jar:$bench/lib/*" io.brook.bench.BrokerBenchmark \
        --work-dir "$work" --kafka-lib "$bench/kafka-lib" --kafka-tools-lib "$bench/kafka-tools-lib" \
        --brook-home "$root/brook-cli/target" < /dev/null &
    bench_pid=$!
    wait "$bench_pid" || status=$?
    bench_pid=""
    exit "$status"
}

run_engine_benchmark() {
    if [[ "${BENCH_BUILD:-1}" != 0 ]]; then
        build_engine_benchmark
    fi
    local bench="$root/brook-bench/target" jar status=0
    jar="$(first_jar "$bench" brook-bench)"
    if [[ -z "$jar" || ! -d "$bench/spark-lib" || ! -d "$bench/spark-runner" ]]; then
        echo "No brook-bench or Spark build in $bench" >&2
        exit 1
    fi
    make_work_dir
    # Brook's runner uses this JVM's classpath: brook-bench and its runtime jars. This tree's own brook-engine build
    # comes first: target/lib holds the brook-engine that Maven resolved when brook-bench was packaged, which may be
    # another tree's install in the shared local repository.
    local engine revision
    engine="$(first_jar "$root/brook-engine/target" brook-engine)"
    if [[ -z "$engine" ]]; then
        echo "No brook-engine build in $root/brook-engine/target" >&2
        exit 1
    fi
    revision="$(git -C "$root" describe --always --dirty 2> /dev/null || echo unknown)"
    timeout --kill-after=30 "${BENCH_TIMEOUT_SECONDS:-2400}" \
        "$java" -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.logFile=System.err \
        -Dbrook.bench.revision="$revision" -Dbrook.bench.engine="$engine" \
        -cp "$jar:$engine:$bench/lib/*" io.brook.bench.EngineBenchmark \
        --work-dir "$work" --spark-lib "$bench/spark-lib" --spark-runner "$bench/spark-runner" < /dev/null &
    bench_pid=$!
    wait "$bench_pid" || status=$?
    bench_pid=""
    exit "$status"
}

run_nexmark_benchmark() {
    if [[ "${BENCH_BUILD:-1}" != 0 ]]; then
        build_nexmark_benchmark
    fi
    local bench="$root/brook-bench/target" jar status=0 revision
    jar="$(first_jar "$bench" brook-bench)"
    if [[ -z "$jar" || ! -d "$bench/spark-lib" || ! -d "$bench/spark-runner" ]]; then
        echo "No brook-bench or Spark build in $bench" >&2
        exit 1
    fi
    make_work_dir
    # This tree's own module jars first (target/lib holds them too when built by build_nexmark_benchmark).
    local own=() module built
    for module in brook-log brook-broker brook-engine brook-sql; do
        built="$(first_jar "$root/$module/target" "$module")"
        [[ -n "$built" ]] && own+=("$built")
    done
    local classpath="$jar"
    for built in "${own[@]}"; do
        classpath+=":$built"
    done
    revision="$(git -C "$root" describe --always --dirty 2> /dev/null || echo unknown)"
    timeout --kill-after=30 "${BENCH_TIMEOUT_SECONDS:-3600}" \
        "$java" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.logFile=System.err \
        -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -Dbrook.bench.revision="$revision" \
        -cp "$classpath:$bench/lib/*" io.brook.bench.NexmarkBenchmark \
        --work-dir "$work" --spark-lib "$bench/spark-lib" --spark-runner "$bench/spark-runner" \
        --queries-dir "$root/examples/nexmark" < /dev/null &
    bench_pid=$!
    wait "$bench_pid" || status=$?
    bench_pid=""
    exit "$status"
}

run_push_benchmark() {
    ensure_rabbitmq
    if [[ "${BENCH_BUILD:-1}" != 0 ]]; then
        build_push_benchmark
    fi
    local bench="$root/brook-bench/target" jar status=0
    jar="$(first_jar "$bench" brook-bench)"
    if [[ -z "$jar" || ! -d "$bench/rabbitmq-lib" ]]; then
        echo "No brook-bench or PerfTest build in $bench" >&2
        exit 1
    fi
    make_work_dir
    timeout --kill-after=30 "${BENCH_TIMEOUT_SECONDS:-1800}" \
        "$java" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.logFile=System.err \
        -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
        -cp "$jar:$bench/lib/*" io.brook.bench.PushBenchmark \
        --work-dir "$work" --brook-home "$root/brook-cli/target" --rabbitmq-lib "$bench/rabbitmq-lib" < /dev/null &
    bench_pid=$!
    wait "$bench_pid" || status=$?
    bench_pid=""
    exit "$status"
}

case "${1:-}" in
    broker) run_broker_benchmark ;;
    push) run_push_benchmark ;;
    engine) run_engine_benchmark ;;
    nexmark) run_nexmark_benchmark ;;
    -h | --help | help)
        usage
        exit 0
        ;;
    *)
        usage
        echo >&2
        echo "Error: name a benchmark: bench/run.sh broker|engine|nexmark|push" >&2
        exit 2
        ;;
esac
