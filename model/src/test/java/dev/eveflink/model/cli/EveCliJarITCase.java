package dev.eveflink.model.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.testutil.GoldenCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code eve-cli.jar}, run as users run it ({@code java -jar}), in its own JVM: the
 * manifest class path finds the PyTorch native jar, DJL starts offline, exits are as documented.
 */
class EveCliJarITCase {
    private static final Path JAR = Path.of("target", "eve-cli.jar");
    private static final GoldenCases GOLDEN = GoldenCases.load();

    private record Result(int exit, String out, String err) {}

    private static Result run(Path tmp, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("built by the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        // Share the build's engine cache so libtorch is unpacked once; the CLI's own default is beside the jar.
        String cache = System.getProperty("ENGINE_CACHE_DIR");
        if (cache != null) {
            command.add("-DENGINE_CACHE_DIR=" + cache);
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(Arrays.asList(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("eve-cli finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void logitsOfTheJarMatchTheReference(@TempDir Path tmp) throws Exception {
        GoldenCases.Case c = GOLDEN.get("c08_gray_60x90_q0");
        String ids = Arrays.stream(c.inputIds()).mapToObj(Long::toString).collect(Collectors.joining(","));
        Result r = run(tmp, "logits", "--model", GOLDEN.root().toString(), "--image",
                c.imagePath().orElseThrow().toString(), "--input-ids", ids);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().count()).isEqualTo(1);
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonArray logits = json.getAsJsonArray("logits");
        float[] expected = c.prefillLogitsLast();
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(logits.get(i).getAsDouble() - expected[i]));
        }
        assertThat(worst).isLessThanOrEqualTo(1e-4);
    }

    @Test
    void usageAndRuntimeErrorsHaveTheirExitCodes(@TempDir Path tmp) throws Exception {
        Result usage = run(tmp);
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("usage");
        Result missing = run(tmp, "detokenize", "--model", tmp.resolve("nowhere").toString(), "--ids", "1,2");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("model directory not found");
        Result ok = run(tmp, "tokenize", "--model", GOLDEN.root().toString(), "--text", "USER: <image>\nhi");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("{\"ids\":[1,").contains("-200");
    }
}
