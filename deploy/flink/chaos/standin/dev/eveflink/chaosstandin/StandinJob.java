package dev.eveflink.chaosstandin;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Stand-in for dev.eveflink.job.EveJob with the same command line: reads the input topic, spends
 * ~20 ms per record (so that a TaskManager kill lands mid-stream), writes "result:&lt;input&gt;" to the
 * results topic with an exactly-once Kafka sink ({@code --delivery at-least-once} for negative tests
 * of the harness). Model, flagged and dead-letter options are accepted and ignored.
 */
public final class StandinJob {
    private StandinJob() {}

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String servers = args.get("bootstrap-servers");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(args.duration("checkpoint-interval", "1s").toMillis());

        KafkaSource<String> source =
                KafkaSource.<String>builder()
                        .setBootstrapServers(servers)
                        .setTopics(args.get("input-topic"))
                        .setGroupId(args.get("group-id"))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        KafkaSink<String> sink =
                KafkaSink.<String>builder()
                        .setBootstrapServers(servers)
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.builder()
                                        .setTopic(args.get("results-topic"))
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .setDeliveryGuarantee(delivery(args.get("delivery", "exactly-once")))
                        .setTransactionalIdPrefix("chaos-standin")
                        // Below the broker's 15-minute maximum (Flink's default of 1 h is refused).
                        .setProperty("transaction.timeout.ms", "60000")
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "requests")
                .map(new SlowResult())
                .name("slow-result")
                .sinkTo(sink)
                .name("results");
        env.execute("eve-flink chaos stand-in");
    }

    private static DeliveryGuarantee delivery(String name) {
        switch (name) {
            case "exactly-once":
                return DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once":
                return DeliveryGuarantee.AT_LEAST_ONCE;
            default:
                throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once: " + name);
        }
    }

    /** Pretends to infer: 20 ms per record. */
    static final class SlowResult implements MapFunction<String, String> {
        @Override
        public String map(String value) throws InterruptedException {
            Thread.sleep(20);
            return "result:" + value;
        }
    }
}
