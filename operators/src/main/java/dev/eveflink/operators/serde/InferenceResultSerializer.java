package dev.eveflink.operators.serde;

import dev.eveflink.operators.avro.InferenceResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link InferenceResult}s keyed by request id (UTF-8), value in Avro single-object encoding
 * (read back with {@code InferenceResult.fromByteBuffer}).
 */
public final class InferenceResultSerializer extends KeyedAvroSerializer<InferenceResult> {

    private static final long serialVersionUID = 1L;

    /** A serializer writing to {@code topic}. */
    public InferenceResultSerializer(String topic) {
        super(topic);
    }

    @Override
    byte[] keyOf(InferenceResult result) {
        return result.getId().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    ByteBuffer encode(InferenceResult result) throws IOException {
        return result.toByteBuffer();
    }
}
