"""Run by ConfluentKafkaPythonIT with Debian's confluent-kafka (librdkafka): admin create and metadata, an idempotent
producer per codec, a consumer with manual assignment (no group protocol, no commits).

Arguments: bootstrap servers, topic to create (2 partitions), records per codec. Prints one line per step.
"""
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

CODECS = ('none', 'gzip', 'snappy', 'lz4', 'zstd')


def main():
    bootstrap, topic, per_codec = sys.argv[1], sys.argv[2], int(sys.argv[3])
    count = per_codec * len(CODECS)
    base = int(time.time() * 1000) - 60_000

    admin = AdminClient({'bootstrap.servers': bootstrap})
    for name, future in admin.create_topics([NewTopic(topic, num_partitions=2, replication_factor=1)]).items():
        future.result(30)
        print('created %s' % name, flush=True)
    metadata = admin.list_topics(timeout=30)
    brokers = sorted('%d %s:%d' % (b.id, b.host, b.port) for b in metadata.brokers.values())
    print('brokers %s, controller %d, partitions %s'
          % (brokers, metadata.controller_id, sorted(metadata.topics[topic].partitions)), flush=True)

    acknowledged = []
    failures = []

    def on_delivery(error, message):
        if error is None:
            acknowledged.append(message.offset())
        else:
            failures.append(str(error))

    for index, codec in enumerate(CODECS):
        producer = Producer({'bootstrap.servers': bootstrap, 'enable.idempotence': True, 'compression.type': codec,
                             'linger.ms': 5, 'message.timeout.ms': 30000})
        for i in range(index * per_codec, (index + 1) * per_codec):
            while True:
                try:
                    producer.produce(topic, key=b'key-%d' % i, value=b'value-%d' % i, partition=i % 2,
                                     headers=[('n', b'%d' % i)], timestamp=base + i, on_delivery=on_delivery)
                    break
                except BufferError:
                    producer.poll(0.1)
            producer.poll(0)
        left = producer.flush(40)
        if left:
            failures.append('%d %s messages still queued after flush' % (left, codec))
    print('acknowledged %d of %d%s' % (len(acknowledged), count, ', first failure ' + failures[0] if failures else ''),
          flush=True)

    consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'brook-it-assign-only',
                         'enable.auto.commit': False, 'enable.auto.offset.store': False})
    consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING), TopicPartition(topic, 1, OFFSET_BEGINNING)])
    records = []
    errors = []
    deadline = time.time() + 30
    while len(records) < count and time.time() < deadline:
        for message in consumer.consume(num_messages=1000, timeout=0.5):
            if message.error():
                errors.append(str(message.error()))
            else:
                records.append(message)
    consumer.close()
    expected_next = {0: 0, 1: 1}
    wrong = 0
    for message in records:
        i = expected_next[message.partition()]
        expected_next[message.partition()] += 2
        if (message.offset(), message.key(), message.value(), message.headers(), message.timestamp()) != (
                i // 2, b'key-%d' % i, b'value-%d' % i, [('n', b'%d' % i)], (1, base + i)):
            wrong += 1
    print('consumed %d, wrong %d%s' % (len(records), wrong, ', first error ' + errors[0] if errors else ''),
          flush=True)


if __name__ == '__main__':
    main()
