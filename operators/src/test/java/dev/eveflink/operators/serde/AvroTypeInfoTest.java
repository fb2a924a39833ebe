package dev.eveflink.operators.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.testutils.ImageEvents;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;

/**
 * The envelope, events and dead letters cross Flink operator boundaries and (events) sit in async
 * operator checkpoints: Flink's Avro serializer must round-trip them, logical types included.
 */
class AvroTypeInfoTest {

    @Test
    void flinkAvroSerializerRoundTripsEnvelopesAndEvents() throws Exception {
        DeadLetter dead =
                IngestEnvelopes.deadLetterOf(
                        new ConsumerRecord<>("t", 1, 2L, new byte[] {3}, new byte[] {4}),
                        EventError.of(ErrorCode.UNDECODABLE_VALUE, "bad"),
                        Instant.ofEpochMilli(77));
        ImageEvent event = ImageEvents.moderateFull("e-1");

        assertRoundTrip(IngestEnvelope.class, IngestEnvelopes.ofEvent(event));
        assertRoundTrip(IngestEnvelope.class, IngestEnvelopes.ofDeadLetter(dead));
        assertRoundTrip(ImageEvent.class, event);
        assertRoundTrip(DeadLetter.class, dead);
        assertThat(new ImageEventDeserializer().getProducedType())
                .isEqualTo(new AvroTypeInfo<>(IngestEnvelope.class));
    }

    private static <T extends org.apache.avro.specific.SpecificRecordBase> void assertRoundTrip(
            Class<T> type, T value) throws Exception {
        TypeSerializer<T> serializer =
                new AvroTypeInfo<>(type).createSerializer(new SerializerConfigImpl());
        byte[] bytes = InstantiationUtil.serializeToByteArray(serializer, value);
        assertThat(InstantiationUtil.deserializeFromByteArray(serializer, bytes)).isEqualTo(value);
        assertThat(serializer.copy(value)).isEqualTo(value);
    }
}
