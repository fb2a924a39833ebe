package dev.eveflink.job.tools;

import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.demo.world.WorldSample;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces N ImageEvents of the shapes world (captions and questions, images inline), keyed by id,
 * deterministic per seed. Exits 0 once every record is acknowledged. Ids are {@code <prefix>-<i>}.
 */
public final class EventProducer {
    private static final String USAGE = "EventProducer --bootstrap-servers HOST:PORT --topic T --count N "
            + "[--seed S] [--id-prefix P]";

    private EventProducer() {}

    public static void main(String[] args) throws Exception {
        ToolArgs a = new ToolArgs(args, Set.of("bootstrap-servers", "topic", "count", "seed", "id-prefix"), USAGE);
        String topic = a.required("topic");
        int count = a.integer("count", 1000);
        long seed = a.longValue("seed", 1);
        String prefix = a.get("id-prefix", "evt");
        Properties props = new Properties();
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, a.required("bootstrap-servers"));
        props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        props.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Future<RecordMetadata> last = null;
            for (int i = 0; i < count; i++) {
                ImageEvent event = event(prefix + "-" + i, World.sample(seed, i), i);
                last = producer.send(new ProducerRecord<>(topic, event.getId().getBytes(StandardCharsets.UTF_8),
                        toBytes(event)));
                if ((i + 1) % 100 == 0 || i + 1 == count) {
                    System.err.printf("produced %d/%d%n", i + 1, count);
                }
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        }
        System.out.println("produced=" + count);
    }

    /** Even indexes ask for a caption, odd ones a question of the image's ground truth. */
    public static ImageEvent event(String id, WorldSample sample, int i) {
        boolean caption = i % 2 == 0;
        String question = caption ? null
                : sample.truth().questions().get(i % sample.truth().questions().size()).question();
        return ImageEvent.newBuilder()
                .setId(id)
                .setTimestamp(Instant.ofEpochMilli(1_767_225_600_000L + i))
                .setImage(InlineImage.newBuilder().setData(ByteBuffer.wrap(sample.image())).build())
                .setTask(caption ? Task.CAPTION : Task.VQA)
                .setQuestion(question)
                .build();
    }

    private static byte[] toBytes(ImageEvent event) throws java.io.IOException {
        ByteBuffer buffer = event.toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
