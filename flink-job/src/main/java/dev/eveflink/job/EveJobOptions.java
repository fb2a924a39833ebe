package dev.eveflink.job;

import dev.eveflink.operators.inference.InferenceOptions;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every option of the job, with its default and meaning. Given as program arguments
 * ({@code --bootstrap-servers 127.0.0.1:9092}) or in the Flink configuration under the same keys.
 * Any {@code kafka.<client property>} argument is passed to every Kafka client unchanged (SASL, TLS).
 */
public final class EveJobOptions {
    private EveJobOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap-servers")
            .stringType().noDefaultValue().withDescription("Kafka bootstrap servers (required).");

    public static final ConfigOption<String> INPUT_TOPIC = ConfigOptions.key("input-topic")
            .stringType().defaultValue("eve.requests").withDescription("Topic of Avro ImageEvents.");

    public static final ConfigOption<String> RESULTS_TOPIC = ConfigOptions.key("results-topic")
            .stringType().defaultValue("eve.results").withDescription("Topic every InferenceResult goes to.");

    public static final ConfigOption<String> FLAGGED_TOPIC = ConfigOptions.key("flagged-topic")
            .stringType().defaultValue("eve.flagged")
            .withDescription("Topic that also receives results flagged by moderation.");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = ConfigOptions.key("dead-letter-topic")
            .stringType().defaultValue("eve.dead-letters")
            .withDescription("Topic of DeadLetters: undecodable records and every non-OK result.");

    public static final ConfigOption<String> POLICIES_TOPIC = ConfigOptions.key("policies-topic")
            .stringType().defaultValue("eve.policies")
            .withDescription("Compacted topic of moderation policy sets, read from the beginning and broadcast: key = "
                    + "tenant id (UTF-8) or * (the default for tenants without their own set, overriding "
                    + "--policies-file), value = a policies file's text (YAML or JSON), a tombstone removes the "
                    + "tenant's set. A change applies from the next event on; invalid records become dead letters.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("group-id")
            .stringType().defaultValue("eve-flink").withDescription("Kafka consumer group of the source.");

    public static final ConfigOption<String> MODEL_DIR = ConfigOptions.key("model-dir")
            .stringType().noDefaultValue()
            .withDescription("EVE checkpoint directory, as BAAI publishes it (required).");

    public static final ConfigOption<String> DEVICE = ConfigOptions.key("device")
            .stringType().defaultValue("auto")
            .withDescription("auto (a GPU from Flink's external resources, else the CPU), cpu, or a list "
                    + "such as gpu:0,gpu:1 (subtask i uses entry i modulo the list).");

    public static final ConfigOption<String> DELIVERY = ConfigOptions.key("delivery")
            .stringType().defaultValue("exactly-once")
            .withDescription("exactly-once (transactional sinks, results visible at checkpoints) or at-least-once.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOptions.key("checkpoint-interval")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval; with exactly-once, results become visible at this pace.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = ConfigOptions.key("transaction-timeout")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Kafka transaction timeout of the exactly-once sinks; must stay below the "
                    + "broker's transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<Integer> ASYNC_CAPACITY = ConfigOptions.key("async-capacity")
            .intType().defaultValue(64)
            .withDescription("In-flight requests per subtask (AsyncDataStream capacity).");

    public static final ConfigOption<Duration> ASYNC_TIMEOUT = ConfigOptions.key("async-timeout")
            .durationType().defaultValue(Duration.ofSeconds(60))
            .withDescription("After this a request is answered TIMEOUT (the job keeps running).");

    public static final ConfigOption<Boolean> ORDERED = ConfigOptions.key("ordered")
            .booleanType().defaultValue(false)
            .withDescription("Emit results in input order (orderedWait) instead of as they complete.");

    public static final ConfigOption<Integer> MAX_BATCH_SIZE = ConfigOptions.key("max-batch-size")
            .intType().defaultValue(8).withDescription("Sequences in the engine's running batch.");

    public static final ConfigOption<Duration> MAX_WAIT = ConfigOptions.key("max-wait")
            .durationType().defaultValue(Duration.ofMillis(5))
            .withDescription("Longest the engine waits to fill a batch when that pays.");

    public static final ConfigOption<String> POLICIES_FILE = ConfigOptions.key("policies-file")
            .stringType().noDefaultValue().withDescription("Moderation policies file (YAML or JSON).");

    public static final ConfigOption<String> CAPTION_QUESTION = ConfigOptions.key("caption-question")
            .stringType().defaultValue(InferenceOptions.DEFAULT_CAPTION_QUESTION)
            .withDescription("The question a CAPTION event asks the model (the prompt the model was trained on).");

    public static final ConfigOption<String> STARTING_OFFSETS = ConfigOptions.key("starting-offsets")
            .stringType().defaultValue("committed-or-earliest")
            .withDescription("committed-or-earliest, earliest or latest.");

    /** Prefix of pass-through Kafka client properties. */
    public static final String KAFKA_PREFIX = "kafka.";
}
