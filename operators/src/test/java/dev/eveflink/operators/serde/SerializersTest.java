package dev.eveflink.operators.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultError;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.testutils.ImageEvents;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

class SerializersTest {

    @Test
    void resultsAreKeyedByIdAndRoundTrip() throws Exception {
        InferenceResult result =
                InferenceResult.newBuilder()
                        .setId("req-7")
                        .setStatus(ResultStatus.REJECTED)
                        .setTask(Task.VQA)
                        .setError(new ResultError(ErrorCode.MISSING_QUESTION.name(), "no question"))
                        .build();

        ProducerRecord<byte[], byte[]> record =
                new InferenceResultSerializer("vlm.results").serialize(result, null, 123L);

        assertThat(record.topic()).isEqualTo("vlm.results");
        assertThat(record.partition()).isNull();
        assertThat(record.timestamp()).isEqualTo(123L);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("req-7");
        assertThat(InferenceResult.fromByteBuffer(ByteBuffer.wrap(record.value())))
                .isEqualTo(result);
    }

    @Test
    void deadLettersAreKeyedByTheOriginalKeyAndRoundTrip() throws Exception {
        byte[] originalKey = {0, (byte) 0xFF, 7};
        ConsumerRecord<byte[], byte[]> source =
                new ConsumerRecord<>("vlm.requests", 1, 99L, originalKey, new byte[] {1, 2});
        DeadLetter dead =
                IngestEnvelopes.deadLetterOf(
                        source,
                        EventError.of(ErrorCode.UNDECODABLE_VALUE, "bad"),
                        Instant.ofEpochMilli(5));

        ProducerRecord<byte[], byte[]> record =
                new DeadLetterSerializer("vlm.dlq").serialize(dead, null, null);

        assertThat(record.key()).isEqualTo(originalKey);
        assertThat(DeadLetter.fromByteBuffer(ByteBuffer.wrap(record.value()))).isEqualTo(dead);
    }

    @Test
    void deadLetterWithoutKeyHasNoKey() {
        ConsumerRecord<byte[], byte[]> source =
                new ConsumerRecord<>("t", 0, 0L, null, new byte[] {1});
        DeadLetter dead =
                IngestEnvelopes.deadLetterOf(
                        source, EventError.of(ErrorCode.UNDECODABLE_VALUE, "bad"), Instant.EPOCH);
        assertThat(new DeadLetterSerializer("vlm.dlq").serialize(dead, null, null).key()).isNull();
    }

    @Test
    void eventsAreKeyedByIdAndReadableByTheDeserializer() {
        ImageEvent event = ImageEvents.moderateFull("ev-1");
        ProducerRecord<byte[], byte[]> record =
                new ImageEventSerializer("vlm.requests").serialize(event, null, null);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("ev-1");
        assertThat(
                        ImageEventDeserializerTest.deserialize(
                                        ImageEventDeserializerTest.consumed(record, 0, 0))
                                .get(0)
                                .getEvent())
                .isEqualTo(event);
    }

    @Test
    void blankTopicIsRefusedNamingIt() {
        assertThatThrownBy(() -> new InferenceResultSerializer(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic");
    }
}
