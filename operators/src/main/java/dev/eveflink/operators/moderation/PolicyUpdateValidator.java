package dev.eveflink.operators.moderation;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.errors.Outcome;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks policy-topic records ({@link PolicyRecordCheck}) before they are broadcast: valid ones go
 * on as {@link PolicyUpdate}s, invalid ones are logged at ERROR, counted ({@code
 * policyUpdatesRejected}) and emitted on {@link #DEAD_LETTERS} with their original bytes, so
 * operators see them on the dead-letter topic. A rejected record changes nothing: every tenant
 * keeps its previous set.
 *
 * <p>Runs with parallelism 1 ahead of the broadcast, so each bad record is reported once rather than
 * once per attach subtask.
 */
public final class PolicyUpdateValidator extends ProcessFunction<PolicyRecord, PolicyUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PolicyUpdateValidator.class);

    /** Side output of refused policy records. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("policy-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** Stamps {@code DeadLetter.failedAt}. */
    private final Clock clock;

    private transient Counter valid;
    private transient Counter rejected;

    public PolicyUpdateValidator() {
        this(Clock.systemUTC());
    }

    /** A validator stamping dead letters with {@code clock} (tests). */
    public PolicyUpdateValidator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void open(OpenContext openContext) {
        valid = getRuntimeContext().getMetricGroup().counter("policyUpdatesValid");
        rejected = getRuntimeContext().getMetricGroup().counter("policyUpdatesRejected");
    }

    @Override
    public void processElement(PolicyRecord record, Context ctx, Collector<PolicyUpdate> out) {
        Outcome<PolicyUpdate> checked = PolicyRecordCheck.check(record);
        if (checked.isOk()) {
            valid.inc();
            out.collect(checked.value());
            return;
        }
        EventError error = checked.error();
        rejected.inc();
        LOG.error("Refused policy record {} (every tenant keeps its current set): {}", record.source(),
                error.message());
        ctx.output(DEAD_LETTERS, deadLetter(record, error));
    }

    private DeadLetter deadLetter(PolicyRecord record, EventError error) {
        return DeadLetter.newBuilder()
                .setKey(wrap(record.key()))
                .setValue(wrap(record.value()))
                .setTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setSourceTimestamp(record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setErrorCode(error.code().name())
                .setErrorMessage(error.message())
                .setFailedAt(clock.instant())
                .build();
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes.clone());
    }
}
