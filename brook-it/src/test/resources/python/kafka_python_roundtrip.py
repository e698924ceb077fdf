"""Run by KafkaPythonIT with Debian's kafka-python: metadata, produce (none and gzip), group-less consume, group consume.

Arguments: bootstrap servers, an existing topic with 2 partitions, number of records. Prints one line per step.
"""
import signal
import sys
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def main():
    bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    base = int(time.time() * 1000) - 60_000

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                             auto_offset_reset='earliest', session_timeout_ms=6000, request_timeout_ms=10000)
    print('api_version %s' % (consumer.config['api_version'],), flush=True)
    print('topic %s listed: %s, partitions %s'
          % (topic, topic in consumer.topics(), sorted(consumer.partitions_for_topic(topic))), flush=True)

    acknowledged = 0
    failures = []
    half = count // 2
    for codec, sequences in ((None, range(0, half)), ('gzip', range(half, count))):
        producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', compression_type=codec, linger_ms=5,
                                 request_timeout_ms=10000)
        futures = [producer.send(topic, key=b'key-%d' % i, value=b'value-%d' % i, partition=i % 2,
                                 headers=[('n', b'%d' % i)], timestamp_ms=base + i) for i in sequences]
        producer.flush(30)
        for future in futures:
            try:
                future.get(timeout=1)
                acknowledged += 1
            except Exception as error:  # noqa: BLE001 - reported, the test fails on it
                failures.append(repr(error))
        producer.close(10)
    print('acknowledged %d of %d%s' % (acknowledged, count, ', first failure ' + failures[0] if failures else ''),
          flush=True)

    partitions = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    records = []
    deadline = time.time() + 30
    timed_out = ''

    def give_up(signum, frame):
        raise TimeoutError()

    # kafka-python's poll() waits without limit for the offset lookup behind seek_to_beginning().
    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(40)
    try:
        while len(records) < count and time.time() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
    except TimeoutError:
        timed_out = ', poll() still blocked after 40 s'
    signal.alarm(0)
    consumer.close(autocommit=False)
    expected_next = {0: 0, 1: 1}
    wrong = 0
    for record in records:
        i = expected_next[record.partition]
        expected_next[record.partition] += 2
        if (record.offset, record.key, record.value, record.headers, record.timestamp) != (
                i // 2, b'key-%d' % i, b'value-%d' % i, [('n', b'%d' % i)], base + i):
            wrong += 1
    print('consumed %d, wrong %d%s' % (len(records), wrong, timed_out), flush=True)

    # A group member: subscribes, gets both partitions from the coordinator, commits what it read.
    member = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id='kafka-python-group',
                           enable_auto_commit=False, auto_offset_reset='earliest', session_timeout_ms=6000,
                           request_timeout_ms=10000)
    values = set()
    deadline = time.time() + 30
    while len(values) < count and time.time() < deadline:
        for batch in member.poll(timeout_ms=200).values():
            values.update(record.value for record in batch)
    member.commit()
    committed = sum(member.committed(partition) or 0 for partition in partitions)
    member.close(autocommit=False)
    print('group read %d distinct, committed %d' % (len(values), committed), flush=True)


if __name__ == '__main__':
    main()
