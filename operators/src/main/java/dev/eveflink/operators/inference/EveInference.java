package dev.eveflink.operators.inference;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import java.util.concurrent.TimeUnit;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@link EveAsyncFunction} into a stream with the async operator's capacity, timeout and
 * output order from {@link InferenceOptions}.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<InferenceResult> results =
 *         EveInference.apply(events, options, factory).uid("eve-inference");
 * }</pre>
 *
 * <p>Set a {@code uid}: the operator's state (the in-flight events) is restored by it.
 */
public final class EveInference {

    private static final Logger LOG = LoggerFactory.getLogger(EveInference.class);

    /** The operator's name in the job graph. */
    public static final String OPERATOR_NAME = "eve-inference";

    private EveInference() {}

    /** One {@link InferenceResult} per event of {@code events}. */
    public static SingleOutputStreamOperator<InferenceResult> apply(
            DataStream<ImageEvent> events,
            InferenceOptions options,
            InferenceServiceFactory factory) {
        Preconditions.checkNotNull(events, "events");
        Preconditions.checkNotNull(options, "options");
        Preconditions.checkNotNull(factory, "factory");
        for (String warning : options.warnings()) {
            LOG.warn("inference options: {}", warning);
        }
        EveAsyncFunction function = new EveAsyncFunction(options, factory);
        SingleOutputStreamOperator<InferenceResult> results =
                options.outputOrder() == OutputOrder.ORDERED
                        ? AsyncDataStream.orderedWait(
                                events,
                                function,
                                options.timeoutMillis(),
                                TimeUnit.MILLISECONDS,
                                options.capacity())
                        : AsyncDataStream.unorderedWait(
                                events,
                                function,
                                options.timeoutMillis(),
                                TimeUnit.MILLISECONDS,
                                options.capacity());
        return results.returns(new AvroTypeInfo<>(InferenceResult.class)).name(OPERATOR_NAME);
    }
}
