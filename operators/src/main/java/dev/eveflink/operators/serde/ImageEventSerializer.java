package dev.eveflink.operators.serde;

import dev.eveflink.operators.avro.ImageEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@link ImageEvent}s keyed by id (UTF-8), value in Avro single-object encoding: the format
 * {@link ImageEventDeserializer} reads. For producers, replays and tests.
 */
public final class ImageEventSerializer extends KeyedAvroSerializer<ImageEvent> {

    private static final long serialVersionUID = 1L;

    /** A serializer writing to {@code topic}. */
    public ImageEventSerializer(String topic) {
        super(topic);
    }

    @Override
    byte[] keyOf(ImageEvent event) {
        return event.getId().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    ByteBuffer encode(ImageEvent event) throws IOException {
        return event.toByteBuffer();
    }
}
