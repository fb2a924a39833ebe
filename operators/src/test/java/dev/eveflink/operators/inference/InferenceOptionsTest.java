package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyAction;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.validation.ValidationOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InferenceOptionsTest {

    private static InferenceOptions.Builder builder() {
        return InferenceOptions.builder("/models/eve-tiny");
    }

    @Test
    void defaultsAreValidAndTheModelIdIsTheDirectoryName() {
        InferenceOptions options = builder().build();
        assertThat(options.modelId()).isEqualTo("eve-tiny");
        assertThat(options.device()).isEqualTo("gpu");
        assertThat(options.outputOrder()).isEqualTo(OutputOrder.UNORDERED);
        assertThat(options.capacity()).isGreaterThanOrEqualTo(options.maxBatchSize());
        assertThat(options.warnings()).isEmpty();
        assertThat(options.timeoutMillis()).isEqualTo(options.timeout().toMillis());
    }

    @Test
    void everyInvalidOptionIsNamedInItsMessage() {
        assertInvalid(InferenceOptions.builder(" "), "modelDir");
        assertInvalid(builder().setCapacity(0), "capacity");
        assertInvalid(builder().setTimeout(Duration.ZERO), "timeout");
        assertInvalid(builder().setMaxBatchSize(0), "maxBatchSize");
        assertInvalid(builder().setMaxWait(Duration.ofMillis(-1)), "maxWait");
        assertInvalid(builder().setDevice("cuda:0"), "device");
        assertInvalid(builder().setDefaultMaxNewTokens(0), "defaultMaxNewTokens");
        assertInvalid(
                builder().setValidation(ValidationOptions.defaults().withMaxNewTokensLimit(32))
                        .setDefaultMaxNewTokens(33),
                "defaultMaxNewTokens");
        assertInvalid(builder().setCaptionQuestion(""), "captionQuestion");
        assertInvalid(
                builder().setValidation(ValidationOptions.defaults().withMaxQuestionChars(5)),
                "captionQuestion");
        assertInvalid(builder().setEngineOptions(Map.of("maxBatchSize", "4")), "engineOptions");
        assertInvalid(builder().setPolicies(null), "policies");
    }

    private static void assertInvalid(InferenceOptions.Builder builder, String option) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option);
    }

    @Test
    void aCapacityBelowTheBatchSizeIsLegalButWarnedAbout() {
        InferenceOptions options = builder().setCapacity(4).setMaxBatchSize(8).build();
        assertThat(options.warnings())
                .singleElement()
                .asString()
                .contains("capacity (4) < maxBatchSize (8)");
        assertThat(builder().setTimeout(Duration.ofMillis(10)).build().warnings())
                .singleElement()
                .asString()
                .contains("maxWait");
    }

    @Test
    void theEngineKeyCarriesDeviceModelAndBatchingSettings() {
        InferenceOptions options =
                builder().setMaxBatchSize(16)
                        .setMaxWait(Duration.ofMillis(5))
                        .setEngineOptions(Map.of("dtype", "bf16"))
                        .build();
        EngineKey key = options.engineKey("gpu(1)");
        assertThat(key.device()).isEqualTo("gpu(1)");
        assertThat(key.modelDir()).isEqualTo(Path.of("/models/eve-tiny"));
        assertThat(key.options())
                .containsExactly(
                        Map.entry("dtype", "bf16"),
                        Map.entry("maxBatchSize", "16"),
                        Map.entry("maxWait", "PT0.005S"));
        assertThat(options.engineKey("gpu(1)")).isEqualTo(key);
        assertThat(options.engineKey("gpu(0)")).isNotEqualTo(key);
    }

    @Test
    void optionsSurviveJavaSerializationAndCopying() throws Exception {
        InferenceOptions options =
                builder().setPolicies(new PolicySet("v2", List.of(new ModerationPolicy("violence", "3",
                                List.of("Violent?", "Bloody?"), 0.3, 0.5, PolicyAction.LABEL, Set.of("acme")))))
                        .setEngineOptions(Map.of("a", "b"))
                        .setOutputOrder(OutputOrder.ORDERED)
                        .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(options);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(options);
        }
        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(options.toBuilder().setCapacity(7).build().capacity()).isEqualTo(7);
    }
}
