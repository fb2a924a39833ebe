package dev.eveflink.chaosstandin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Stand-in for dev.eveflink.job.tools.ResultVerifier: reads the output topics with read_committed
 * until every input has a result or the timeout passes, then reads up to the current end once more,
 * and prints as its last line {@code total=N lost=L duplicated=D}; exit 0 only when L = D = 0.
 */
public final class ResultVerifier {
    private ResultVerifier() {}

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int total = Integer.parseInt(args.get("input-count"));
        long deadline = System.nanoTime() + args.duration("timeout", "300s").toNanos();
        Properties props = new Properties();
        props.put("bootstrap.servers", args.get("bootstrap-servers"));
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        Set<String> distinct = new HashSet<>();
        long records = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : args.get("topics").split(",")) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            boolean finalPass = false;
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    distinct.add(record.value());
                }
                if (!finalPass && (distinct.size() >= total || System.nanoTime() > deadline)) {
                    finalPass = true; // read once more up to the end offsets as they are now
                }
                if (finalPass && caughtUp(consumer, partitions)) {
                    break;
                }
            }
        }
        long lost = Math.max(0, total - distinct.size());
        long duplicated = records - distinct.size();
        System.out.println("total=" + total + " lost=" + lost + " duplicated=" + duplicated);
        System.exit(lost == 0 && duplicated == 0 ? 0 : 1);
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
    }
}
