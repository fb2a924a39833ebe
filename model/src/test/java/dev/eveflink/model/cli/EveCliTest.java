package dev.eveflink.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.testutil.GoldenCases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract, in-process on the golden model: outputs, exit codes, and error lines. */
class EveCliTest {
    private static final GoldenCases GOLDEN = GoldenCases.load();
    private static final String MODEL = GOLDEN.root().toString();

    private record Run(int exit, String out, String err) {
        JsonObject json() {
            assertThat(out.lines().count()).as("one JSON line on stdout; stderr: %s", err).isEqualTo(1);
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = EveCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String ids(long[] ids) {
        return Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    private static double maxDiff(JsonArray actual, float[] expected) {
        assertThat(actual.size()).isEqualTo(expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual.get(i).getAsDouble() - expected[i]));
        }
        return worst;
    }

    @Test
    void logitsFromImageAndFromPixelsMatchTheReference() {
        GoldenCases.Case c = GOLDEN.get("c07_alpha_72x56_q1");
        Path image = c.imagePath().orElseThrow();
        Path pixels = GOLDEN.root().resolve("cases").resolve(c.id() + ".safetensors");
        for (String[] source : new String[][] {{"--image", image.toString()}, {"--pixels", pixels.toString()}}) {
            Run run = cli("logits", "--model", MODEL, source[0], source[1], "--input-ids", ids(c.inputIds()));
            assertThat(run.exit()).as(run.err()).isZero();
            JsonObject json = run.json();
            assertThat(json.getAsJsonArray("grid").toString())
                    .isEqualTo(Arrays.toString(c.preprocessInts("grid_hw")).replace(" ", ""));
            assertThat(json.get("n_vis").getAsInt()).isEqualTo(c.preprocessInt("n_vis"));
            assertThat(maxDiff(json.getAsJsonArray("logits"), c.prefillLogitsLast())).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void logitsAreTheSameFromTorchShardsAndFromSafetensors(@TempDir Path tmp) throws IOException {
        Path binOnly = tmp.resolve("eve-bin");
        Files.createDirectories(binOnly);
        try (Stream<Path> files = Files.list(GOLDEN.root())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().equals("model.safetensors")) {
                    Files.copy(f, binOnly.resolve(f.getFileName()));
                }
            }
        }
        GoldenCases.Case c = GOLDEN.get("c03_portrait_40x100_q1");
        String image = c.imagePath().orElseThrow().toString();
        Run fromSafetensors = cli("logits", "--model", MODEL, "--image", image, "--input-ids", ids(c.inputIds()));
        Run fromBin = cli("logits", "--model", binOnly.toString(), "--image", image, "--input-ids",
                ids(c.inputIds()));
        assertThat(fromBin.exit()).as(fromBin.err()).isZero();
        assertThat(fromBin.out()).isEqualTo(fromSafetensors.out());
    }

    @Test
    void generateGreedyReproducesTheReferenceTokens() {
        for (String id : new String[] {"c05_tiny_17x23_q0", "t00_text_only"}) {
            GoldenCases.Case c = GOLDEN.get(id);
            Run run = c.hasImage()
                    ? cli("generate", "--model", MODEL, "--image", c.imagePath().orElseThrow().toString(),
                            "--input-ids", ids(c.inputIds()), "--max-new-tokens", "12")
                    : cli("generate", "--model", MODEL, "--input-ids", ids(c.inputIds()), "--max-new-tokens", "12");
            assertThat(run.exit()).as(run.err()).isZero();
            JsonObject json = run.json();
            assertThat(json.getAsJsonArray("tokens").toString()).isEqualTo(Arrays.toString(c.tokens()).replace(" ", ""));
            // No EOS among these 12 reference tokens: the limit ends them.
            assertThat(c.greedy().get("first_eos_step").isJsonNull()).isTrue();
            assertThat(json.get("finish_reason").getAsString()).isEqualTo("length");
            assertThat(json.get("text").getAsString()).isEqualTo(c.greedy().get("output_text").getAsString());
        }
    }

    @Test
    void generateWithPromptUsesTheChatTemplate() {
        GoldenCases.Case c = GOLDEN.get("c00_grad_shapes_64x64_q0");
        Run byPrompt = cli("generate", "--model", MODEL, "--image", c.imagePath().orElseThrow().toString(),
                "--prompt", c.question(), "--max-new-tokens", "12");
        assertThat(byPrompt.exit()).as(byPrompt.err()).isZero();
        assertThat(byPrompt.json().getAsJsonArray("tokens").toString())
                .isEqualTo(Arrays.toString(c.tokens()).replace(" ", ""));
    }

    @Test
    void samplingIsReproducibleForOneSeed() {
        String[] args = {"generate", "--model", MODEL, "--prompt", "hello", "--max-new-tokens", "8",
            "--temperature", "0.9", "--top-p", "0.9", "--top-k", "40", "--seed", "7"};
        Run first = cli(args);
        Run second = cli(args);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(second.out());
    }

    @Test
    void scoreGivesTwoProbabilities() {
        GoldenCases.Case c = GOLDEN.get("c02_stripes_80x48_q0");
        Run run = cli("score", "--model", MODEL, "--image", c.imagePath().orElseThrow().toString(),
                "--question", "is there a square?");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonObject json = run.json();
        double yes = json.get("p_yes").getAsDouble();
        double no = json.get("p_no").getAsDouble();
        assertThat(yes).isBetween(0.0, 1.0);
        assertThat(no).isBetween(0.0, 1.0);
        assertThat(yes + no).isLessThanOrEqualTo(1.0 + 1e-9);
    }

    @Test
    void preprocessWritesThePixelTensor(@TempDir Path tmp) {
        GoldenCases.Case c = GOLDEN.get("c04_banner_200x30_q2");
        Path out = tmp.resolve("pixels.safetensors");
        Run run = cli("preprocess", "--model", MODEL, "--image", c.imagePath().orElseThrow().toString(), "--out",
                out.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonObject json = run.json();
        assertThat(json.getAsJsonArray("resized").toString())
                .isEqualTo(Arrays.toString(c.preprocessInts("resized_wh")).replace(" ", ""));
        assertThat(json.get("n_vis").getAsInt()).isEqualTo(c.preprocessInt("n_vis"));
        float[] written = GoldenCases.Tensors.read(out).floats("pixel_values");
        float[] expected = c.tensors().floats("pixel_values");
        assertThat(written).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) Math.abs(written[i] - expected[i])).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void tokenizeAndDetokenizeRoundTrip() {
        Run tok = cli("tokenize", "--model", MODEL, "--text", "Hello world");
        assertThat(tok.exit()).as(tok.err()).isZero();
        JsonArray ids = tok.json().getAsJsonArray("ids");
        assertThat(ids.get(0).getAsInt()).isEqualTo(1);
        String joined = ids.asList().stream().map(e -> e.getAsString()).collect(Collectors.joining(","));
        Run detok = cli("detokenize", "--model", MODEL, "--ids", joined);
        assertThat(detok.exit()).as(detok.err()).isZero();
        assertThat(detok.json().get("text").getAsString()).isEqualTo("Hello world");
    }

    @Test
    void badUsageExitsTwoWithUsage() {
        Run none = cli();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("usage");
        Run unknown = cli("paint", "--model", MODEL);
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'paint'");
        Run missing = cli("logits", "--model", MODEL);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--input-ids").contains("usage: eve-cli logits");
        Run badIds = cli("logits", "--model", MODEL, "--input-ids", "1,two");
        assertThat(badIds.exit()).isEqualTo(2);
        Run flag = cli("generate", "--model", MODEL, "--prompt", "x", "--colour", "red");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).contains("unknown option --colour");
        Run both = cli("generate", "--model", MODEL, "--prompt", "x", "--input-ids", "1,2");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(none.out()).isEmpty();
    }

    @Test
    void runtimeErrorsExitOneWithOneLine(@TempDir Path tmp) throws IOException {
        Run noModel = cli("tokenize", "--model", tmp.resolve("absent").toString(), "--text", "x");
        assertThat(noModel.exit()).isEqualTo(1);
        assertThat(noModel.err().strip().lines().count()).isEqualTo(1);
        assertThat(noModel.err()).contains("model directory not found");
        Run noImage = cli("score", "--model", MODEL, "--image", tmp.resolve("nope.png").toString(),
                "--question", "is there a cross?");
        assertThat(noImage.exit()).isEqualTo(1);
        assertThat(noImage.err()).contains("nope.png");
        Path garbage = tmp.resolve("garbage.png");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Run corrupt = cli("score", "--model", MODEL, "--image", garbage.toString(), "--question", "is it?");
        assertThat(corrupt.exit()).isEqualTo(1);
        assertThat(corrupt.err().strip().lines().count()).isEqualTo(1);
        assertThat(corrupt.out()).isEmpty();
    }
}
