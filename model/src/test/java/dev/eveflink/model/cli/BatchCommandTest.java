package dev.eveflink.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code batch} command on the golden tiny model: order, statuses, bad lines, batching invariance. */
class BatchCommandTest {
    private static final Path MODEL = Path.of("src/test/golden/eve-tiny");
    private static final Path IMAGES = MODEL.resolve("images").toAbsolutePath();

    @TempDir
    Path dir;

    private record Run(int exit, List<JsonObject> results, String err) {}

    private Run batch(Path requests, String maxBatch) throws IOException {
        Path out = dir.resolve("out-" + maxBatch + ".jsonl");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = EveCli.run(new String[] {"batch", "--model", MODEL.toString(), "--requests", requests.toString(),
                "--out", out.toString(), "--max-batch", maxBatch},
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
        assertThat(run.results().get(6).get("error").getAsString()).contains("no-such");
        JsonObject all = run.results().get(3).getAsJsonObject("scores");
        assertThat(all.keySet()).containsExactly("prohibited-symbol", "red-alert");
        assertThat(all.get("red-alert").getAsDouble()).isBetween(0.0, 1.0);
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
                    assertThat(s.getAsJsonObject("scores").get(policy).getAsDouble())
                            .isCloseTo(b.getAsJsonObject("scores").get(policy).getAsDouble(),
                                    org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void aMissingRequestsFileIsARuntimeError() throws IOException {
        Run run = batch(dir.resolve("nope.jsonl"), "8");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("nope.jsonl");
    }
}
