package dev.eveflink.operators.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.testutils.ImageEvents;
import dev.eveflink.operators.kafka.LocalKafkaBroker;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A bounded Flink KafkaSource with {@link ImageEventDeserializer} on a MiniCluster against a real
 * in-process broker: every event arrives, and every undecodable record reaches the dead-letter
 * topic with its original bytes and offsets.
 */
class ImageEventKafkaSourceITCase {

    private static final int EVENTS = 1_000;
    private static final int PARTITIONS = 2;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARTITIONS)
                            .build());

    private static LocalKafkaBroker kafka;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = LocalKafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readsEveryEvent() throws Exception {
        String topic = "requests-clean";
        kafka.createTopic(topic, PARTITIONS);
        kafka.produce(events(topic));

        Pipeline run = runPipeline(topic, null);

        assertThat(run.events).hasSize(EVENTS);
        assertThat(run.events.stream().map(ImageEvent::getId).collect(Collectors.toSet()))
                .isEqualTo(expectedIds());
        assertThat(run.events).contains(ImageEvents.numbered(0), ImageEvents.numbered(EVENTS - 1));
    }

    @Test
    void garbageBecomesDeadLettersWithOriginalBytesAndOffsets() throws Exception {
        String topic = "requests-mixed";
        String dlq = "requests-mixed.dlq";
        kafka.createTopic(topic, PARTITIONS);
        kafka.createTopic(dlq, 1);
        List<ProducerRecord<byte[], byte[]>> records = events(topic);
        List<ProducerRecord<byte[], byte[]>> garbage = garbage(topic);
        // Interleave: one garbage record after every 100 events.
        List<ProducerRecord<byte[], byte[]>> mixed = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            mixed.add(records.get(i));
            if (i % 100 == 50) {
                mixed.add(garbage.get(i / 100));
            }
        }
        List<RecordMetadata> written = kafka.produce(mixed);
        Map<String, ProducerRecord<byte[], byte[]>> garbageAt = new HashMap<>();
        for (int i = 0; i < mixed.size(); i++) {
            if (garbage.contains(mixed.get(i))) {
                garbageAt.put(
                        written.get(i).partition() + "@" + written.get(i).offset(), mixed.get(i));
            }
        }
        assertThat(garbageAt).hasSize(10);

        Pipeline run = runPipeline(topic, dlq);

        assertThat(run.events).hasSize(EVENTS);
        assertThat(run.events.stream().map(ImageEvent::getId).collect(Collectors.toSet()))
                .isEqualTo(expectedIds());

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.consumeAll(dlq);
        assertThat(dead).hasSize(10);
        Set<String> seen = new java.util.HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            DeadLetter letter = DeadLetter.fromByteBuffer(ByteBuffer.wrap(record.value()));
            String where = letter.getPartition() + "@" + letter.getOffset();
            ProducerRecord<byte[], byte[]> original = garbageAt.get(where);
            assertThat(original)
                    .as("dead letter %s matches a produced garbage record", where)
                    .isNotNull();
            assertThat(letter.getTopic()).isEqualTo(topic);
            assertThat(bytesOrNull(letter.getKey())).isEqualTo(original.key());
            assertThat(bytesOrNull(letter.getValue())).isEqualTo(original.value());
            assertThat(record.key())
                    .as("dead letters keyed by the original key")
                    .isEqualTo(original.key());
            assertThat(letter.getErrorCode())
                    .isIn(ErrorCode.EMPTY_VALUE.name(), ErrorCode.UNDECODABLE_VALUE.name());
            seen.add(where);
        }
        assertThat(seen).isEqualTo(garbageAt.keySet());
    }

    /** What one bounded run of the pipeline produced. */
    private static final class Pipeline {
        final List<ImageEvent> events = new ArrayList<>();
    }

    /** source -> split; events are collected; dead letters go to {@code dlq} (if given). */
    private static Pipeline runPipeline(String topic, String dlq) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARTITIONS);
        KafkaSource<IngestEnvelope> source =
                KafkaSource.<IngestEnvelope>builder()
                        .setBootstrapServers(kafka.bootstrapServers())
                        .setTopics(topic)
                        .setGroupId("it-" + topic)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(new ImageEventDeserializer())
                        .build();
        SingleOutputStreamOperator<ImageEvent> events =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka-requests")
                        .process(new DeadLetterSplitFunction())
                        .name("split-dead-letters");
        if (dlq != null) {
            events.getSideOutput(DeadLetterSplitFunction.DEAD_LETTERS)
                    .sinkTo(
                            KafkaSink.<DeadLetter>builder()
                                    .setBootstrapServers(kafka.bootstrapServers())
                                    .setRecordSerializer(new DeadLetterSerializer(dlq))
                                    .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                    .build())
                    .name("kafka-dlq");
        }
        Pipeline run = new Pipeline();
        try (CloseableIterator<ImageEvent> collected = events.collectAsync()) {
            JobClient job = env.executeAsync("image-event-source-" + topic);
            collected.forEachRemaining(run.events::add);
            job.getJobExecutionResult().get();
        }
        return run;
    }

    private static List<ProducerRecord<byte[], byte[]>> events(String topic) {
        return IntStream.range(0, EVENTS)
                .mapToObj(i -> ImageEvents.record(topic, ImageEvents.numbered(i)))
                .collect(Collectors.toList());
    }

    /** Ten undecodable records of several kinds, each with a distinct key. */
    private static List<ProducerRecord<byte[], byte[]>> garbage(String topic) {
        Random random = new Random(42);
        byte[] valid = ImageEvents.record(topic, ImageEvents.numbered(7)).value();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] noise = new byte[20 + random.nextInt(200)];
            random.nextBytes(noise);
            values.add(noise);
        }
        values.add("not avro at all".getBytes(StandardCharsets.UTF_8));
        values.add("{\"id\":\"json\"}".getBytes(StandardCharsets.UTF_8));
        values.add(Arrays.copyOf(valid, valid.length - 3)); // truncated
        values.add(Arrays.copyOf(valid, 10)); // header only
        values.add(new byte[0]); // empty
        values.add(null); // tombstone
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            records.add(
                    new ProducerRecord<>(
                            topic,
                            ("garbage-" + i).getBytes(StandardCharsets.UTF_8),
                            values.get(i)));
        }
        return records;
    }

    private static Set<String> expectedIds() {
        return IntStream.range(0, EVENTS).mapToObj(i -> "event-" + i).collect(Collectors.toSet());
    }

    private static byte[] bytesOrNull(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
