package dev.eveflink.operators.testutils;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.ImageUri;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.serde.ImageEventSerializer;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Sample {@link ImageEvent}s for tests. */
public final class ImageEvents {

    /** A fixed instant so that events compare equal across runs. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private ImageEvents() {}

    /** A CAPTION event with inline bytes and only required fields set. */
    public static ImageEvent caption(String id, byte[] image) {
        return ImageEvent.newBuilder()
                .setId(id)
                .setTimestamp(T0)
                .setImage(new InlineImage(ByteBuffer.wrap(image)))
                .setTask(Task.CAPTION)
                .build();
    }

    /** A VQA event referencing an image by URI. */
    public static ImageEvent vqaByUri(String id, String uri, String question) {
        return ImageEvent.newBuilder()
                .setId(id)
                .setTimestamp(T0)
                .setImage(new ImageUri(uri))
                .setTask(Task.VQA)
                .setQuestion(question)
                .build();
    }

    /** A MODERATE event with every optional field set. */
    public static ImageEvent moderateFull(String id) {
        return ImageEvent.newBuilder()
                .setId(id)
                .setTenant("tenant-a")
                .setTimestamp(T0)
                .setImage(new InlineImage(ByteBuffer.wrap(new byte[] {1, 2, 3})))
                .setTask(Task.MODERATE)
                .setPolicies(List.of("violence", "nudity"))
                .setPriority(7)
                .setDeadline(T0.plusSeconds(30))
                .setMaxNewTokens(16)
                .build();
    }

    /** The i-th event of a numbered series: id "event-i", a few inline bytes derived from i. */
    public static ImageEvent numbered(int i) {
        return caption("event-" + i, new byte[] {(byte) i, (byte) (i >> 8), 42});
    }

    /** The Kafka record {@link ImageEventSerializer} would write for {@code event}. */
    public static ProducerRecord<byte[], byte[]> record(String topic, ImageEvent event) {
        return new ImageEventSerializer(topic).serialize(event, null, null);
    }
}
