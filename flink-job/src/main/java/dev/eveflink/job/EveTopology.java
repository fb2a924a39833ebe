package dev.eveflink.job;

import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.moderation.PolicyAttachFunction;
import dev.eveflink.operators.moderation.PolicyRecord;
import dev.eveflink.operators.moderation.PolicyUpdate;
import dev.eveflink.operators.moderation.PolicyUpdateValidator;
import dev.eveflink.operators.serde.DeadLetterSplitFunction;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;

/**
 * The job's dataflow, with sources and sinks passed in so tests can substitute them:
 *
 * <pre>
 * Kafka (Avro) -> split undecodable records off -> attach policies -> AsyncDataStream(EVE) -> results
 *                        |                            ^ (broadcast)           |-> flagged results -> flagged topic
 *                        |   policy topic -> check ---'                       '-> non-OK results --.
 *                        v                      '-> invalid policy records --.                      |
 *                   dead letters  <----------------------------------------- ' <-----------------'
 * </pre>
 *
 * Every input ends as exactly one OK result or one dead letter. The attach operator gives every event
 * the policy set in force for its tenant ({@link PolicyAttachFunction}); its broadcast state is
 * checkpointed, so a restore keeps the sets without the policy topic being read again. A MODERATE
 * result whose overall decision is FLAG or REVIEW ({@code flagged}) also goes, unchanged, to the
 * flagged topic: consumers there read its {@code decision} and each verdict's {@code action}.
 * Operator uids are fixed so that savepoints survive changes to the job.
 */
public final class EveTopology {
    private EveTopology() {}

    /** Where the three outputs go. */
    public record Sinks(Sink<InferenceResult> results, Sink<InferenceResult> flagged, Sink<DeadLetter> deadLetters) {}

    /** Whether {@code result} also goes to the flagged topic: its overall decision is FLAG or REVIEW. */
    static boolean forFlaggedTopic(InferenceResult result) {
        PolicyDecision decision = result.getDecision();
        return result.getFlagged() || (decision != null && decision != PolicyDecision.ALLOW);
    }

    /**
     * The policy side of the job.
     *
     * @param source records of the policy topic
     * @param defaults the set of tenants that have neither their own set nor a {@code *} set on the topic
     */
    public record Policies(Source<PolicyRecord, ?, ?> source, PolicySet defaults) {}

    public static void build(StreamExecutionEnvironment env, Source<IngestEnvelope, ?, ?> source, Policies policies,
            AsyncFunction<ImageEvent, InferenceResult> inference, JobConfig config, Sinks sinks) {
        DataStream<IngestEnvelope> ingest = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "image-events")
                .uid("image-events-source");
        SingleOutputStreamOperator<ImageEvent> events = ingest
                .process(new DeadLetterSplitFunction())
                .name("split-undecodable")
                .uid("split-undecodable");
        // One reader and one checker: updates stay in topic order and a bad record is reported once.
        SingleOutputStreamOperator<PolicyUpdate> updates = env
                .fromSource(policies.source(), WatermarkStrategy.noWatermarks(), "policy-records")
                .uid("policy-records-source").setParallelism(1)
                .process(new PolicyUpdateValidator()).name("check-policies").uid("check-policies")
                .setParallelism(1);
        BroadcastStream<PolicyUpdate> broadcast = updates.broadcast(PolicyAttachFunction.POLICY_SETS);
        SingleOutputStreamOperator<ImageEvent> attached = events.connect(broadcast)
                .process(new PolicyAttachFunction(policies.defaults()))
                .name("attach-policies").uid("attach-policies");
        long timeoutMs = config.asyncTimeout().toMillis();
        SingleOutputStreamOperator<InferenceResult> results = config.ordered()
                ? AsyncDataStream.orderedWait(attached, inference, timeoutMs, TimeUnit.MILLISECONDS,
                        config.asyncCapacity())
                : AsyncDataStream.unorderedWait(attached, inference, timeoutMs, TimeUnit.MILLISECONDS,
                        config.asyncCapacity());
        results.name("eve-inference").uid("eve-inference");

        results.sinkTo(sinks.results()).name("results").uid("results-sink");
        results.filter(EveTopology::forFlaggedTopic).name("flagged-only").uid("flagged-filter")
                .sinkTo(sinks.flagged()).name("flagged").uid("flagged-sink");
        DataStream<DeadLetter> failed = results
                .filter(ResultDeadLetters::isFailure).name("not-ok").uid("not-ok-filter")
                .map(new ResultDeadLetters(config.resultsTopic())).name("result-dead-letters")
                .uid("result-dead-letters");
        events.getSideOutput(DeadLetterSplitFunction.DEAD_LETTERS)
                .union(failed, updates.getSideOutput(PolicyUpdateValidator.DEAD_LETTERS))
                .sinkTo(sinks.deadLetters()).name("dead-letters").uid("dead-letters-sink");
    }
}
