package dev.eveflink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.inference.InferenceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --policies-file} reaches the operator's options at submit time, or fails naming file and line. */
class EveJobPoliciesTest {
    @TempDir
    Path dir;

    private static final String YAML = """
            version: "2026-11-27"
            policies:
              - id: prohibited-symbol
                version: 2
                questions: ["is there a cross?", "is there an x?"]
                review: 0.35
                flag: 0.5
                action: quarantine
                tenants: [acme]
              - id: red-alert
                question: is there anything red?
                flag: 0.5
            """;

    @Test
    void aYamlPoliciesFileReachesTheInferenceOptions() throws Exception {
        Path file = Files.writeString(dir.resolve("policies.yaml"), YAML);

        InferenceOptions options = EveJob.inferenceOptions(config(file));

        assertThat(options.policies()).isEqualTo(PolicyFiles.read(file));
        assertThat(options.policies().version()).isEqualTo("2026-11-27");
        assertThat(options.captionQuestion()).isEqualTo("describe it.");
    }

    @Test
    void theJsonFormWorksTheSame() throws Exception {
        PolicySet demo = DemoPolicy.policySet();
        Path file = Files.writeString(dir.resolve("policies.json"), PolicyFiles.toJson(demo));

        assertThat(EveJob.inferenceOptions(config(file)).policies()).isEqualTo(demo);
    }

    @Test
    void aMistakeFailsTheSubmissionNamingTheOptionFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), YAML.replace("flag: 0.5\n    action", "flag: 1.5\n    action"));

        assertThatThrownBy(() -> EveJob.inferenceOptions(config(file)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--policies-file " + file + ":3: ")
                .hasMessageContaining("flag threshold of policy 'prohibited-symbol'");
        assertThatThrownBy(() -> EveJob.inferenceOptions(config(dir.resolve("absent.yaml"))))
                .hasMessageContaining("absent.yaml").hasMessageContaining("cannot read");
    }

    @Test
    void withoutAFileThereAreNoPolicies() {
        JobConfig config = JobConfig.fromArgs(new String[] {"--bootstrap-servers", "127.0.0.1:9092",
            "--model-dir", "/models/m"});

        assertThat(EveJob.inferenceOptions(config).policies().isEmpty()).isTrue();
    }

    private static JobConfig config(Path policies) {
        return JobConfig.fromArgs(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--model-dir", "/models/m",
            "--policies-file", policies.toString(), "--caption-question", "describe it."});
    }
}
