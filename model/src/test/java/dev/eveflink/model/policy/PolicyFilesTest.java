package dev.eveflink.model.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {

    private static final String YAML = """
            version: "2026-11-27"
            policies:
              - id: prohibited-symbol
                version: 3
                questions: ["is there a cross?", "is there an x?"]
                review: 0.35
                flag: 0.5
                action: quarantine
                tenants: [acme, globex]
              - id: red-alert
                question: is there anything red?
                flag: 0.6
            """;

    @Test
    void readsEveryFieldOfTheYamlFormat() {
        PolicySet set = PolicyFiles.parse(YAML, "policies.yaml");

        assertThat(set.version()).isEqualTo("2026-11-27");
        assertThat(set.ids()).containsExactly("prohibited-symbol", "red-alert");
        ModerationPolicy symbol = set.policy("prohibited-symbol").orElseThrow();
        assertThat(symbol).isEqualTo(new ModerationPolicy("prohibited-symbol", "3",
                List.of("is there a cross?", "is there an x?"), 0.35, 0.5, PolicyAction.QUARANTINE,
                Set.of("acme", "globex")));
        ModerationPolicy red = set.policy("red-alert").orElseThrow();
        assertThat(red).isEqualTo(ModerationPolicy.of("red-alert", "is there anything red?", 0.6, 0.6));
    }

    @Test
    void jsonIsTheSameFormatAndRoundTrips() {
        PolicySet set = PolicyFiles.parse(YAML, "policies.yaml");
        String json = PolicyFiles.toJson(set);

        assertThat(PolicyFiles.parse(json, "policies.json")).isEqualTo(set);
    }

    @Test
    void acceptsTheBareListOfTheFirstJobRelease() {
        PolicySet set = PolicyFiles.parse("""
                [{"id": "red-alert", "question": "is there anything red?", "review": 0.4, "flag": 0.5}]
                """, "old.json");

        assertThat(set.version()).isEqualTo("1");
        assertThat(set.policies()).containsExactly(ModerationPolicy.of("red-alert", "is there anything red?", 0.4, 0.5));
    }

    @Test
    void reviewDefaultsToFlagAndVersionsToOne() {
        PolicySet set = PolicyFiles.parse("policies:\n  - {id: a, question: \"q?\", flag: 0.7}\n", "short.yaml");

        assertThat(set.version()).isEqualTo("1");
        assertThat(set.policies()).containsExactly(ModerationPolicy.of("a", "q?", 0.7, 0.7));
        assertThat(set.policies().get(0).decide(0.69)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void aPolicySetSurvivesJavaSerialization() throws Exception {
        PolicySet set = PolicyFiles.parse(YAML, "policies.yaml");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(set);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(set);
        }
    }

    @Test
    void theReadmesYamlAndJsonExamplesAreTheSameValidSet() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("## Moderation"));
        int yamlStart = section.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = section.substring(yamlStart, section.indexOf("```", yamlStart));
        String jsonMarker = "The JSON equivalent: `";
        int jsonStart = section.indexOf(jsonMarker) + jsonMarker.length();
        String json = section.substring(jsonStart, section.indexOf('`', jsonStart)).replace('\n', ' ');

        PolicySet fromYaml = PolicyFiles.parse(yaml, "README yaml");
        assertThat(PolicyFiles.parse(json, "README json")).isEqualTo(fromYaml);
        assertThat(fromYaml.policy("prohibited-symbol").orElseThrow()).isEqualTo(new ModerationPolicy(
                "prohibited-symbol", "3", List.of("is there a cross?", "is there an x?"), 0.35, 0.5,
                PolicyAction.QUARANTINE, Set.of("acme", "globex")));
    }

    @Test
    void tenantScopeSelectsPolicies() {
        PolicySet set = PolicyFiles.parse(YAML, "policies.yaml");

        assertThat(set.forTenant("acme")).extracting(ModerationPolicy::id)
                .containsExactly("prohibited-symbol", "red-alert");
        assertThat(set.forTenant("initech")).extracting(ModerationPolicy::id).containsExactly("red-alert");
        assertThat(set.forTenant(null)).extracting(ModerationPolicy::id).containsExactly("red-alert");
    }

    @Test
    void decisionsFollowTheThresholdsAndQuestionsCombineByMax() {
        ModerationPolicy p = new ModerationPolicy("p", "1", List.of("a?", "b?"), 0.3, 0.7, PolicyAction.BLOCK,
                Set.of());

        assertThat(p.decide(0.29)).isEqualTo(Decision.ALLOW);
        assertThat(p.decide(0.3)).isEqualTo(Decision.REVIEW);
        assertThat(p.decide(0.69)).isEqualTo(Decision.REVIEW);
        assertThat(p.decide(0.7)).isEqualTo(Decision.FLAG);
        assertThat(p.combine(new double[] {0.1, 0.8})).isEqualTo(0.8);
        assertThat(Decision.REVIEW.max(Decision.ALLOW)).isEqualTo(Decision.REVIEW);
        assertThat(Decision.REVIEW.max(Decision.FLAG)).isEqualTo(Decision.FLAG);
    }

    @Test
    void errorsNameTheLine() {
        assertError(YAML.replace("    flag: 0.6", "    flg: 0.6"), 12, "unknown key 'flg'");
        assertError(YAML.replace("review: 0.35", "review: 0.9"), 3, "review threshold of policy 'prohibited-symbol'");
        assertError(YAML.replace("flag: 0.6", "flag: lots"), 12, "'flag' must be a number, got 'lots'");
        assertError(YAML.replace("action: quarantine", "action: burn"), 8, "unknown action 'burn'");
        assertError(YAML.replace("id: red-alert", "id: prohibited-symbol"), 10, "appears twice");
        assertError(YAML.replace("    question: is there anything red?\n", ""), 10,
                "needs exactly one of 'question' or 'questions'");
        assertError(YAML.replace("    flag: 0.6\n", ""), 10, "policy 'red-alert' lacks 'flag'");
        assertError(YAML.replace("[acme, globex]", "[acme, globex"), 10, "not valid YAML/JSON");
        assertError("{\"policies\": [{\"id\": \"x\", \"question\": \"q?\", \"flag\": 2}]}", 1,
                "flag threshold of policy 'x' must be in (0, 1]");
        assertError("", 0, "empty");
        assertError("version: 1\n", 1, "needs a 'policies' list");
        assertError("[{\"id\": \"a\", \"flag\": 0.7}]", 1, "needs exactly one of 'question' or 'questions'");
        assertError("{}", 1, "needs a 'policies' list");
        assertError("policies:\n  - {id: a, questions: [is it red?, is it big?], flag: 0.5}\n", 2,
                "must be quoted");
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("p.yaml"), YAML);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), YAML.replace("flag: 0.5", "flag: -1"));

        assertThat(PolicyFiles.read(good).ids()).hasSize(2);
        assertThatThrownBy(() -> PolicyFiles.read(bad)).hasMessageStartingWith(bad + ":3: ");
        assertThatThrownBy(() -> PolicyFiles.read(dir.resolve("missing.yaml")))
                .isInstanceOf(PolicyFileException.class).hasMessageContaining("cannot read");
    }

    private static void assertError(String text, int line, String fragment) {
        assertThatThrownBy(() -> PolicyFiles.parse(text, "f.yaml"))
                .isInstanceOfSatisfying(PolicyFileException.class, e -> assertThat(e.line()).isEqualTo(line))
                .hasMessageStartingWith(line > 0 ? "f.yaml:" + line + ": " : "f.yaml: ")
                .hasMessageContaining(fragment);
    }
}
