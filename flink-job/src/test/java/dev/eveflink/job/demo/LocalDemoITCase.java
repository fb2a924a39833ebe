package dev.eveflink.job.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The local demo end to end on the golden tiny model: in-process broker, the real job on a local
 * MiniCluster, exactly-once. The tiny model's answers are noise, so this checks that every event got
 * exactly one result and that the demo's report survives garbage answers, not accuracy.
 */
class LocalDemoITCase {
    private static final String TINY_MODEL = "../model/src/test/golden/eve-tiny";
    private static final int COUNT = 20;

    @Test
    void everyEventGetsOneResultAndASummary() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LocalDemo.Outcome outcome;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            outcome = LocalDemo.run(new DemoOptions(COUNT, 0, TINY_MODEL, null, 3), out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);

        assertThat(outcome.results()).as(text).isEqualTo(COUNT);
        assertThat(outcome.ids()).isEqualTo(
                IntStream.range(0, COUNT).mapToObj(i -> "demo-" + i).collect(Collectors.toSet()));
        assertThat(outcome.statuses().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(COUNT);
        // One line per result (id first), then the summary with every metric.
        for (int i = 0; i < COUNT; i++) {
            assertThat(text).containsPattern("(?m)^demo-" + i + " ");
        }
        assertThat(outcome.summary())
                .contains("results: " + COUNT)
                .contains("p50")
                .contains("caption exact match")
                .contains("VQA exact match")
                .contains("policy prohibited-symbol decision accuracy")
                .contains("policy red-alert decision accuracy");
    }
}
