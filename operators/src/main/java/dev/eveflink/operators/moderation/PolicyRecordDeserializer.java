package dev.eveflink.operators.moderation;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the policy topic without interpreting it: every record, tombstones included, becomes one
 * {@link PolicyRecord}. Checking happens in {@link PolicyUpdateValidator}, so that a bad record is a
 * dead letter rather than a failed source.
 */
public final class PolicyRecordDeserializer implements KafkaRecordDeserializationSchema<PolicyRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<PolicyRecord> out) {
        out.collect(new PolicyRecord(record.key(), record.value(), record.topic(), record.partition(),
                record.offset(), record.timestamp()));
    }

    @Override
    public TypeInformation<PolicyRecord> getProducedType() {
        return TypeInformation.of(PolicyRecord.class);
    }
}
