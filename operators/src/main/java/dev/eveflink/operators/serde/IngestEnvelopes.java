package dev.eveflink.operators.serde;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.errors.EventError;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.RecordBatch;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Factories for {@link IngestEnvelope} and {@link DeadLetter}, so both are always well formed. */
public final class IngestEnvelopes {

    private IngestEnvelopes() {}

    /** An envelope carrying a decoded event. */
    public static IngestEnvelope ofEvent(ImageEvent event) {
        return IngestEnvelope.newBuilder().setEvent(event).setDeadLetter(null).build();
    }

    /** An envelope carrying a dead letter. */
    public static IngestEnvelope ofDeadLetter(DeadLetter deadLetter) {
        return IngestEnvelope.newBuilder().setEvent(null).setDeadLetter(deadLetter).build();
    }

    /**
     * A dead letter that keeps the record's key and value bytes unchanged and says where it came
     * from.
     */
    public static DeadLetter deadLetterOf(
            ConsumerRecord<byte[], byte[]> record, EventError error, Instant failedAt) {
        long timestamp = record.timestamp();
        return DeadLetter.newBuilder()
                .setKey(wrapOrNull(record.key()))
                .setValue(wrapOrNull(record.value()))
                .setTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setSourceTimestamp(
                        timestamp == RecordBatch.NO_TIMESTAMP
                                ? null
                                : Instant.ofEpochMilli(timestamp))
                .setErrorCode(error.code().name())
                .setErrorMessage(error.message())
                .setFailedAt(failedAt)
                .build();
    }

    private static ByteBuffer wrapOrNull(byte[] bytes) {
        // A copy: the consumer may reuse its buffers, and the dead letter must keep the original.
        return bytes == null ? null : ByteBuffer.wrap(bytes.clone());
    }
}
