package dev.eveflink.model.bench.report;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Assembles the benchmark report (a main, run last by {@code deploy/bench.sh}): reads every part file
 * in {@code <report>/parts/} (see {@link PartJson}), draws each part's plots as PNGs, and writes
 * {@code report.md} (a headline table of the {@link Goal goals}, then each part's title, command,
 * table, notes and plots) and {@code summary.json} (every summary key, merged, plus the machine).
 * A goal whose key no part reported reads "not measured" with the reason; no number is invented.
 *
 * <pre>
 * mvn -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.eveflink.model.bench.report.BenchReport [-Dexec.args="--out target/bench-report"]
 * </pre>
 */
public final class BenchReport {
    /** Size of every plot PNG. */
    public static final int PLOT_WIDTH = 800;
    public static final int PLOT_HEIGHT = 480;
    /** Parts in reading order; any other part follows, by name. */
    static final List<String> ORDER = List.of("batching-bench-s", "batching-demo", "continuous", "pipeline",
            "pipeline-latency", "memory");

    private BenchReport() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of("target", "bench-report");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (args[i].equals("--quick")) {
                quick = true;
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + " (--out DIR, --quick)");
            }
        }
        Path report = write(out, Machine.current(Clock.systemUTC()), quick);
        System.out.println(Files.readString(report, StandardCharsets.UTF_8));
        System.out.println("report: " + report.toAbsolutePath());
    }

    /**
     * Reads {@code out/parts/*.json} and writes {@code out/report.md}, {@code out/summary.json} and the
     * plots into {@code out}.
     *
     * @return the path of report.md
     */
    public static Path write(Path out, Machine machine) throws IOException {
        return write(out, machine, false);
    }

    /**
     * As {@link #write(Path, Machine)}; {@code quick} marks the report as a smoke run of small counts.
     */
    public static Path write(Path out, Machine machine, boolean quick) throws IOException {
        List<Part> parts = readParts(out.resolve("parts"));
        Map<String, Double> summary = new LinkedHashMap<>();
        Map<String, String> conflicts = new LinkedHashMap<>();
        for (Part part : parts) {
            part.summary().forEach((key, value) -> {
                Double earlier = summary.putIfAbsent(key, value);
                if (earlier != null) {
                    conflicts.put(key, "also reported by " + part.name() + " (" + value + "); the first is kept");
                }
            });
        }
        Map<String, String> notMeasured = new LinkedHashMap<>();
        for (Goal goal : Goal.values()) {
            if (!summary.containsKey(goal.key)) {
                notMeasured.put(goal.key, whyMissing(goal, parts));
            }
        }
        LinePlot plotter = new LinePlot(PLOT_WIDTH, PLOT_HEIGHT);
        for (Part part : parts) {
            for (Part.Plot plot : part.plots()) {
                ImageIO.write(plotter.draw(plot), "png", out.resolve(plot.file()).toFile());
            }
        }
        Path md = out.resolve("report.md");
        Files.writeString(md, markdown(parts, summary, notMeasured, conflicts, machine, quick),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("summary.json"), summaryJson(summary, notMeasured, machine),
                StandardCharsets.UTF_8);
        return md;
    }

    static List<Part> readParts(Path dir) throws IOException {
        List<Part> parts = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                    parts.add(PartJson.read(f));
                }
            }
        }
        parts.sort(Comparator.comparingInt((Part p) -> ORDER.contains(p.name()) ? ORDER.indexOf(p.name())
                : ORDER.size()).thenComparing(Part::name));
        return parts;
    }

    private static String whyMissing(Goal goal, List<Part> parts) {
        Optional<Part> source = parts.stream().filter(p -> p.name().equals(goal.part)).findFirst();
        if (source.isEmpty()) {
            return "no part file " + goal.part + ".json was written";
        }
        return source.get().failed() ? source.get().failure() : "no part reported " + goal.key;
    }

    private static String markdown(List<Part> parts, Map<String, Double> summary, Map<String, String> notMeasured,
            Map<String, String> conflicts, Machine machine, boolean quick) {
        StringBuilder sb = new StringBuilder("# eve-flink benchmark report\n\n");
        if (quick) {
            sb.append("**Quick smoke run** (`deploy/bench.sh --quick`, small counts): it shows that every")
                    .append(" measurement runs, not what the system does. Run `deploy/bench.sh` for the figures.\n\n");
        }
        sb.append(machine.describe()).append(" Figures of one run, measured side by side: compare the ratios;")
                .append(" absolute numbers depend on what else the machine was doing.\n\n");
        sb.append("## Headline\n\n| metric | measured | goal | met? |\n|---|---:|---|---|\n");
        for (Goal goal : Goal.values()) {
            Double value = summary.get(goal.key);
            if (value == null) {
                sb.append(row(goal.metric + " (`" + goal.key + "`)", "not measured: " + oneLine(notMeasured
                        .get(goal.key)), goal.goal(summary), "—"));
            } else {
                String met = goal.met(value, summary).map(m -> m ? "yes" : "**no**")
                        .orElse("? (no `" + Goal.MAX_WAIT_KEY + "`)");
                sb.append(row(goal.metric + " (`" + goal.key + "`)", number(value) + goal.unit, goal.goal(summary),
                        met));
            }
        }
        for (Map.Entry<String, Double> e : summary.entrySet()) {
            if (java.util.Arrays.stream(Goal.values()).noneMatch(g -> g.key.equals(e.getKey()))) {
                sb.append(row("`" + e.getKey() + "`", number(e.getValue()), "—", "—"));
            }
        }
        conflicts.forEach((key, text) -> sb.append("\nNote: `").append(key).append("` ").append(text).append('.'));
        sb.append('\n');
        for (Part part : parts) {
            sb.append("\n## ").append(part.title()).append("\n\n");
            sb.append("```\n").append(part.command()).append("\n```\n\n");
            if (part.failed()) {
                sb.append("**Not measured**: ").append(oneLine(part.failure())).append("\n\n");
            }
            Part.Table t = part.table();
            if (!t.columns().isEmpty()) {
                sb.append(row(t.columns().toArray(String[]::new)));
                sb.append("|").append("---|".repeat(t.columns().size())).append('\n');
                for (List<Object> cells : t.rows()) {
                    sb.append(row(cells.stream().map(BenchReport::cell).toArray(String[]::new)));
                }
                sb.append('\n');
            }
            for (String note : part.notes()) {
                sb.append("- ").append(note).append('\n');
            }
            if (!part.notes().isEmpty()) {
                sb.append('\n');
            }
            for (Part.Plot plot : part.plots()) {
                sb.append("![").append(plot.title()).append("](").append(plot.file()).append(")\n\n");
            }
        }
        return sb.toString();
    }

    private static String summaryJson(Map<String, Double> summary, Map<String, String> notMeasured,
            Machine machine) {
        JsonObject o = new JsonObject();
        summary.forEach(o::addProperty);
        JsonObject missing = new JsonObject();
        notMeasured.forEach(missing::addProperty);
        o.add("not_measured", missing);
        o.add("machine", machine.toJson());
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    private static String row(String... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        return sb.append('\n').toString();
    }

    private static String cell(Object value) {
        return value instanceof Number n ? number(n.doubleValue()) : (String) value;
    }

    /** A figure for people: integers as such, otherwise 3 significant digits (at least 2 decimals below 10). */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " / ");
    }

    /**
     * The machine a report was made on.
     *
     * @param cores available processors
     * @param java the Java runtime version
     * @param os operating system and architecture
     * @param cpu the CPU model, or "unknown"
     * @param date when the report was written
     */
    public record Machine(int cores, String java, String os, String cpu, Instant date) {

        /** This JVM's machine, now. */
        public static Machine current(Clock clock) {
            return new Machine(Runtime.getRuntime().availableProcessors(), Runtime.version().toString(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"), cpuModel(),
                    clock.instant());
        }

        String describe() {
            return String.format(Locale.ROOT, "Machine: %d CPU core(s) (%s), %s, Java %s; report written %s.",
                    cores, cpu, os, java, date);
        }

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("cores", cores);
            o.addProperty("java", java);
            o.addProperty("os", os);
            o.addProperty("cpu", cpu);
            o.addProperty("date", date.toString());
            return o;
        }

        private static String cpuModel() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst().orElse("unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
