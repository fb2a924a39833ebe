package dev.eveflink.operators.serde;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.IngestEnvelope;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Emits decoded events on the main output and dead letters on {@link #DEAD_LETTERS}.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<ImageEvent> events = envelopes.process(new DeadLetterSplitFunction());
 * DataStream<DeadLetter> deadLetters = events.getSideOutput(DeadLetterSplitFunction.DEAD_LETTERS);
 * }</pre>
 */
public final class DeadLetterSplitFunction extends ProcessFunction<IngestEnvelope, ImageEvent> {

    private static final long serialVersionUID = 1L;

    /** Side output for records that could not be decoded. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    @Override
    public void processElement(IngestEnvelope envelope, Context ctx, Collector<ImageEvent> out) {
        if (envelope.getEvent() != null) {
            out.collect(envelope.getEvent());
        } else if (envelope.getDeadLetter() != null) {
            ctx.output(DEAD_LETTERS, envelope.getDeadLetter());
        } else {
            // Only IngestEnvelopes builds envelopes, always with one side set: this is a bug.
            throw new IllegalStateException("IngestEnvelope with neither event nor dead letter");
        }
    }
}
