package dev.eveflink.operators.moderation;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of the policy topic as read, before it is checked: key and value bytes unchanged (so a
 * rejected record can become a dead letter with its original bytes) and where it was read.
 *
 * @param key the tenant id in UTF-8, or {@code *}; null when the record has none
 * @param value a policies file's text in UTF-8; null for a tombstone
 * @param topic the policy topic
 * @param partition its partition
 * @param offset its offset
 * @param timestamp the record's Kafka timestamp in epoch milliseconds; negative when it has none
 */
public record PolicyRecord(byte[] key, byte[] value, String topic, int partition, long offset, long timestamp) {

    public PolicyRecord {
        Objects.requireNonNull(topic, "topic");
    }

    /** Where the record was read, for messages: {@code topic-partition@offset}. */
    public String source() {
        return topic + "-" + partition + "@" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyRecord r && Arrays.equals(key, r.key) && Arrays.equals(value, r.value)
                && topic.equals(r.topic) && partition == r.partition && offset == r.offset
                && timestamp == r.timestamp;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), topic, partition, offset, timestamp);
    }

    @Override
    public String toString() {
        return "PolicyRecord{" + source() + ", key=" + (key == null ? "null" : key.length + " bytes") + ", value="
                + (value == null ? "tombstone" : value.length + " bytes") + "}";
    }
}
