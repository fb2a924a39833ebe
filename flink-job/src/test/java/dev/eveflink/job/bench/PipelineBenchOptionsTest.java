package dev.eveflink.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineBenchOptionsTest {

    @TempDir
    Path dir;

    private Path model() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("config.json"), "{}");
        return model;
    }

    @Test
    void quickIsShorterThanTheFullRunAndTheLatencyPartSitsNextToTheJson() throws Exception {
        String[] common = {"--model-dir", model().toString(), "--json", dir.resolve("parts/pipeline.json").toString()};
        PipelineBenchOptions full = PipelineBenchOptions.parse(common);
        String[] quickArgs = java.util.Arrays.copyOf(common, common.length + 1);
        quickArgs[common.length] = "--quick";
        PipelineBenchOptions quick = PipelineBenchOptions.parse(quickArgs);

        assertThat(quick.quick()).isTrue();
        assertThat(full.quick()).isFalse();
        assertThat(quick.burst()).isLessThan(full.burst());
        assertThat(quick.phase()).isLessThan(full.phase());
        assertThat(quick.warmup()).isLessThan(full.warmup());
        assertThat(full.latencyJson()).isEqualTo(dir.resolve("parts/pipeline-latency.json"));
        assertThat(full.modelDir()).isAbsolute();
    }

    @Test
    void refusesUnknownArgumentsMissingValuesAndAModelWithoutConfig() throws Exception {
        assertThatThrownBy(() -> PipelineBenchOptions.parse(new String[] {"--fast"})).hasMessageContaining("--fast");
        assertThatThrownBy(() -> PipelineBenchOptions.parse(new String[] {"--json"})).hasMessageContaining("--json");
        assertThatThrownBy(() -> PipelineBenchOptions.parse(new String[] {"--model-dir", model().toString(),
                "--json", "out.txt"})).hasMessageContaining(".json");
        assertThatThrownBy(() -> PipelineBenchOptions.parse(new String[] {"--model-dir", dir.toString()}))
                .hasMessageContaining("config.json");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(PipelineBenchmark.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(PipelineBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }
}
