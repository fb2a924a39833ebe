package dev.eveflink.operators.avro;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.serde.ImageEventDeserializer;
import dev.eveflink.operators.testutils.ImageEvents;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Today's schemas and yesterday's ({@code src/test/resources/avro/v0}) read each other's records:
 * proved with Avro's compatibility checker in both directions and by actually encoding with one and
 * decoding with the other.
 */
class SchemaEvolutionTest {

    static Stream<String> contractTypes() {
        return Stream.of("ImageEvent", "InferenceResult", "DeadLetter");
    }

    static final Map<String, Schema> CURRENT =
            Map.of(
                    "ImageEvent", ImageEvent.getClassSchema(),
                    "InferenceResult", InferenceResult.getClassSchema(),
                    "DeadLetter", DeadLetter.getClassSchema());

    @ParameterizedTest
    @MethodSource("contractTypes")
    void todayReadsYesterdayAndYesterdayReadsToday(String type) throws IOException {
        Schema today = CURRENT.get(type);
        Schema yesterday = v0(type);

        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(today, yesterday).getType())
                .as("%s: today's reader, yesterday's writer", type)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(yesterday, today).getType())
                .as("%s: yesterday's reader, today's writer", type)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest
    @MethodSource("contractTypes")
    void everyFieldAddedSinceYesterdayHasADefault(String type) throws IOException {
        Schema yesterday = v0(type);
        for (Schema.Field field : CURRENT.get(type).getFields()) {
            if (yesterday.getField(field.name()) == null) {
                assertThat(field.hasDefaultValue())
                        .as("%s.%s has a default", type, field.name())
                        .isTrue();
            }
        }
    }

    @Test
    void todayDecodesAnEventYesterdayEncoded() throws IOException {
        Schema v0 = v0("ImageEvent");
        GenericRecord old = v0ImageEvent(v0);

        ImageEvent decoded =
                new SpecificDatumReader<ImageEvent>(v0, ImageEvent.getClassSchema())
                        .read(null, DecoderFactory.get().binaryDecoder(encode(v0, old), null));

        assertThat(decoded.getId()).isEqualTo("old-1");
        assertThat(decoded.getTask()).isEqualTo(Task.VQA);
        assertThat(decoded.getQuestion()).isEqualTo("Is it red?");
        assertThat(decoded.getPriority()).isEqualTo(3);
        assertThat(decoded.getImage())
                .isEqualTo(new InlineImage(ByteBuffer.wrap(new byte[] {4, 5})));
        assertThat(decoded.getTenant()).isNull();
        assertThat(decoded.getPolicies()).isNull();
        assertThat(decoded.getDeadline()).isNull();
        assertThat(decoded.getMaxNewTokens()).isNull();
    }

    @Test
    void yesterdayDecodesAnEventTodayEncoded() throws IOException {
        Schema v0 = v0("ImageEvent");
        ImageEvent today = ImageEvents.moderateFull("new-1");

        GenericRecord decoded =
                new GenericDatumReader<GenericRecord>(ImageEvent.getClassSchema(), v0)
                        .read(
                                null,
                                DecoderFactory.get().binaryDecoder(encodeSpecific(today), null));

        assertThat(decoded.get("id").toString()).isEqualTo("new-1");
        // MODERATE did not exist yesterday: the enum default keeps old readers working.
        assertThat(decoded.get("task").toString()).isEqualTo("UNKNOWN");
        assertThat(decoded.get("priority")).isEqualTo(7);
        assertThat(decoded.getSchema().getField("tenant")).isNull();
    }

    @Test
    void resultsAndDeadLettersTravelBothWays() throws IOException {
        InferenceResult result =
                InferenceResult.newBuilder()
                        .setId("r-1")
                        .setStatus(ResultStatus.OK)
                        .setTask(Task.CAPTION)
                        .setText("a red square")
                        .setModelId("eve-tiny")
                        .setPolicies(
                                List.of(new PolicyVerdict("violence", 0.1f, PolicyDecision.ALLOW, "2",
                                        ModerationAction.BLOCK)))
                        .setGeneratedTokens(4)
                        .build();
        GenericRecord oldResult =
                new GenericDatumReader<GenericRecord>(
                                InferenceResult.getClassSchema(), v0("InferenceResult"))
                        .read(
                                null,
                                DecoderFactory.get().binaryDecoder(encodeSpecific(result), null));
        assertThat(oldResult.get("text").toString()).isEqualTo("a red square");
        assertThat(oldResult.get("status").toString()).isEqualTo("OK");

        InferenceResult back =
                new SpecificDatumReader<InferenceResult>(
                                v0("InferenceResult"), InferenceResult.getClassSchema())
                        .read(
                                null,
                                DecoderFactory.get()
                                        .binaryDecoder(
                                                encode(v0("InferenceResult"), oldResult), null));
        assertThat(back.getText()).isEqualTo("a red square");
        assertThat(back.getPolicies()).isEmpty();
        assertThat(back.getFlagged()).isFalse();
        assertThat(back.getGeneratedTokens()).isZero();

        Schema v0Dead = v0("DeadLetter");
        GenericRecord oldDead = new GenericData.Record(v0Dead);
        oldDead.put("key", ByteBuffer.wrap(new byte[] {1}));
        oldDead.put("value", ByteBuffer.wrap(new byte[] {2}));
        oldDead.put("topic", "t");
        oldDead.put("partition", 0);
        oldDead.put("offset", 9L);
        oldDead.put("errorCode", "UNDECODABLE_VALUE");
        oldDead.put("errorMessage", "m");
        oldDead.put("failedAt", 1000L);
        DeadLetter dead =
                new SpecificDatumReader<DeadLetter>(v0Dead, DeadLetter.getClassSchema())
                        .read(
                                null,
                                DecoderFactory.get().binaryDecoder(encode(v0Dead, oldDead), null));
        assertThat(dead.getOffset()).isEqualTo(9L);
        assertThat(dead.getFailedAt()).isEqualTo(Instant.ofEpochMilli(1000));
        assertThat(dead.getSourceTimestamp()).isNull();
    }

    @Test
    void resultsWithVerdictsTravelBetweenTodayAndTheFirstVerdictSchema() throws IOException {
        Schema v1 = v("v1", "InferenceResult");
        Schema today = InferenceResult.getClassSchema();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(today, v1).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v1, today).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        InferenceResult flagged =
                InferenceResult.newBuilder()
                        .setId("m-1")
                        .setStatus(ResultStatus.OK)
                        .setTask(Task.MODERATE)
                        .setPolicies(
                                List.of(new PolicyVerdict("red-alert", 0.9f, PolicyDecision.REVIEW, "3",
                                        ModerationAction.QUARANTINE)))
                        .setFlagged(true)
                        .setDecision(PolicyDecision.REVIEW)
                        .setPolicySetVersion("2026-11-27")
                        .build();
        GenericRecord old =
                new GenericDatumReader<GenericRecord>(today, v1)
                        .read(null, DecoderFactory.get().binaryDecoder(encodeSpecific(flagged), null));
        GenericRecord oldVerdict = (GenericRecord) ((List<?>) old.get("policies")).get(0);
        assertThat(oldVerdict.get("policyId").toString()).isEqualTo("red-alert");
        assertThat(oldVerdict.get("decision").toString()).isEqualTo("REVIEW");
        assertThat(old.get("flagged")).isEqualTo(true);

        InferenceResult back =
                new SpecificDatumReader<InferenceResult>(v1, today)
                        .read(null, DecoderFactory.get().binaryDecoder(encode(v1, old), null));
        PolicyVerdict verdict = back.getPolicies().get(0);
        assertThat(verdict.getDecision()).isEqualTo(PolicyDecision.REVIEW);
        // Not reported by the old writer: the defaults say so instead of making something up.
        assertThat(verdict.getPolicyVersion()).isEmpty();
        assertThat(verdict.getAction()).isNull();
        assertThat(back.getDecision()).isNull();
        assertThat(back.getPolicySetVersion()).isNull();
        assertThat(back.getFlagged()).isTrue();
    }

    @Test
    void theDeserializerResolvesRegisteredOlderWritersOnTheWire() throws IOException {
        Schema v0 = v0("ImageEvent");
        byte[] wire =
                toArray(
                        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0)
                                .encode(v0ImageEvent(v0)));
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("in", 0, 0L, "old-1".getBytes(StandardCharsets.UTF_8), wire);

        List<IngestEnvelope> knowsV0 = new ArrayList<>();
        new ImageEventDeserializer()
                .withOlderWriterSchemas(v0)
                .deserialize(record, collector(knowsV0));
        assertThat(knowsV0.get(0).getEvent().getId()).isEqualTo("old-1");
        assertThat(knowsV0.get(0).getEvent().getPriority()).isEqualTo(3);

        List<IngestEnvelope> currentOnly = new ArrayList<>();
        new ImageEventDeserializer().deserialize(record, collector(currentOnly));
        assertThat(currentOnly.get(0).getDeadLetter().getErrorCode())
                .isEqualTo(ErrorCode.UNKNOWN_WRITER_SCHEMA.name());
    }

    private static GenericRecord v0ImageEvent(Schema v0) {
        Schema inline = v0.getField("image").schema().getTypes().get(0);
        GenericRecord image = new GenericData.Record(inline);
        image.put("data", ByteBuffer.wrap(new byte[] {4, 5}));
        GenericRecord old = new GenericData.Record(v0);
        old.put("id", "old-1");
        old.put("timestamp", 1_700_000_000_000L);
        old.put("image", image);
        old.put("task", new GenericData.EnumSymbol(v0.getField("task").schema(), "VQA"));
        old.put("question", "Is it red?");
        old.put("priority", 3);
        return old;
    }

    static Schema v0(String type) throws IOException {
        return v("v0", type);
    }

    static Schema v(String version, String type) throws IOException {
        try (InputStream in =
                SchemaEvolutionTest.class.getResourceAsStream("/avro/" + version + "/" + type + ".avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static <T extends SpecificRecord> byte[] encodeSpecific(T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        new SpecificDatumWriter<>(type).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static <T> Collector<T> collector(List<T> out) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
