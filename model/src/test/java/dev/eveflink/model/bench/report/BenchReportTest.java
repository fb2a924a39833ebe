package dev.eveflink.model.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    private static final BenchReport.Machine MACHINE =
            new BenchReport.Machine(2, "17.0.9", "Linux amd64", "Test CPU", Instant.parse("2026-11-27T03:00:00Z"));

    @TempDir
    Path out;

    @Test
    void writesTheHeadlineTheTablesTheMergedSummaryAndThePlots() throws Exception {
        Path parts = out.resolve("parts");
        PartJson.write(Part.of("continuous", "Continuous vs static batching",
                "mvn ... EngineBenchmark --only continuous",
                new Part.Table(List.of("schedule", "tokens/s"), List.of(List.of("continuous, max batch 16", 512.5),
                        List.of("static, batches of 16", 250.0))),
                Map.of("continuous_vs_static", 2.05), List.of(), List.of("mixed lengths 4..64")),
                parts.resolve("continuous.json"));
        Map<String, Double> memory = new LinkedHashMap<>();
        memory.put("rss_growth_pct", 7.5);
        memory.put("live_tensors_start", 120.0);
        memory.put("live_tensors_end", 120.0);
        PartJson.write(Part.of("memory", "Memory over 20,000 requests", "mvn ... MemoryBenchmark",
                new Part.Table(List.of("requests", "RSS MiB"), List.of(List.of(0, 800), List.of(20000, 860))),
                memory, List.of(new Part.Plot("memory.png", "RSS over time", "requests", "RSS (MiB)", false,
                        List.of(new Part.Series("VmRSS", List.of(new double[] {0, 800}, new double[] {20000, 860}))))),
                List.of()), parts.resolve("memory.json"));
        Files.writeString(parts.resolve("pipeline.json"), """
                {"title": "Pipeline", "command": "mvn -pl flink-job ... PipelineBenchmark",
                 "table": {"columns": [], "rows": []}, "summary": {}, "plots": [], "notes": [],
                 "failure": "exit status 1: Kafka broker did not start"}
                """);

        Path md = BenchReport.write(out, MACHINE);

        assertThat(Files.readString(BenchReport.write(out, MACHINE, true))).contains("**Quick smoke run**");
        md = BenchReport.write(out, MACHINE);
        String report = Files.readString(md, StandardCharsets.UTF_8);
        assertThat(report)
                .contains("| metric | measured | goal | met? |")
                .contains("(`continuous_vs_static`) | 2.05x | >= 1.5x | yes |")
                .contains("(`rss_growth_pct`) | 7.50% | < 5% | **no** |")
                .contains("(`operator_efficiency`) | not measured: exit status 1: Kafka broker did not start |")
                .contains("(`vs_naive`) | not measured: exit status 1: Kafka broker did not start |")
                .contains("| `live_tensors_start` | 120 | — | — |")
                .contains("| continuous, max batch 16 | 513 |")
                .contains("| static, batches of 16 | 250 |")
                .contains("mvn ... EngineBenchmark --only continuous")
                .contains("- mixed lengths 4..64")
                .contains("![RSS over time](memory.png)")
                .contains("**Not measured**: exit status 1: Kafka broker did not start")
                .contains("2 CPU core(s) (Test CPU)")
                .doesNotContain("Quick smoke run");
        assertThat(report.indexOf("## Continuous vs static")).as("parts in the suite's order")
                .isLessThan(report.indexOf("## Pipeline")).isLessThan(report.indexOf("## Memory"));

        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertThat(summary.get("continuous_vs_static").getAsDouble()).isEqualTo(2.05);
        assertThat(summary.get("rss_growth_pct").getAsDouble()).isEqualTo(7.5);
        assertThat(summary.get("live_tensors_end").getAsDouble()).isEqualTo(120.0);
        assertThat(summary.has("operator_efficiency")).as("never an invented number").isFalse();
        assertThat(summary.getAsJsonObject("not_measured").get("operator_efficiency").getAsString())
                .contains("Kafka broker did not start");
        assertThat(summary.getAsJsonObject("not_measured").get("added_latency_ms_at_25pct").getAsString())
                .contains("Kafka broker did not start");
        JsonObject machine = summary.getAsJsonObject("machine");
        assertThat(machine.get("cores").getAsInt()).isEqualTo(2);
        assertThat(machine.get("java").getAsString()).isEqualTo("17.0.9");
        assertThat(machine.get("date").getAsString()).isEqualTo("2026-11-27T03:00:00Z");

        BufferedImage png = ImageIO.read(out.resolve("memory.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(BenchReport.PLOT_WIDTH);
        assertThat(png.getHeight()).isEqualTo(BenchReport.PLOT_HEIGHT);
    }

    @Test
    void aGoalWithNoPartFileSaysSoAndTheLatencyGoalUsesTheReportedMaxWait() throws Exception {
        PartJson.write(Part.of("pipeline", "Pipeline", "cmd", Part.Table.empty(),
                Map.of("added_latency_ms_at_25pct", 3.5, "max_wait_ms", 2.0, "operator_efficiency", 0.8),
                List.of(), List.of()), out.resolve("parts").resolve("pipeline.json"));

        String report = Files.readString(BenchReport.write(out, MACHINE));

        assertThat(report)
                .contains("| 3.50 ms | <= 2 ms + maxWait 2 ms = 4 ms | yes |")
                .contains("(`operator_efficiency`) | 0.80 | >= 0.85 | **no** |")
                .contains("(`vs_naive`) | not measured: no part reported vs_naive |")
                .contains("(`rss_growth_pct`) | not measured: no part file memory.json was written |");
    }

    @Test
    void aPartRoundTripsThroughItsJson() throws Exception {
        Part part = Part.of("x", "X", "cmd --json x.json",
                new Part.Table(List.of("a", "b"), List.of(List.of("one", 1.5))), Map.of("k", 1.25),
                List.of(new Part.Plot("x.png", "t", "xl", "yl", true,
                        List.of(new Part.Series("s", List.of(new double[] {1, 2}, new double[] {4, 8}))))),
                List.of("note"));
        Path file = out.resolve("x.json");
        PartJson.write(part, file);

        String json = Files.readString(file);
        assertThat(json).contains("\"x_label\": \"xl\"").contains("\"log_x\": true");
        Part back = PartJson.read(file);
        assertThat(back.name()).isEqualTo("x");
        assertThat(back.title()).isEqualTo("X");
        assertThat(back.command()).isEqualTo("cmd --json x.json");
        assertThat(back.table()).isEqualTo(part.table());
        assertThat(back.summary()).isEqualTo(part.summary());
        assertThat(back.notes()).containsExactly("note");
        assertThat(back.failed()).isFalse();
        Part.Plot plot = back.plots().get(0);
        assertThat(plot.logX()).isTrue();
        assertThat(plot.series().get(0).points()).containsExactly(new double[] {1, 2}, new double[] {4, 8});
    }
}
