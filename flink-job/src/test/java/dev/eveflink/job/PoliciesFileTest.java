package dev.eveflink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.operators.inference.InferenceOptions;
import dev.eveflink.operators.inference.ModerationQuestion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoliciesFileTest {
    @TempDir
    Path dir;

    @Test
    void policiesRoundTripAndReachTheInferenceOptions() throws Exception {
        List<ModerationQuestion> policies = List.of(
                new ModerationQuestion("red-alert", "is there anything red?", 0.4, 0.5),
                new ModerationQuestion("prohibited-symbol", "is there a cross?", 0.5, 0.5));
        Path file = Files.writeString(dir.resolve("policies.json"), PoliciesFile.toJson(policies));
        assertThat(PoliciesFile.read(file)).isEqualTo(policies);

        JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap-servers", "127.0.0.1:9092",
            "--model-dir", "/models/m", "--policies-file", file.toString(), "--caption-question", "describe it."});
        InferenceOptions options = EveJob.inferenceOptions(config);
        assertThat(options.moderationPolicies()).isEqualTo(policies);
        assertThat(options.captionQuestion()).isEqualTo("describe it.");
    }

    @Test
    void reviewDefaultsToFlagAndBadEntriesAreNamed() throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.json"), "[{\"id\":\"a\",\"question\":\"q?\",\"flag\":0.7}]");
        assertThat(PoliciesFile.read(ok)).containsExactly(new ModerationQuestion("a", "q?", 0.7, 0.7));

        Path missing = Files.writeString(dir.resolve("missing.json"), "[{\"id\":\"a\",\"flag\":0.7}]");
        assertThatThrownBy(() -> PoliciesFile.read(missing)).hasMessageContaining("entry 0")
                .hasMessageContaining("question");
        Path notArray = Files.writeString(dir.resolve("object.json"), "{}");
        assertThatThrownBy(() -> PoliciesFile.read(notArray)).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> PoliciesFile.read(dir.resolve("absent.json"))).hasMessageContaining("absent.json");
    }
}
