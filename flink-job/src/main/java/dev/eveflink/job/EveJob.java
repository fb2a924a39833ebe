package dev.eveflink.job;

import dev.eveflink.model.policy.PolicyFileException;
import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.inference.EveAsyncFunction;
import dev.eveflink.operators.inference.EveEngineFactory;
import dev.eveflink.operators.inference.InferenceOptions;
import dev.eveflink.operators.inference.InferenceServiceFactory;
import dev.eveflink.operators.inference.OutputOrder;
import java.nio.file.Path;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.async.AsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job users submit with {@code flink run}: Kafka (Avro ImageEvents) in, EVE, Kafka out; exactly
 * once by default. Every option is documented in {@link EveJobOptions}; a wrong one fails here, at
 * submit time, naming it.
 *
 * <pre>
 * flink run -c dev.eveflink.job.EveJob eve-flink-job.jar --bootstrap-servers kafka:9092 --model-dir /models/eve-7b
 * </pre>
 */
public final class EveJob {
    private static final Logger LOG = LoggerFactory.getLogger(EveJob.class);

    private EveJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config;
        try {
            config = JobConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            throw e;
        }
        LOG.info("Starting EVE job with {}", config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        try {
            define(env, config, new EveEngineFactory(), null);
        } catch (IllegalArgumentException e) {
            // E.g. a policies file with a mistake: the message names the file and line.
            System.err.println("error: " + e.getMessage());
            throw e;
        }
        env.execute("eve-flink");
    }

    /** Starts the job without waiting (tests, the local demo). */
    public static JobClient start(StreamExecutionEnvironment env, JobConfig config, InferenceServiceFactory factory)
            throws Exception {
        define(env, config, factory, null);
        return env.executeAsync("eve-flink");
    }

    /**
     * Adds the job's dataflow to {@code env}.
     *
     * @param wrapper if not null, wraps the inference function (tests inject failures with it)
     */
    public static void define(StreamExecutionEnvironment env, JobConfig config, InferenceServiceFactory factory,
            java.util.function.UnaryOperator<AsyncFunction<ImageEvent, InferenceResult>> wrapper) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        InferenceOptions options = inferenceOptions(config);
        options.warnings().forEach(w -> LOG.warn("{}", w));
        AsyncFunction<ImageEvent, InferenceResult> inference = new EveAsyncFunction(options, factory);
        if (wrapper != null) {
            inference = wrapper.apply(inference);
        }
        // The policies file's set (read once, at submit time) serves tenants without a set on the policy topic.
        EveTopology.Policies policies = new EveTopology.Policies(KafkaIo.policySource(config), options.policies());
        EveTopology.build(env, KafkaIo.source(config), policies, inference, config, new EveTopology.Sinks(
                KafkaIo.resultSink(config, config.resultsTopic(), "results"),
                KafkaIo.resultSink(config, config.flaggedTopic(), "flagged"),
                KafkaIo.deadLetterSink(config)));
    }

    static InferenceOptions inferenceOptions(JobConfig config) {
        return InferenceOptions.builder(config.modelDir())
                .setDevice(config.device())
                .setCapacity(config.asyncCapacity())
                .setTimeout(config.asyncTimeout())
                .setOutputOrder(config.ordered() ? OutputOrder.ORDERED : OutputOrder.UNORDERED)
                .setMaxBatchSize(config.maxBatchSize())
                .setMaxWait(config.maxWait())
                .setCaptionQuestion(config.captionQuestion())
                .setPolicies(policies(config))
                .build();
    }

    /**
     * The policies of {@code --policies-file} (YAML or JSON, see {@link PolicyFiles}), read here at
     * submit time so that a mistake fails the submission naming the file and line; no file: no
     * policies (MODERATE events are then rejected with MODERATION_UNAVAILABLE).
     */
    static PolicySet policies(JobConfig config) {
        if (config.policiesFile() == null) {
            LOG.info("No --policies-file: MODERATE events will be rejected");
            return PolicySet.empty();
        }
        PolicySet policies;
        try {
            policies = PolicyFiles.read(Path.of(config.policiesFile()));
        } catch (PolicyFileException e) {
            throw new IllegalArgumentException("--policies-file " + e.getMessage(), e);
        }
        LOG.info("Moderation policy set {} from {}: {}", policies.version(), config.policiesFile(), policies.ids());
        return policies;
    }
}
