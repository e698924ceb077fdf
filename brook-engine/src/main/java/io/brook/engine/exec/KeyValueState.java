package io.brook.engine.exec;

import java.util.function.BiConsumer;

/** The byte-keyed state one stateful operator reads and writes during a micro-batch (a view of its state store). */
public interface KeyValueState {
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    void remove(byte[] key);

    void forEach(BiConsumer<byte[], byte[]> action);
}
