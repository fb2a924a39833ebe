package dev.eveflink.job.tools;

import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.ResultStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Checks the job's accounting invariant on Kafka: every input id appears exactly once among the OK
 * results (results topic) and the dead letters (dead-letter topic), read with read_committed. Prints
 * {@code total=N lost=L duplicated=D} as its last line; exits 0 only when L = D = 0.
 */
public final class ResultVerifier {
    private static final String USAGE = "ResultVerifier --bootstrap-servers HOST:PORT --input-count N "
            + "--topics RESULTS,DEAD_LETTERS [--timeout 300s]";

    private ResultVerifier() {}

    public static void main(String[] args) {
        ToolArgs a = new ToolArgs(args, Set.of("bootstrap-servers", "input-count", "topics", "timeout"), USAGE);
        int expected = a.integer("input-count", -1);
        String[] topics = a.required("topics").split(",");
        if (expected < 0 || topics.length != 2) {
            System.err.println("error: --input-count and two --topics (results,dead-letters) are required");
            System.exit(2);
        }
        Duration timeout = a.duration("timeout", Duration.ofMinutes(5));
        Map<String, Integer> seen = count(a.required("bootstrap-servers"), topics[0], topics[1], expected, timeout,
                Duration.ofSeconds(3));
        int duplicated = seen.values().stream().mapToInt(n -> n - 1).sum();
        int lost = Math.max(0, expected - seen.size());
        System.out.printf("total=%d lost=%d duplicated=%d%n", seen.size(), lost, duplicated);
        System.exit(lost == 0 && duplicated == 0 ? 0 : 1);
    }

    /**
     * Id -> how often it was answered, reading until at least {@code expected} ids are in and nothing
     * new came for {@code quiet} (so late duplicates show), or the timeout passes.
     */
    public static Map<String, Integer> count(String bootstrap, String resultsTopic, String deadLetterTopic, int expected,
            Duration timeout, Duration quiet) {
        Properties props = new Properties();
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "eve-verifier-" + UUID.randomUUID());
        props.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Integer> seen = new HashMap<>();
        long end = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(resultsTopic, deadLetterTopic));
            long quietSince = System.nanoTime();
            while (System.nanoTime() < end) {
                List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(500)).forEach(batch::add);
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    String id = answeredId(r, resultsTopic);
                    if (id != null) {
                        seen.merge(id, 1, Integer::sum);
                    }
                }
                if (!batch.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                if (seen.size() >= expected && System.nanoTime() - quietSince >= quiet.toNanos()) {
                    break;
                }
            }
        }
        return seen;
    }

    /** The id an answer accounts for, or null for a non-OK result (its dead letter accounts for it). */
    private static String answeredId(ConsumerRecord<byte[], byte[]> r, String resultsTopic) {
        if (r.topic().equals(resultsTopic)) {
            try {
                InferenceResult result = InferenceResult.fromByteBuffer(java.nio.ByteBuffer.wrap(r.value()));
                return result.getStatus() == ResultStatus.OK ? result.getId() : null;
            } catch (java.io.IOException e) {
                return "undecodable-result@" + r.partition() + "/" + r.offset();
            }
        }
        return r.key() != null ? new String(r.key(), StandardCharsets.UTF_8)
                : "dead-letter@" + r.partition() + "/" + r.offset();
    }
}
