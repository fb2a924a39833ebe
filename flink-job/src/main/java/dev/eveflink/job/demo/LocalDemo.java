package dev.eveflink.job.demo;

import dev.eveflink.job.EveJob;
import dev.eveflink.job.JobConfig;
import dev.eveflink.job.KafkaIo;
import dev.eveflink.model.demo.train.DemoVocabulary;
import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.demo.world.WorldSample;
import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.inference.EveEngineFactory;
import dev.eveflink.operators.kafka.LocalKafkaBroker;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole pipeline on one machine: an in-process Kafka broker (or {@code --bootstrap-servers}), the
 * real job ({@link EveJob#start}) on a local MiniCluster with the demo's two moderation policies,
 * exactly-once with 1 s checkpoints, and shapes-world images sent as events. Every result is read
 * back (read_committed) and printed against the world's truth, then a summary.
 *
 * <pre>
 * deploy/demo.sh --count 200
 * </pre>
 *
 * <p>Latency is from sending an event to reading its committed result, so it includes up to one
 * checkpoint interval of transaction commit delay.
 */
public final class LocalDemo {
    /** The checkpoint interval: committed results become visible at this pace. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /** Longest wait for the next result once every event was sent. */
    static final Duration STALL_TIMEOUT = Duration.ofMinutes(3);
    /** Restarts before the demo's job gives up (a broken model dir fails fast instead of looping). */
    static final int RESTART_ATTEMPTS = 3;

    private LocalDemo() {}

    public static void main(String[] args) throws Exception {
        applyJvmDefaults();
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Outcome outcome = run(options, System.out);
        System.out.flush();
        if (outcome.results() != options.count()) {
            System.exit(1);
        }
    }

    /** What one run saw. */
    public record Outcome(int results, Set<String> ids, Map<String, Integer> statuses, String summary) {}

    /** Runs the demo, printing result lines and the summary on {@code out}. */
    public static Outcome run(DemoOptions options, PrintStream out) throws Exception {
        LocalKafkaBroker broker = options.bootstrapServers() == null ? LocalKafkaBroker.start() : null;
        try {
            String bootstrap = broker != null ? broker.bootstrapServers() : options.bootstrapServers();
            String prefix = "eve-demo-" + System.currentTimeMillis();
            createTopics(bootstrap, prefix);
            Path policies = Files.createTempFile("eve-demo-policies-", ".json");
            try {
                Files.writeString(policies, PolicyFiles.toJson(DemoPolicy.policySet()));
                JobConfig config = JobConfig.fromArgs(new String[] {
                    "--bootstrap-servers", bootstrap,
                    "--input-topic", prefix + ".requests",
                    "--results-topic", prefix + ".results",
                    "--flagged-topic", prefix + ".flagged",
                    "--dead-letter-topic", prefix + ".dead-letters",
                    "--policies-topic", prefix + ".policies",
                    "--group-id", prefix,
                    "--model-dir", options.modelDir(),
                    "--device", "cpu",
                    "--checkpoint-interval", CHECKPOINT_INTERVAL.toMillis() + "ms",
                    "--transaction-timeout", "60s",
                    "--async-capacity", "16",
                    "--async-timeout", "300s",
                    "--max-batch-size", "8",
                    "--caption-question", DemoVocabulary.CAPTION_QUESTION,
                    "--policies-file", policies.toString(),
                    "--starting-offsets", "earliest"});
                Configuration flink = new Configuration();
                flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTART_ATTEMPTS);
                flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
                env.setParallelism(1);
                JobClient job = EveJob.start(env, config, new EveEngineFactory());
                try {
                    return produceAndRead(options, bootstrap, prefix, job, out);
                } finally {
                    if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                        job.cancel().get(1, TimeUnit.MINUTES);
                    }
                }
            } finally {
                Files.deleteIfExists(policies);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static Outcome produceAndRead(DemoOptions options, String bootstrap, String prefix, JobClient job,
            PrintStream out) throws Exception {
        int count = options.count();
        Map<String, DemoEvents.Expected> expected = new ConcurrentHashMap<>();
        Map<String, Long> sentNanos = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        Thread producer = new Thread(() -> produce(options, bootstrap, prefix + ".requests", expected, sentNanos),
                "demo-producer");
        producer.setDaemon(true);
        producer.start();

        DemoScoreboard board = new DemoScoreboard();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        long lastResult = System.nanoTime();
        long lastProgress = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = readCommittedConsumer(bootstrap)) {
            TopicPartition partition = new TopicPartition(prefix + ".results", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            while (seen.size() < count) {
                if (!producer.isAlive() && System.nanoTime() - lastResult > STALL_TIMEOUT.toNanos()) {
                    out.println("no result for " + STALL_TIMEOUT + ": giving up at " + seen.size() + "/" + count);
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    InferenceResult result = InferenceResult.fromByteBuffer(ByteBuffer.wrap(record.value()));
                    DemoEvents.Expected truth = expected.get(result.getId());
                    if (truth == null || !seen.add(result.getId())) {
                        continue; // not ours, or a duplicate (there should be none: exactly-once)
                    }
                    long latency = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNanos.get(result.getId()));
                    out.println(board.record(result, truth, latency));
                    lastResult = System.nanoTime();
                }
                long now = System.nanoTime();
                if (now - lastProgress > TimeUnit.SECONDS.toNanos(5)) {
                    lastProgress = now;
                    out.printf(Locale.ROOT, "-- progress: %d sent, %d/%d results, %.1f s%n", sentNanos.size(),
                            seen.size(), count, (now - start) / 1e9);
                    JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
                    if (status.isGloballyTerminalState()) {
                        out.println("the job ended " + status + " (see the log above): giving up at " + seen.size()
                                + "/" + count);
                        break;
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String summary = board.summary(seconds);
        out.println("== summary ==");
        out.println(summary);
        return new Outcome(board.results(), Set.copyOf(seen), board.statuses(), summary);
    }

    private static void produce(DemoOptions options, String bootstrap, String topic,
            Map<String, DemoEvents.Expected> expected, Map<String, Long> sentNanos) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < options.count(); i++) {
                if (options.rate() > 0) {
                    long due = start + (long) (i * 1e9 / options.rate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                WorldSample sample = World.sample(options.seed(), i);
                DemoEvents.Expected truth = DemoEvents.expected(sample, i);
                String id = "demo-" + i;
                ImageEvent event = DemoEvents.event(id, sample, truth);
                ByteBuffer buffer = event.toByteBuffer();
                byte[] value = new byte[buffer.remaining()];
                buffer.get(value);
                expected.put(id, truth);
                sentNanos.put(id, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        } catch (Exception e) {
            throw new IllegalStateException("producing demo events failed: " + e, e);
        }
    }

    private static void createTopics(String bootstrap, String prefix) throws Exception {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>(List.of("requests", "results", "flagged", "dead-letters").stream()
                    .map(suffix -> new NewTopic(prefix + "." + suffix, 1, (short) 1))
                    .toList());
            topics.add(KafkaIo.policiesTopic(prefix + ".policies", (short) 1));
            admin.createTopics(topics)
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<byte[], byte[]> readCommittedConsumer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * JVM-wide settings the job needs when it runs inside this process (exec:java), each only if the
     * caller did not set it: DJL offline with one thread, its cache under {@code target/}, and Avro's
     * trusted package. Public for the other in-process launchers (the pipeline benchmark).
     */
    public static void applyJvmDefaults() {
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.default_engine", "PyTorch");
        setDefault("ai.djl.pytorch.num_threads", "1");
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.eveflink.operators.avro");
        if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", Path.of("target", "djl-cache").toAbsolutePath().toString());
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
