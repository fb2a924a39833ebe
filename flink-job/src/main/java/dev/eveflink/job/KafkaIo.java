package dev.eveflink.job;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.moderation.PolicyRecord;
import dev.eveflink.operators.moderation.PolicyRecordDeserializer;
import dev.eveflink.operators.moderation.PolicyTopic;
import dev.eveflink.operators.serde.DeadLetterSerializer;
import dev.eveflink.operators.serde.ImageEventDeserializer;
import dev.eveflink.operators.serde.InferenceResultSerializer;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the job's Kafka source and sinks from its configuration. */
public final class KafkaIo {
    private KafkaIo() {}

    /** The source of ImageEvents; undecodable records come out as dead-letter envelopes, never as failures. */
    public static KafkaSource<IngestEnvelope> source(JobConfig config) {
        Properties props = config.kafkaProperties();
        // Only committed results of upstream transactional producers are requests.
        props.putIfAbsent("isolation.level", "read_committed");
        return KafkaSource.<IngestEnvelope>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.inputTopic())
                .setGroupId(config.groupId())
                .setStartingOffsets(startingOffsets(config.startingOffsets()))
                .setDeserializer(new ImageEventDeserializer())
                .setProperties(props)
                .build();
    }

    /**
     * The source of the policy topic: every record from the earliest offset (the compacted topic holds the
     * latest set of every tenant), unparsed; {@link dev.eveflink.operators.moderation.PolicyUpdateValidator}
     * checks them. After a restore it continues from the checkpointed offsets, the sets themselves being in the
     * attach operator's broadcast state.
     */
    public static KafkaSource<PolicyRecord> policySource(JobConfig config) {
        Properties props = config.kafkaProperties();
        props.putIfAbsent("isolation.level", "read_committed");
        return KafkaSource.<PolicyRecord>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.policiesTopic())
                .setGroupId(config.groupId() + "-policies")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new PolicyRecordDeserializer())
                .setProperties(props)
                .build();
    }

    /** The policy topic as the job expects it: compacted, one partition (updates stay in order). */
    public static NewTopic policiesTopic(String name, short replicas) {
        return new NewTopic(name, 1, replicas).configs(PolicyTopic.CONFIG);
    }

    public static KafkaSink<InferenceResult> resultSink(JobConfig config, String topic, String name) {
        return sink(config, new InferenceResultSerializer(topic), name);
    }

    public static KafkaSink<DeadLetter> deadLetterSink(JobConfig config) {
        return sink(config, new DeadLetterSerializer(config.deadLetterTopic()), "dead-letters");
    }

    private static <T> KafkaSink<T> sink(JobConfig config, KafkaRecordSerializationSchema<T> serializer, String name) {
        Properties props = config.kafkaProperties();
        props.setProperty("transaction.timeout.ms", Long.toString(config.transactionTimeout().toMillis()));
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(config.delivery())
                .setKafkaProducerConfig(props);
        if (config.delivery() == DeliveryGuarantee.EXACTLY_ONCE) {
            // One prefix per sink and job: two transactional producers must never share an id.
            builder.setTransactionalIdPrefix(config.groupId() + "-" + name);
        }
        return builder.build();
    }

    private static OffsetsInitializer startingOffsets(String name) {
        switch (name) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }
}
