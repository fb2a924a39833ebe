package dev.eveflink.operators.serde;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.Preconditions;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes one Avro record per Kafka record to a fixed topic: value in single-object encoding, key
 * chosen by the subclass.
 */
abstract class KeyedAvroSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** Destination topic. */
    private final String topic;

    KeyedAvroSerializer(String topic) {
        Preconditions.checkArgument(
                topic != null && !topic.isBlank(), "topic must be a non-blank name, got '%s'", topic);
        this.topic = topic;
    }

    /** The Kafka key of an element, or null for none. */
    abstract byte[] keyOf(T element);

    /** The single-object encoding of an element. */
    abstract ByteBuffer encode(T element) throws java.io.IOException;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        byte[] value;
        try {
            value = toArray(encode(element));
        } catch (java.io.IOException e) {
            // Encoding an in-memory record only fails on a bug (e.g. a required field left null).
            throw new IllegalStateException("cannot encode " + element, e);
        }
        return new ProducerRecord<>(topic, null, timestamp, keyOf(element), value);
    }

    /** The destination topic. */
    public String topic() {
        return topic;
    }

    static byte[] toArray(ByteBuffer buffer) {
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    static byte[] toArrayOrNull(ByteBuffer buffer) {
        return buffer == null ? null : Arrays.copyOf(toArray(buffer), buffer.remaining());
    }
}
