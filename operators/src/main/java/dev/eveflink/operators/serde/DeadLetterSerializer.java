package dev.eveflink.operators.serde;

import dev.eveflink.operators.avro.DeadLetter;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes {@link DeadLetter}s keyed by the original record's key bytes (null stays null), value in
 * Avro single-object encoding (read back with {@code DeadLetter.fromByteBuffer}).
 */
public final class DeadLetterSerializer extends KeyedAvroSerializer<DeadLetter> {

    private static final long serialVersionUID = 1L;

    /** A serializer writing to {@code topic}. */
    public DeadLetterSerializer(String topic) {
        super(topic);
    }

    @Override
    byte[] keyOf(DeadLetter deadLetter) {
        return toArrayOrNull(deadLetter.getKey());
    }

    @Override
    ByteBuffer encode(DeadLetter deadLetter) throws IOException {
        return deadLetter.toByteBuffer();
    }
}
