package dev.eveflink.operators.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.IngestEnvelope;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.testutils.ImageEvents;

import org.apache.avro.SchemaNormalization;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

class ImageEventDeserializerTest {

    private static final Instant NOW = Instant.parse("2026-02-03T04:05:06Z");
    private static final ImageEventDeserializer DESERIALIZER =
            new ImageEventDeserializer().withClock(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void roundTripsEveryField() {
        for (ImageEvent event :
                List.of(
                        ImageEvents.caption("a", new byte[] {9, 8, 7}),
                        ImageEvents.vqaByUri("b", "file:/images/x.png", "What colour?"),
                        ImageEvents.moderateFull("c"))) {
            ProducerRecord<byte[], byte[]> produced = ImageEvents.record("in", event);

            List<IngestEnvelope> out = deserialize(consumed(produced, 3, 17));

            assertThat(out).hasSize(1);
            assertThat(out.get(0).getDeadLetter()).isNull();
            assertThat(out.get(0).getEvent()).isEqualTo(event);
        }
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        ImageEvent event = ImageEvents.caption("a", new byte[] {1});
        assertThat(event.getPriority()).isEqualTo(5);
        assertThat(event.getTenant()).isNull();
        assertThat(event.getPolicies()).isNull();
        assertThat(event.getDeadline()).isNull();
        assertThat(event.getMaxNewTokens()).isNull();
    }

    static Stream<Arguments> badValues() {
        byte[] valid = ImageEvents.record("in", ImageEvents.moderateFull("x")).value();
        byte[] unknownFingerprint = valid.clone();
        unknownFingerprint[5] ^= 0x55; // inside the 8-byte fingerprint after the 2-byte marker
        byte[] random = new byte[300];
        new Random(7).nextBytes(random);
        byte[] hugeString = headerOfCurrentSchema();
        // id: zig-zag varint length 2^30 - 1 (a 1 GiB string claim in a 16-byte record)
        hugeString =
                concat(
                        hugeString,
                        new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
        byte[] negativeLength = concat(headerOfCurrentSchema(), new byte[] {0x03, 'a'});
        byte[] badUnionIndex = valid.clone();
        return Stream.of(
                Arguments.of("null value", null, ErrorCode.EMPTY_VALUE),
                Arguments.of("empty value", new byte[0], ErrorCode.EMPTY_VALUE),
                Arguments.of(
                        "plain text",
                        "hello".getBytes(StandardCharsets.UTF_8),
                        ErrorCode.UNDECODABLE_VALUE),
                Arguments.of(
                        "json",
                        "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                        ErrorCode.UNDECODABLE_VALUE),
                Arguments.of("random bytes", random, ErrorCode.UNDECODABLE_VALUE),
                Arguments.of(
                        "marker only", new byte[] {(byte) 0xC3, 0x01}, ErrorCode.UNDECODABLE_VALUE),
                Arguments.of(
                        "unknown writer schema",
                        unknownFingerprint,
                        ErrorCode.UNKNOWN_WRITER_SCHEMA),
                Arguments.of("header only", headerOfCurrentSchema(), ErrorCode.UNDECODABLE_VALUE),
                Arguments.of(
                        "truncated body",
                        Arrays.copyOf(valid, valid.length - 5),
                        ErrorCode.UNDECODABLE_VALUE),
                Arguments.of("huge length claim", hugeString, ErrorCode.UNDECODABLE_VALUE),
                Arguments.of("negative length", negativeLength, ErrorCode.UNDECODABLE_VALUE),
                Arguments.of(
                        "trailing bytes",
                        concat(valid, new byte[] {0}),
                        ErrorCode.UNDECODABLE_VALUE),
                Arguments.of(
                        "bad union index",
                        withUnionIndexCorrupted(badUnionIndex),
                        ErrorCode.UNDECODABLE_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badBytesBecomeOneDeadLetterWithTheOriginalBytes(
            String name, byte[] value, ErrorCode expected) {
        byte[] key = "key-1".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        "requests", 2, 1234L, key.clone(), value == null ? null : value.clone());

        List<IngestEnvelope> out = new ArrayList<>();
        assertThatCode(() -> out.addAll(deserialize(record))).doesNotThrowAnyException();

        assertThat(out).hasSize(1);
        assertThat(out.get(0).getEvent()).isNull();
        DeadLetter dead = out.get(0).getDeadLetter();
        assertThat(dead.getErrorCode()).isEqualTo(expected.name());
        assertThat(dead.getErrorMessage()).isNotBlank();
        assertThat(bytes(dead.getKey())).isEqualTo(key);
        assertThat(dead.getValue() == null ? null : bytes(dead.getValue())).isEqualTo(value);
        assertThat(dead.getTopic()).isEqualTo("requests");
        assertThat(dead.getPartition()).isEqualTo(2);
        assertThat(dead.getOffset()).isEqualTo(1234L);
        assertThat(dead.getFailedAt()).isEqualTo(NOW);
    }

    @Test
    void hugeLengthClaimIsRefusedBeforeAllocating() {
        byte[] claim =
                concat(
                        headerOfCurrentSchema(),
                        new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
        DeadLetter dead =
                deserialize(new ConsumerRecord<>("requests", 0, 0L, null, claim))
                        .get(0)
                        .getDeadLetter();
        assertThat(dead.getErrorMessage())
                .contains("claims 1073741823")
                .contains("only 0 bytes remain");
    }

    @Test
    void nullKeyStaysNullInTheDeadLetter() {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("requests", 0, 5L, null, new byte[] {1});
        DeadLetter dead = deserialize(record).get(0).getDeadLetter();
        assertThat(dead.getKey()).isNull();
        assertThat(bytes(dead.getValue())).containsExactly(1);
    }

    @Test
    void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
        ImageEventDeserializer copy =
                org.apache.flink.util.InstantiationUtil.clone(new ImageEventDeserializer());
        ImageEvent event = ImageEvents.moderateFull("s");
        List<IngestEnvelope> out = new ArrayList<>();
        copy.deserialize(consumed(ImageEvents.record("in", event), 0, 0), collector(out));
        assertThat(out.get(0).getEvent()).isEqualTo(event);
        assertThat(copy.getProducedType().getTypeClass()).isEqualTo(IngestEnvelope.class);
    }

    static List<IngestEnvelope> deserialize(ConsumerRecord<byte[], byte[]> record) {
        List<IngestEnvelope> out = new ArrayList<>();
        DESERIALIZER.deserialize(record, collector(out));
        return out;
    }

    static ConsumerRecord<byte[], byte[]> consumed(
            ProducerRecord<byte[], byte[]> produced, int partition, long offset) {
        return new ConsumerRecord<>(
                produced.topic(), partition, offset, produced.key(), produced.value());
    }

    static <T> Collector<T> collector(List<T> out) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    /** The 10-byte single-object header of today's ImageEvent schema: C3 01 + fingerprint (LE). */
    private static byte[] headerOfCurrentSchema() {
        long fp = SchemaNormalization.parsingFingerprint64(ImageEvent.getClassSchema());
        ByteBuffer header = ByteBuffer.allocate(10).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 0xC3).put((byte) 0x01).putLong(fp);
        return header.array();
    }

    /** Corrupts the image union index (first byte after id, tenant null, timestamp). */
    private static byte[] withUnionIndexCorrupted(byte[] valid) {
        // Rebuild from a known event so the offset is computable: id "x" = 02 78, tenant union 0 =
        // 00,
        // timestamp = zig-zag varint; the image union index follows.
        byte[] value = ImageEvents.record("in", ImageEvents.caption("x", new byte[] {1})).value();
        int pos = 10 + 2 + 1;
        while ((value[pos] & 0x80) != 0) {
            pos++;
        }
        pos++;
        value[pos] = 0x7E; // union index 63: no such branch
        return value;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
