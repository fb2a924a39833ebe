package dev.eveflink.job;

import dev.eveflink.job.tools.EventProducer;
import dev.eveflink.job.tools.ResultVerifier;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.kafka.LocalKafkaBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka side of the job's integration tests: topics per test, producing events, reading outcomes. */
final class JobTestKafka {
    /** Big enough for the over-the-limit image of the bad-input corpus (the broker allows 16 MiB). */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private final LocalKafkaBroker broker;

    JobTestKafka(LocalKafkaBroker broker) {
        this.broker = broker;
    }

    /**
     * A job configuration with its own four topics (two partitions each), its compacted policy topic and
     * consumer group, named after {@code name}.
     */
    JobConfig createJob(String name, String modelDir, String... extraArgs) throws Exception {
        return createJob(name, modelDir, 2, extraArgs);
    }

    /** As {@link #createJob(String, String, String...)} with {@code partitions} partitions per topic. */
    JobConfig createJob(String name, String modelDir, int partitions, String... extraArgs) throws Exception {
        for (String suffix : List.of("requests", "results", "flagged", "dead-letters")) {
            broker.createTopic(name + "." + suffix, partitions);
        }
        try (Admin admin = Admin.create(broker.clientProperties())) {
            admin.createTopics(List.of(KafkaIo.policiesTopic(name + ".policies", (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", broker.bootstrapServers(),
                "--input-topic", name + ".requests",
                "--results-topic", name + ".results",
                "--flagged-topic", name + ".flagged",
                "--dead-letter-topic", name + ".dead-letters",
                "--policies-topic", name + ".policies",
                "--group-id", name,
                "--model-dir", modelDir,
                "--device", "cpu",
                "--checkpoint-interval", "500ms",
                "--max-batch-size", "8",
                "--async-capacity", "16",
                "--async-timeout", "120s",
                "--starting-offsets", "earliest"));
        args.addAll(List.of(extraArgs));
        return JobConfig.fromArgs(args.toArray(String[]::new));
    }

    /** Shapes-world events {@code <prefix>-0 .. <prefix>-(count-1)}: captions and questions, short answers. */
    static List<ImageEvent> worldEvents(String prefix, int count, long seed) {
        List<ImageEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ImageEvent e = EventProducer.event(prefix + "-" + i, World.sample(seed, i), i);
            e.setMaxNewTokens(6);
            events.add(e);
        }
        return events;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, ImageEvent event) throws Exception {
        return record(topic, event.getId(), toBytes(event));
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    static byte[] toBytes(ImageEvent event) throws Exception {
        ByteBuffer b = event.toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        props.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_REQUEST_BYTES));
        props.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(4 * MAX_REQUEST_BYTES));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r);
            }
            producer.flush();
        }
    }

    /**
     * Id -> answers (OK results plus dead letters), read_committed, once every id is in and nothing new
     * arrived for 3 s (so late duplicates show), or the timeout.
     */
    Map<String, Integer> accounted(JobConfig config, int expected, Duration timeout) {
        return ResultVerifier.count(broker.bootstrapServers(), config.resultsTopic(), config.deadLetterTopic(),
                expected, timeout, Duration.ofSeconds(3));
    }

    /** As {@link #accounted} but returns as soon as {@code atLeast} ids are in (mid-stream). */
    Map<String, Integer> accountedAtLeast(JobConfig config, int atLeast, Duration timeout) {
        return ResultVerifier.count(broker.bootstrapServers(), config.resultsTopic(), config.deadLetterTopic(),
                atLeast, timeout, Duration.ZERO);
    }

    /** Every committed result, by id (a list per id, so duplicates show). */
    Map<String, List<InferenceResult>> results(JobConfig config) throws Exception {
        Map<String, List<InferenceResult>> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.consumeAll(config.resultsTopic())) {
            InferenceResult result = InferenceResult.fromByteBuffer(ByteBuffer.wrap(r.value()));
            out.computeIfAbsent(result.getId(), k -> new ArrayList<>()).add(result);
        }
        return out;
    }

    /** Every committed dead letter. */
    List<DeadLetter> deadLetters(JobConfig config) throws Exception {
        List<DeadLetter> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.consumeAll(config.deadLetterTopic())) {
            out.add(DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value())));
        }
        return out;
    }
}
