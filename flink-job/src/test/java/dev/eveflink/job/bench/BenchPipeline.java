package dev.eveflink.job.bench;

import dev.eveflink.job.EveJob;
import dev.eveflink.job.JobConfig;
import dev.eveflink.job.KafkaIo;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.inference.EveEngineFactory;
import dev.eveflink.operators.kafka.LocalKafkaBroker;
import dev.eveflink.operators.serde.DeadLetterSplitFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One Kafka -> Flink -> Kafka pipeline under test: its own five topics on the broker, a producer of
 * request events, a {@link ResultWatcher} on the results topic, and the job on a local MiniCluster
 * with parallelism 1: either the real job ({@link EveJob#start}, the shipped topology and operator)
 * or the naive one (the same Kafka source, undecodable-record split and Kafka sink around a
 * synchronous {@link NaiveEveMapFunction}).
 */
final class BenchPipeline implements AutoCloseable {
    /** Which job runs between the topics. */
    enum Kind { OPERATOR, NAIVE }

    /** The job's settings that both kinds share; the operator's batching settings are the demo's. */
    record Settings(String modelDir, Path policiesFile, String captionQuestion, int asyncCapacity, int maxBatchSize,
            Duration maxWait, Duration checkpointInterval, String delivery) {}

    private final JobConfig config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ResultWatcher watcher;
    private JobClient job;

    private BenchPipeline(JobConfig config, String bootstrap) {
        this.config = config;
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "1");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.watcher = new ResultWatcher(bootstrap, config.resultsTopic());
    }

    /** Creates the topics {@code <name>.*} (the job's five) and the job's configuration; the job is not started yet. */
    static BenchPipeline create(LocalKafkaBroker broker, String name, Settings s) throws Exception {
        // policies: the job's hot-reload topic (nothing is published on it here; the file's set applies)
        for (String suffix : List.of("requests", "results", "flagged", "dead-letters", "policies")) {
            broker.createTopic(name + "." + suffix, 1);
        }
        JobConfig config = JobConfig.fromArgs(new String[] {
            "--bootstrap-servers", broker.bootstrapServers(),
            "--input-topic", name + ".requests",
            "--results-topic", name + ".results",
            "--flagged-topic", name + ".flagged",
            "--dead-letter-topic", name + ".dead-letters",
            "--policies-topic", name + ".policies",
            "--group-id", name,
            "--model-dir", s.modelDir(),
            "--device", "cpu",
            "--delivery", s.delivery(),
            "--checkpoint-interval", s.checkpointInterval().toMillis() + "ms",
            "--transaction-timeout", "60s",
            "--async-capacity", Integer.toString(s.asyncCapacity()),
            "--async-timeout", "300s",
            "--max-batch-size", Integer.toString(s.maxBatchSize()),
            "--max-wait", s.maxWait().toMillis() + "ms",
            "--caption-question", s.captionQuestion(),
            "--policies-file", s.policiesFile().toString(),
            "--starting-offsets", "earliest"});
        return new BenchPipeline(config, broker.bootstrapServers());
    }

    JobConfig config() {
        return config;
    }

    ResultWatcher watcher() {
        return watcher;
    }

    /** Sends an event (asynchronously: the producer batches nothing, linger 0). */
    void send(ImageEvent event) {
        producer.send(new ProducerRecord<>(config.inputTopic(), event.getId().getBytes(StandardCharsets.UTF_8),
                BenchEvents.bytes(event)));
    }

    void flush() {
        producer.flush();
    }

    /** Starts the job (a fresh MiniCluster); it fails rather than restarts, so a broken run shows. */
    void start(Kind kind, List<ModerationPolicy> policies) throws Exception {
        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(1);
        if (kind == Kind.OPERATOR) {
            job = EveJob.start(env, config, new EveEngineFactory());
        } else {
            // Checkpointing as EveJob sets it up.
            env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
            env.fromSource(KafkaIo.source(config), WatermarkStrategy.noWatermarks(), "image-events")
                    .process(new DeadLetterSplitFunction()).name("split-undecodable")
                    .map(new NaiveEveMapFunction(config.modelDir(), config.captionQuestion(), policies, 64))
                    .returns(new AvroTypeInfo<>(InferenceResult.class)).name("naive-eve-map")
                    .sinkTo(KafkaIo.resultSink(config, config.resultsTopic(), "results")).name("results");
            job = env.executeAsync("eve-flink-naive");
        }
    }

    /** True once the job reached a terminal state (it never finishes on its own: a failure). */
    boolean jobEnded() {
        try {
            return job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState();
        } catch (Exception e) {
            return true;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (job != null && !jobEnded()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        } finally {
            producer.close(Duration.ofSeconds(10));
            watcher.close();
        }
    }
}
