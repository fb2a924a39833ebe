package dev.eveflink.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.policy.Decision;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyAction;
import dev.eveflink.model.policy.PolicySet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code batch} command on the golden tiny model: order, statuses, bad lines, batching invariance. */
class BatchCommandTest {
    private static final Path MODEL = Path.of("src/test/golden/eve-tiny");
    private static final Path IMAGES = MODEL.resolve("images").toAbsolutePath();

    @TempDir
    Path dir;

    private record Run(int exit, List<JsonObject> results, String err) {}

    private Run batch(Path requests, String maxBatch, String... more) throws IOException {
        Path out = dir.resolve("out-" + maxBatch + more.length + ".jsonl");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("batch", "--model", MODEL.toString(), "--requests",
                requests.toString(), "--out", out.toString(), "--max-batch", maxBatch));
        args.addAll(List.of(more));
        int exit = EveCli.run(args.toArray(String[]::new),
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        List<JsonObject> results = Files.exists(out)
                ? Files.readAllLines(out).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList()
                : List.of();
        return new Run(exit, results, stderr.toString(StandardCharsets.UTF_8));
    }

    private Path requests() throws IOException {
        // Relative image paths resolve against the requests file's folder: copy one image next to it.
        Files.copy(IMAGES.resolve("tiny_17x23.png"), dir.resolve("local.png"));
        List<String> lines = List.of(
                "{\"id\":\"a\",\"image\":\"" + IMAGES.resolve("grad_shapes_64x64.png") + "\",\"task\":\"caption\"}",
                "{\"id\":\"b\",\"image\":\"local.png\",\"task\":\"vqa\",\"question\":\"how many shapes are there?\"}",
                "{\"id\":\"c\",\"image\":\"missing.png\",\"task\":\"caption\"}",
                "{\"id\":\"d\",\"image\":\"" + IMAGES.resolve("stripes_80x48.png") + "\",\"task\":\"moderate\"}",
                "not json",
                "{\"id\":\"f\",\"image\":\"" + IMAGES.resolve("gray_60x90.jpg")
                        + "\",\"task\":\"moderate\",\"policies\":[\"red-alert\"]}",
                "{\"id\":\"g\",\"image\":\"local.png\",\"task\":\"moderate\",\"policies\":[\"no-such\"]}",
                "{\"id\":\"h\",\"image\":\"" + IMAGES.resolve("banner_200x30.png") + "\",\"task\":\"caption\"}",
                "{\"id\":\"i\",\"image\":\"" + IMAGES.resolve("alpha_72x56.png")
                        + "\",\"task\":\"vqa\",\"question\":\"what color is the background?\"}");
        Path file = dir.resolve("requests.jsonl");
        Files.write(file, lines);
        return file;
    }

    @Test
    void resultsComeInInputOrderWithBadLinesRejected() throws IOException {
        Run run = batch(requests(), "8");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.results()).extracting(r -> r.get("id").getAsString())
                .containsExactly("a", "b", "c", "d", "line-5", "f", "g", "h", "i");
        assertThat(run.results()).extracting(r -> r.get("status").getAsString())
                .containsExactly("OK", "OK", "REJECTED", "OK", "REJECTED", "OK", "REJECTED", "OK", "OK");
        assertThat(run.results().get(2).get("error").getAsString()).contains("missing.png");
        assertThat(run.results().get(6).get("error").getAsString()).contains("no-such").contains("demo-1");
        JsonObject moderated = run.results().get(3);
        JsonObject all = moderated.getAsJsonObject("scores");
        assertThat(all.keySet()).containsExactly("prohibited-symbol", "red-alert");
        PolicySet demo = DemoPolicy.policySet();
        Decision overall = Decision.ALLOW;
        for (String id : all.keySet()) {
            JsonObject verdict = all.getAsJsonObject(id);
            double score = verdict.get("score").getAsDouble();
            assertThat(score).isBetween(0.0, 1.0);
            Decision decision = demo.policy(id).orElseThrow().decide(score);
            assertThat(verdict.get("decision").getAsString()).isEqualTo(decision.name());
            assertThat(verdict.get("version").getAsString()).isEqualTo("1");
            overall = overall.max(decision);
        }
        assertThat(moderated.get("decision").getAsString()).isEqualTo(overall.name());
        assertThat(moderated.get("policySet").getAsString()).isEqualTo("demo-1");
        assertThat(run.results().get(5).getAsJsonObject("scores").keySet()).containsExactly("red-alert");
        assertThat(run.results().get(0).has("text")).isTrue();
        assertThat(run.err()).contains("9/9").contains("images/s");
    }

    @Test
    void batchingDoesNotChangeGreedyAnswers() throws IOException {
        Path requests = requests();
        Run batched = batch(requests, "8");
        Run single = batch(requests, "1");

        assertThat(single.exit()).as(single.err()).isZero();
        assertThat(single.results()).hasSameSizeAs(batched.results());
        for (int i = 0; i < batched.results().size(); i++) {
            JsonObject b = batched.results().get(i);
            JsonObject s = single.results().get(i);
            assertThat(s.get("status")).isEqualTo(b.get("status"));
            assertThat(s.get("text")).as("text of %s", b.get("id")).isEqualTo(b.get("text"));
            if (b.has("scores")) {
                for (String policy : b.getAsJsonObject("scores").keySet()) {
                    assertThat(s.getAsJsonObject("scores").getAsJsonObject(policy).get("score").getAsDouble())
                            .isCloseTo(b.getAsJsonObject("scores").getAsJsonObject(policy).get("score").getAsDouble(),
                                    org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void aPoliciesFileReplacesTheDemosPoliciesWithItsQuestionsThresholdsAndTenants() throws IOException {
        Files.writeString(dir.resolve("policies.yaml"), """
                version: shop-7
                policies:
                  - id: symbol
                    version: 3
                    questions: ["is there a cross?", "is there anything red?"]
                    review: 0.0001
                    flag: 0.9999
                  - id: acme-red
                    question: is there anything red?
                    flag: 0.5
                    tenants: [acme]
                """);
        String image = IMAGES.resolve("stripes_80x48.png").toString();
        Path requests = Files.write(dir.resolve("moderate.jsonl"), List.of(
                "{\"id\":\"m\",\"image\":\"" + image + "\",\"task\":\"moderate\"}",
                "{\"id\":\"a\",\"image\":\"" + image + "\",\"task\":\"moderate\",\"tenant\":\"acme\"}",
                "{\"id\":\"x\",\"image\":\"" + image + "\",\"task\":\"moderate\",\"policies\":[\"acme-red\"]}",
                "{\"id\":\"q\",\"image\":\"" + image + "\",\"task\":\"vqa\",\"question\":\"is there anything red?\"}"));

        Run run = batch(requests, "4", "--policies", dir.resolve("policies.yaml").toString());
        Run demo = batch(requests, "4");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.results()).extracting(r -> r.get("status").getAsString())
                .containsExactly("OK", "OK", "REJECTED", "OK");
        JsonObject noTenant = run.results().get(0);
        assertThat(noTenant.get("policySet").getAsString()).isEqualTo("shop-7");
        assertThat(noTenant.getAsJsonObject("scores").keySet()).as("acme-red is acme's only").containsExactly("symbol");
        JsonObject symbol = noTenant.getAsJsonObject("scores").getAsJsonObject("symbol");
        assertThat(symbol.get("version").getAsString()).isEqualTo("3");
        // The policy's score is the larger of its two questions' scores, which the demo's two policies ask alone.
        JsonObject demoScores = demo.results().get(0).getAsJsonObject("scores");
        double cross = demoScores.getAsJsonObject("prohibited-symbol").get("score").getAsDouble();
        double red = demoScores.getAsJsonObject("red-alert").get("score").getAsDouble();
        assertThat(symbol.get("score").getAsDouble()).isCloseTo(Math.max(cross, red),
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(symbol.get("decision").getAsString()).isEqualTo(
                new ModerationPolicy("symbol", "3", List.of("c?", "r?"), 0.0001, 0.9999, PolicyAction.BLOCK, Set.of())
                        .decide(symbol.get("score").getAsDouble()).name());
        assertThat(run.results().get(1).getAsJsonObject("scores").keySet()).containsExactly("symbol", "acme-red");
        assertThat(run.results().get(2).get("error").getAsString())
                .contains("'acme-red' does not apply to no tenant");
    }

    @Test
    void aBadPoliciesFileFailsNamingItsLine() throws IOException {
        Path policies = Files.writeString(dir.resolve("bad.yaml"), "policies:\n  - id: a\n    question: \"q?\"\n    flg: 1\n");
        Run run = batch(requests(), "8", "--policies", policies.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(policies + ":4: ").contains("unknown key 'flg'");
    }

    @Test
    void aMissingRequestsFileIsARuntimeError() throws IOException {
        Run run = batch(dir.resolve("nope.jsonl"), "8");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("nope.jsonl");
    }
}
