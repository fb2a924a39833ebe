package dev.eveflink.operators.serde;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.Preconditions;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.ByteBuffer;

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
                topic != null && !topic.isBlank(),
                "topic must be a non-blank name, got '%s'",
                topic);
        this.topic = topic;
    }

    /** The Kafka key of an element, or null for none. */
    abstract byte[] keyOf(T element);

    /** The single-object encoding of an element. */
    abstract ByteBuffer encode(T element) throws IOException;

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        byte[] value;
        try {
            value = toArray(encode(element));
        } catch (IOException | RuntimeException e) {
            // Encoding an in-memory record only fails on a bug (a required field set to null):
            // fail the task rather than write a record nobody can read.
            throw new IllegalStateException(
                    "cannot encode a " + element.getClass().getSimpleName() + " for " + topic, e);
        }
        return new ProducerRecord<>(topic, null, timestamp, keyOf(element), value);
    }

    /** The destination topic. */
    public String topic() {
        return topic;
    }

    /** A copy of the buffer's remaining bytes (the buffer itself is left untouched). */
    static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** {@link #toArray}, or null for null. */
    static byte[] toArrayOrNull(ByteBuffer buffer) {
        return buffer == null ? null : toArray(buffer);
    }
}
