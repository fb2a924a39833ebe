package dev.eveflink.chaosstandin;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stand-in for dev.eveflink.job.tools.EventProducer: sends "event-&lt;seed&gt;-&lt;i&gt;" for i in [0, count)
 * with an idempotent producer and exits 0 once all are acknowledged.
 */
public final class EventProducer {
    private EventProducer() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int count = Integer.parseInt(args.get("count"));
        String seed = args.get("seed", "0");
        Properties props = new Properties();
        props.put("bootstrap.servers", args.get("bootstrap-servers"));
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                String id = "event-" + seed + "-" + i;
                producer.send(new ProducerRecord<>(args.get("topic"), id, id)).get();
            }
        }
        System.out.println("produced " + count);
    }
}
