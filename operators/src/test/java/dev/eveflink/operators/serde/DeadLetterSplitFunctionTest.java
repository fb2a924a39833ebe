package dev.eveflink.operators.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.testutils.ImageEvents;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

class DeadLetterSplitFunctionTest {

    @Test
    void eventsGoToTheMainOutputAndDeadLettersToTheSideOutput() throws Exception {
        ImageEvent event = ImageEvents.numbered(1);
        DeadLetter dead =
                IngestEnvelopes.deadLetterOf(
                        new ConsumerRecord<>("t", 0, 3L, null, new byte[] {9}),
                        EventError.of(ErrorCode.UNDECODABLE_VALUE, "bad"),
                        Instant.EPOCH);

        try (OneInputStreamOperatorTestHarness<IngestEnvelope, ImageEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new DeadLetterSplitFunction())) {
            harness.processElement(IngestEnvelopes.ofEvent(event), 10L);
            harness.processElement(IngestEnvelopes.ofDeadLetter(dead), 11L);

            assertThat(harness.extractOutputValues()).containsExactly(event);
            List<DeadLetter> side =
                    harness.getSideOutput(DeadLetterSplitFunction.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .collect(Collectors.toList());
            assertThat(side).containsExactly(dead);
        }
    }
}
