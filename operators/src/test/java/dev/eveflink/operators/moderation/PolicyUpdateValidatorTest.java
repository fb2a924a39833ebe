package dev.eveflink.operators.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.operators.avro.DeadLetter;
import dev.eveflink.operators.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class PolicyUpdateValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

    @Test
    void validRecordsPassAndInvalidOnesBecomeDeadLettersWithTheirBytes() throws Exception {
        String good = PolicyFiles.toJson(PolicyFixtures.strict("acme"));
        PolicyRecord bad = PolicyFixtures.record("acme", "policies: [", 7);
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new PolicyUpdateValidator(Clock.fixed(NOW, ZoneOffset.UTC)))) {
            harness.processElement(PolicyFixtures.record("acme", good, 6), 1);
            harness.processElement(bad, 2);
            harness.processElement(PolicyFixtures.record("acme", null, 8), 3);

            assertThat(harness.extractOutputValues()).containsExactly(
                    new PolicyUpdate("acme", good, "eve.policies-0@6"),
                    new PolicyUpdate("acme", null, "eve.policies-0@8"));
            List<DeadLetter> dead = harness.getSideOutput(PolicyUpdateValidator.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).toList();
            assertThat(dead).hasSize(1);
            DeadLetter letter = dead.get(0);
            assertThat(letter.getErrorCode()).isEqualTo(ErrorCode.POLICY_INVALID.name());
            assertThat(letter.getErrorMessage()).startsWith("eve.policies-0@7").contains("YAML");
            assertThat(StandardCharsets.UTF_8.decode(letter.getKey()).toString()).isEqualTo("acme");
            assertThat(StandardCharsets.UTF_8.decode(letter.getValue()).toString()).isEqualTo("policies: [");
            assertThat(letter.getTopic()).isEqualTo(PolicyFixtures.TOPIC);
            assertThat(letter.getOffset()).isEqualTo(7);
            assertThat(letter.getSourceTimestamp()).isEqualTo(Instant.ofEpochMilli(bad.timestamp()));
            assertThat(letter.getFailedAt()).isEqualTo(NOW);
        }
    }

    @Test
    void theStreamTypesAreSerializedAsPojosNotKryo() {
        assertThat(TypeInformation.of(PolicyRecord.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PolicyUpdate.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(new PolicyRecordDeserializer().getProducedType()).isInstanceOf(PojoTypeInfo.class);
    }
}
