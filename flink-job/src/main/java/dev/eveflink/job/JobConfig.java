package dev.eveflink.job;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;

/**
 * The job's validated settings, parsed once at submit time. Invalid or missing options fail here
 * with a message naming the option; secrets in pass-through Kafka properties never reach
 * {@link #toString()} (and so never a log line).
 */
public record JobConfig(
        String bootstrapServers,
        String inputTopic,
        String resultsTopic,
        String flaggedTopic,
        String deadLetterTopic,
        String policiesTopic,
        String groupId,
        String modelDir,
        String device,
        DeliveryGuarantee delivery,
        Duration checkpointInterval,
        Duration transactionTimeout,
        int asyncCapacity,
        Duration asyncTimeout,
        boolean ordered,
        int maxBatchSize,
        Duration maxWait,
        String policiesFile,
        String captionQuestion,
        String startingOffsets,
        Properties kafkaProperties) {

    /** The broker's default transaction.max.timeout.ms. */
    static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|token|credential).*");
    private static final Set<String> STARTING = Set.of("committed-or-earliest", "earliest", "latest");

    private static final ConfigOption<?>[] ALL = {
        EveJobOptions.BOOTSTRAP_SERVERS, EveJobOptions.INPUT_TOPIC, EveJobOptions.RESULTS_TOPIC,
        EveJobOptions.FLAGGED_TOPIC, EveJobOptions.DEAD_LETTER_TOPIC, EveJobOptions.POLICIES_TOPIC,
        EveJobOptions.GROUP_ID,
        EveJobOptions.MODEL_DIR, EveJobOptions.DEVICE, EveJobOptions.DELIVERY, EveJobOptions.CHECKPOINT_INTERVAL,
        EveJobOptions.TRANSACTION_TIMEOUT, EveJobOptions.ASYNC_CAPACITY, EveJobOptions.ASYNC_TIMEOUT,
        EveJobOptions.ORDERED, EveJobOptions.MAX_BATCH_SIZE, EveJobOptions.MAX_WAIT, EveJobOptions.POLICIES_FILE,
        EveJobOptions.CAPTION_QUESTION, EveJobOptions.STARTING_OFFSETS
    };

    /** Parses {@code --key value} program arguments. */
    public static JobConfig fromArgs(String[] args) {
        ParameterTool params;
        try {
            params = ParameterTool.fromArgs(args);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot parse the program arguments: " + e.getMessage(), e);
        }
        return fromMap(params.toMap());
    }

    /** Validates a map of option keys to values (program arguments or Flink configuration). */
    public static JobConfig fromMap(Map<String, String> raw) {
        Set<String> known = new LinkedHashSet<>();
        for (ConfigOption<?> option : ALL) {
            known.add(option.key());
        }
        Properties kafka = new Properties();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            if (key.startsWith(EveJobOptions.KAFKA_PREFIX) && key.length() > EveJobOptions.KAFKA_PREFIX.length()) {
                kafka.setProperty(key.substring(EveJobOptions.KAFKA_PREFIX.length()), e.getValue());
            } else if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: " + String.join(", ", known)
                        + ", or kafka.<client property>)");
            }
        }
        Configuration conf = new Configuration();
        raw.forEach((k, v) -> {
            if (!k.startsWith(EveJobOptions.KAFKA_PREFIX)) {
                conf.setString(k, v);
            }
        });
        JobConfig config = new JobConfig(
                required(conf, EveJobOptions.BOOTSTRAP_SERVERS),
                nonBlank(conf, EveJobOptions.INPUT_TOPIC),
                nonBlank(conf, EveJobOptions.RESULTS_TOPIC),
                nonBlank(conf, EveJobOptions.FLAGGED_TOPIC),
                nonBlank(conf, EveJobOptions.DEAD_LETTER_TOPIC),
                nonBlank(conf, EveJobOptions.POLICIES_TOPIC),
                nonBlank(conf, EveJobOptions.GROUP_ID),
                required(conf, EveJobOptions.MODEL_DIR),
                nonBlank(conf, EveJobOptions.DEVICE),
                delivery(get(conf, EveJobOptions.DELIVERY)),
                positive(conf, EveJobOptions.CHECKPOINT_INTERVAL),
                positive(conf, EveJobOptions.TRANSACTION_TIMEOUT),
                atLeastOne(conf, EveJobOptions.ASYNC_CAPACITY),
                positive(conf, EveJobOptions.ASYNC_TIMEOUT),
                get(conf, EveJobOptions.ORDERED),
                atLeastOne(conf, EveJobOptions.MAX_BATCH_SIZE),
                get(conf, EveJobOptions.MAX_WAIT),
                conf.getOptional(EveJobOptions.POLICIES_FILE).orElse(null),
                nonBlank(conf, EveJobOptions.CAPTION_QUESTION),
                nonBlank(conf, EveJobOptions.STARTING_OFFSETS),
                kafka);
        if (config.transactionTimeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException("--" + EveJobOptions.TRANSACTION_TIMEOUT.key() + " "
                    + config.transactionTimeout + " exceeds the broker's default maximum of 15 minutes");
        }
        if (config.maxWait.isNegative()) {
            throw new IllegalArgumentException("--" + EveJobOptions.MAX_WAIT.key() + " must not be negative");
        }
        if (!STARTING.contains(config.startingOffsets)) {
            throw new IllegalArgumentException("--" + EveJobOptions.STARTING_OFFSETS.key() + " must be one of "
                    + STARTING + ", got '" + config.startingOffsets + "'");
        }
        return config;
    }

    /** Kafka client properties with secret values masked, for logs. */
    public Map<String, String> redactedKafkaProperties() {
        Map<String, String> out = new TreeMap<>();
        for (String key : kafkaProperties.stringPropertyNames()) {
            out.put(key, SECRET.matcher(key).matches() ? "******" : kafkaProperties.getProperty(key));
        }
        return out;
    }

    @Override
    public Properties kafkaProperties() {
        Properties copy = new Properties();
        copy.putAll(kafkaProperties);
        return copy;
    }

    @Override
    public String toString() {
        return "JobConfig{bootstrapServers=" + bootstrapServers + ", topics=" + inputTopic + " -> " + resultsTopic
                + " | " + flaggedTopic + " | " + deadLetterTopic + ", policiesTopic=" + policiesTopic
                + ", groupId=" + groupId + ", modelDir=" + modelDir
                + ", device=" + device + ", delivery=" + delivery + ", checkpointInterval=" + checkpointInterval
                + ", asyncCapacity=" + asyncCapacity + ", asyncTimeout=" + asyncTimeout + ", ordered=" + ordered
                + ", maxBatchSize=" + maxBatchSize + ", maxWait=" + maxWait + ", policiesFile=" + policiesFile
                + ", captionQuestion='" + captionQuestion + "'"
                + ", kafka=" + redactedKafkaProperties() + "}";
    }

    private static <T> T get(Configuration conf, ConfigOption<T> option) {
        try {
            return conf.get(option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + option.key() + ": " + e.getMessage(), e);
        }
    }

    private static String required(Configuration conf, ConfigOption<String> option) {
        String value = conf.getOptional(option).orElse(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing required option --" + option.key() + ": "
                    + option.description());
        }
        return value.strip();
    }

    private static String nonBlank(Configuration conf, ConfigOption<String> option) {
        String value = get(conf, option);
        if (value.isBlank()) {
            throw new IllegalArgumentException("--" + option.key() + " must not be blank");
        }
        return value.strip();
    }

    private static Duration positive(Configuration conf, ConfigOption<Duration> option) {
        Duration d = get(conf, option);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--" + option.key() + " must be positive, got " + d);
        }
        return d;
    }

    private static int atLeastOne(Configuration conf, ConfigOption<Integer> option) {
        int v = get(conf, option);
        if (v < 1) {
            throw new IllegalArgumentException("--" + option.key() + " must be >= 1, got " + v);
        }
        return v;
    }

    private static DeliveryGuarantee delivery(String value) {
        switch (value) {
            case "exactly-once":
                return DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once":
                return DeliveryGuarantee.AT_LEAST_ONCE;
            default:
                throw new IllegalArgumentException("--" + EveJobOptions.DELIVERY.key()
                        + " must be exactly-once or at-least-once, got '" + value + "'");
        }
    }
}
