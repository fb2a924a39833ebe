package dev.eveflink.job.bench;

import dev.eveflink.job.demo.LocalDemo;
import dev.eveflink.model.demo.train.DemoVocabulary;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.inference.InferenceOptions;
import dev.eveflink.operators.inference.OutputOrder;
import dev.eveflink.operators.kafka.LocalKafkaBroker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 9's pipeline measurements on the shipped demo model, a real in-process Kafka broker and the
 * real job on a Flink MiniCluster (parallelism 1), with the demo's request mix (caption, VQA,
 * moderation against two policies, in turn):
 *
 * <ol>
 *   <li>Operator efficiency: the sustained Kafka -> Flink -> Kafka rate of a backlog sent at once to
 *       the running job (completions between 10% and 90% of it, so start-up and drain are excluded),
 *       divided by the raw engine's rate with the same engine settings, mix and in-flight limit
 *       ({@link RawEngineRun}).
 *   <li>Latency under open-loop load: seeded Poisson arrivals at 25, 50, 80 and 100% of the rate
 *       measured in 1; p50/p95/p99 from each event's scheduled send instant to its result in the
 *       results topic. The scheduler's added latency: p50 at 25% load of the results'
 *       {@code queueWaitMillis - preprocessMillis} (arrival at the operator to prefill, less the image
 *       preparation), cross-checked end to end
 *       against the same mix sent one at a time.
 *   <li>The naive baseline: the same pipeline around a synchronous map calling the model one record
 *       at a time ({@link NaiveEveMapFunction}); ours / naive throughput. The same code in a plain
 *       loop ({@link RawNaiveRun}) and the engine with max batch 1 separate the engine's share from
 *       the pipeline's.
 * </ol>
 *
 * The throughput runs are measured in rounds, back to back, after a warm-up; ratios are medians of the
 * per-round ratios (the machine is shared and its load drifts). Writes the throughput part to
 * {@code --json} and the latency part next to it ({@code <name>-latency.json}), and prints both
 * tables. Not for exec:java inside Maven's JVM (the MiniCluster cannot load the job's classes there,
 * as deploy/demo.sh explains); see {@link #RERUN}.
 */
public final class PipelineBenchmark {
    /** The command line that reruns this benchmark from the repository root (append the arguments). */
    static final String RERUN = "mvn -o -q -pl flink-job -am test-compile dependency:build-classpath"
            + " -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test"
            + " && java -Xmx3g -cp \"flink-job/target/test-classes:flink-job/target/classes:"
            + "$(cat flink-job/target/bench.classpath)\" dev.eveflink.job.bench.PipelineBenchmark";
    static final int ASYNC_CAPACITY = 16;
    static final int MAX_BATCH_SIZE = 8;
    static final Duration MAX_WAIT = Duration.ofMillis(5);
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    static final int[] LOAD_PERCENTS = {25, 50, 80, 100};
    /** Distinct images cycled through by the events. */
    static final int IMAGE_POOL = 96;
    /** Longest time without a new result before a phase is declared stuck. */
    static final Duration STALL = Duration.ofMinutes(2);

    private final PipelineBenchOptions options;
    private final PrintStream out;
    private final BenchEvents mix;
    private final List<ModerationPolicy> policies = BenchEvents.policies();
    private final String loadAtStart = loadAverage();

    private PipelineBenchmark(PipelineBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.mix = new BenchEvents(options.seed(), IMAGE_POOL);
    }

    public static void main(String[] args) throws Exception {
        applyJvmDefaults();
        PipelineBenchOptions options;
        try {
            options = PipelineBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        new PipelineBenchmark(options, System.out).run(String.join(" ", args));
        System.exit(0); // Flink's and Kafka's non-daemon threads would keep the JVM alive
    }

    /** The four throughput runs, one list entry per round. */
    private record Throughput(List<Measured> raw, List<Measured> rawBatch1, List<Measured> alone, List<Measured> ours,
            List<Measured> naive) {}

    /** What the measurements found. */
    private record Figures(Throughput throughput, double[] sequentialMs, List<LoadPhase> phases, int notOk) {}

    /** One open-loop phase. */
    private record LoadPhase(int percent, double offered, int events, Percentiles latency, Percentiles queueWait,
            double maxSendLagMs) {}

    private void run(String args) throws Exception {
        long started = System.nanoTime();
        Path policiesFile = Files.createTempFile("bench-policies-", ".json");
        try {
            Files.writeString(policiesFile, PolicyFiles.toJson(new PolicySet("bench-1", policies)));
            BenchPipeline.Settings settings = new BenchPipeline.Settings(options.modelDir().toString(), policiesFile,
                    DemoVocabulary.CAPTION_QUESTION, ASYNC_CAPACITY, MAX_BATCH_SIZE, MAX_WAIT, CHECKPOINT_INTERVAL,
                    options.delivery());
            Figures f = measure(settings);
            String command = RERUN + (args.isBlank() ? "" : " " + args);
            writeParts(f, command);
            out.printf(Locale.ROOT, "%nall pipeline measurements took %.0f s%n", (System.nanoTime() - started) / 1e9);
        } finally {
            Files.deleteIfExists(policiesFile);
        }
    }

    private Figures measure(BenchPipeline.Settings settings) throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start();
                BenchPipeline ours = BenchPipeline.create(broker, "bench-" + System.currentTimeMillis() + "-ours",
                        settings)) {
            Throughput throughput;
            int notOk;
            try (RawEngineRun raw = new RawEngineRun(inferenceOptions(settings));
                    RawEngineRun rawBatch1 = new RawEngineRun(inferenceOptions(settings).toBuilder()
                            .setMaxBatchSize(1).build());
                    RawNaiveRun alone = new RawNaiveRun(options.modelDir(), settings.captionQuestion(), policies);
                    BenchPipeline naive = BenchPipeline.create(broker,
                            "bench-" + System.currentTimeMillis() + "-naive", settings)) {
                ours.start(BenchPipeline.Kind.OPERATOR, policies);
                naive.start(BenchPipeline.Kind.NAIVE, policies);
                throughput = throughput(raw, rawBatch1, alone, ours, naive);
                notOk = countNotOk(naive);
            }
            double capacity = median(throughput.ours());
            double[] sequential = sequential(ours);
            List<LoadPhase> phases = new ArrayList<>();
            for (int percent : LOAD_PERCENTS) {
                phases.add(loadPhase(ours, percent, capacity * percent / 100.0));
            }
            notOk += countNotOk(ours);
            for (List<Measured> runs : List.of(throughput.raw(), throughput.rawBatch1(), throughput.alone())) {
                notOk += runs.stream().mapToInt(Measured::notOk).sum();
            }
            return new Figures(throughput, sequential, phases, notOk);
        }
    }

    /**
     * Warms everything up (unmeasured), then measures the four runs back to back in each round, so that
     * every ratio compares runs minutes apart at most on this shared machine.
     */
    private Throughput throughput(RawEngineRun raw, RawEngineRun rawBatch1, RawNaiveRun alone, BenchPipeline ours,
            BenchPipeline naive) throws Exception {
        progress("warm-up: raw engine %d s, both jobs start ...", options.warmup().toSeconds());
        raw.burst(mix, "warm-raw", options.warmup());
        double oursRate = pipelineBurst(ours, "warm-ours", 3 * ASYNC_CAPACITY).eventsPerSecond();
        double naiveRate = pipelineBurst(naive, "warm-naive", 2 * ASYNC_CAPACITY).eventsPerSecond();
        alone.burst(mix, "warm-alone", Duration.ofSeconds(2));
        rawBatch1.burst(mix, "warm-raw1", Duration.ofSeconds(2));
        Throughput t = new Throughput(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        for (int r = 1; r <= options.rounds(); r++) {
            t.raw().add(raw.burst(mix, "raw-" + r, options.burst()));
            t.ours().add(pipelineBurst(ours, "ours-" + r, backlog(oursRate)));
            t.naive().add(pipelineBurst(naive, "naive-" + r, backlog(naiveRate)));
            t.alone().add(alone.burst(mix, "alone-" + r, options.burst()));
            t.rawBatch1().add(rawBatch1.burst(mix, "raw1-" + r, options.burst()));
            oursRate = last(t.ours()).eventsPerSecond();
            naiveRate = last(t.naive()).eventsPerSecond();
            progress("round %d/%d: raw engine %.1f, pipeline %.1f, naive pipeline %.1f, model alone %.1f, "
                    + "raw engine max batch 1 %.1f events/s", r, options.rounds(), last(t.raw()).eventsPerSecond(),
                    oursRate, naiveRate, last(t.alone()).eventsPerSecond(), last(t.rawBatch1()).eventsPerSecond());
        }
        return t;
    }

    private static Measured last(List<Measured> runs) {
        return runs.get(runs.size() - 1);
    }

    /** The engine settings of the job, as {@code EveJob} derives them from the same job options. */
    private InferenceOptions inferenceOptions(BenchPipeline.Settings s) {
        return InferenceOptions.builder(s.modelDir())
                .setDevice("cpu")
                .setCapacity(s.asyncCapacity())
                .setTimeout(Duration.ofSeconds(300))
                .setOutputOrder(OutputOrder.UNORDERED)
                .setMaxBatchSize(s.maxBatchSize())
                .setMaxWait(s.maxWait())
                .setCaptionQuestion(s.captionQuestion())
                .setPolicies(new PolicySet("bench-1", policies))
                .build();
    }

    /** Events that keep a pipeline busy for about one burst at {@code rate}. */
    private int backlog(double rate) {
        return (int) Math.max(40, Math.min(20_000, Math.round(rate * options.burst().toMillis() / 1000.0)));
    }

    /**
     * Sends {@code count} events at once to the running job (a backlog forms at once: producing is far
     * faster than inference) and returns its steady rate: completions between 10% and 90% of them.
     */
    private Measured pipelineBurst(BenchPipeline pipeline, String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ImageEvent event = mix.event(prefix + "-" + i, i);
            ids.add(event.getId());
            pipeline.send(event);
        }
        pipeline.flush();
        Map<String, ResultWatcher.Seen> seen = pipeline.watcher().awaitAll(ids, STALL, pipeline::jobEnded);
        long[] times = seen.values().stream().mapToLong(ResultWatcher.Seen::nanos).toArray();
        int notOk = (int) seen.values().stream().filter(r -> r.status() != ResultStatus.OK).count();
        return new Measured(SteadyRate.perSecond(times, 0.1, 0.9), count, notOk);
    }

    /** End-to-end latency (ms) of the mix sent one at a time, each after the previous result. */
    private double[] sequential(BenchPipeline pipeline) throws Exception {
        double[] ms = new double[options.sequential()];
        for (int i = 0; i < ms.length; i++) {
            ImageEvent event = mix.event("seq-" + i, i);
            long sent = System.nanoTime();
            pipeline.send(event);
            ResultWatcher.Seen seen = pipeline.watcher().awaitOne(event.getId(), STALL);
            ms[i] = (seen.nanos() - sent) / 1e6;
            // A pause longer than maxWait, so the engine's arrival estimate sees no company coming.
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        Percentiles p = Percentiles.of(ms);
        progress("one at a time: p50 %.1f ms, p95 %.1f ms (%d requests)", p.at(50), p.at(95), ms.length);
        return ms;
    }

    /** Poisson arrivals at {@code rate} for the phase length; latency from each scheduled send instant. */
    private LoadPhase loadPhase(BenchPipeline pipeline, int percent, double rate) throws Exception {
        int count = (int) Math.max(20, Math.round(rate * options.phase().toSeconds()));
        long[] offsets = PoissonSchedule.offsetsNanos(rate, count, options.seed() * 1000 + percent);
        progress("load %d%%: %.1f events/s offered, %d events ...", percent, rate, count);
        List<String> ids = new ArrayList<>(count);
        long[] scheduled = new long[count];
        double maxLagMs = 0;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            scheduled[i] = start + offsets[i];
            long wait = scheduled[i] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            maxLagMs = Math.max(maxLagMs, (System.nanoTime() - scheduled[i]) / 1e6);
            ImageEvent event = mix.event("load" + percent + "-" + i, i);
            ids.add(event.getId());
            pipeline.send(event); // open loop: never waits for results
        }
        Map<String, ResultWatcher.Seen> seen = pipeline.watcher().awaitAll(ids, STALL, pipeline::jobEnded);
        double[] latency = new double[count];
        double[] queueWait = new double[count];
        for (int i = 0; i < count; i++) {
            ResultWatcher.Seen s = seen.get(ids.get(i));
            latency[i] = (s.nanos() - scheduled[i]) / 1e6;
            queueWait[i] = s.schedulerWaitMillis();
        }
        LoadPhase phase = new LoadPhase(percent, rate, count, Percentiles.of(latency), Percentiles.of(queueWait),
                maxLagMs);
        progress("load %d%%: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms", percent, phase.latency().at(50),
                phase.latency().at(95), phase.latency().at(99));
        return phase;
    }

    private static int countNotOk(BenchPipeline pipeline) {
        return pipeline.watcher().count(s -> s.status() != ResultStatus.OK);
    }

    private void writeParts(Figures f, String command) throws Exception {
        Throughput t = f.throughput();
        double raw = median(t.raw());
        double alone = median(t.alone());
        double ours = median(t.ours());
        double naive = median(t.naive());
        double efficiency = medianRatio(t.ours(), t.raw());
        double vsNaive = medianRatio(t.ours(), t.naive());
        double engineVsAlone = medianRatio(t.raw(), t.alone());
        Percentiles sequential = Percentiles.of(f.sequentialMs());
        LoadPhase low = f.phases().get(0);
        double added = low.queueWait().at(50);
        double addedEndToEnd = low.latency().at(50) - sequential.at(50);
        String setup = String.format(Locale.ROOT, "model/demo/eve-shapes on CPU (1 intra-op thread), parallelism 1, "
                + "async capacity %d, max batch %d, max wait %d ms, %s with %d ms checkpoints; "
                + "mix: caption / VQA / moderation (2 policies) in turn, max 32 new tokens%s. Load average of the "
                + "machine (shared, %d cores) at start / end: %s / %s.", ASYNC_CAPACITY, MAX_BATCH_SIZE,
                MAX_WAIT.toMillis(), options.delivery(), CHECKPOINT_INTERVAL.toMillis(),
                options.quick() ? "; --quick" : "",
                Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage());

        Map<String, Object> throughput = part("Pipeline throughput: operator efficiency and the naive baseline",
                command,
                List.of("run", "events/s (median)", "per round", "vs raw engine (median of rounds)",
                        "events measured"),
                List.of(
                        row("raw engine (no Flink, no Kafka)", t.raw(), 1.0),
                        row("raw engine, max batch 1 (no Flink, no Kafka)", t.rawBatch1(),
                                medianRatio(t.rawBatch1(), t.raw())),
                        row("model alone, one event at a time (no Flink, no Kafka)", t.alone(),
                                medianRatio(t.alone(), t.raw())),
                        row("Kafka -> EVE operator -> Kafka", t.ours(), efficiency),
                        row("Kafka -> naive sync map -> Kafka", t.naive(), medianRatio(t.naive(), t.raw()))));
        Map<String, Object> summary = summary(throughput);
        summary.put("operator_efficiency", round(efficiency, 3));
        summary.put("vs_naive", round(vsNaive, 2));
        summary.put("raw_engine_events_per_s", round(raw, 2));
        summary.put("model_alone_events_per_s", round(alone, 2));
        summary.put("pipeline_events_per_s", round(ours, 2));
        summary.put("naive_events_per_s", round(naive, 2));
        summary.put("raw_engine_vs_model_alone", round(engineVsAlone, 2));
        summary.put("raw_engine_batch8_vs_batch1", round(medianRatio(t.raw(), t.rawBatch1()), 2));
        throughput.put("plots", List.of());
        throughput.put("notes", List.of(setup,
                "Each of " + options.rounds() + " rounds measures the five runs back to back (after an unmeasured "
                        + "warm-up: libtorch's per-shape caches make the first hundreds of events in a JVM several "
                        + "times slower); ratios are medians of the per-round ratios. Pipeline rates: a backlog of "
                        + "about " + options.burst().toSeconds() + " s of events sent at once to the running job, "
                        + "completions between 10% and 90% of it over the time between them (job start-up and "
                        + "drain left out). Raw engine: the same engine settings, the same event-to-request mapping "
                        + "and at most " + ASYNC_CAPACITY + " events in flight (the async capacity), closed loop for "
                        + options.burst().toSeconds() + " s, completions after its first fifth; the model-alone row "
                        + "is the naive map's code in a plain loop, counted the same way; the max-batch-1 row is the "
                        + "same engine with max batch 1 (what batching itself brings).",
                String.format(Locale.ROOT, "operator efficiency = pipeline / raw engine = %.3f (goal >= 0.85); "
                        + "ours / naive = %.2fx (goal >= 4x); the same comparison without Flink and Kafka, raw engine "
                        + "/ model alone = %.2fx, says how much of it is the engine's batching. Non-OK results in "
                        + "all runs: %d.", efficiency, vsNaive, engineVsAlone, f.notOk()),
                "The naive pipeline is what a user writes first: a synchronous RichMapFunction that loads the model "
                        + "in open() and per record decodes the image, prefills and greedily decodes with the "
                        + "model's Generator (or scores yes/no once per policy), same source, sink and parallelism."));
        write(options.json(), throughput);

        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("one at a time", "-", f.sequentialMs().length, round(sequential.at(50), 1),
                round(sequential.at(95), 1), round(sequential.at(99), 1), "-"));
        for (LoadPhase p : f.phases()) {
            rows.add(List.of(p.percent() + "%", round(p.offered(), 2), p.events(), round(p.latency().at(50), 1),
                    round(p.latency().at(95), 1), round(p.latency().at(99), 1), round(p.queueWait().at(50), 1)));
        }
        Map<String, Object> latency = part("Pipeline latency under open-loop Poisson load", command,
                List.of("offered load", "events/s", "events", "p50 ms", "p95 ms", "p99 ms", "scheduler wait p50 ms"),
                rows);
        Map<String, Object> latencySummary = summary(latency);
        latencySummary.put("added_latency_ms_at_25pct", round(added, 2));
        latencySummary.put("max_wait_ms", MAX_WAIT.toMillis()); // the latency goal is 2 ms + maxWait
        latencySummary.put("added_latency_e2e_ms_at_25pct", round(addedEndToEnd, 2));
        latencySummary.put("sequential_p50_ms", round(sequential.at(50), 2));
        for (LoadPhase p : f.phases()) {
            latencySummary.put("latency_p50_ms_at_" + p.percent() + "pct", round(p.latency().at(50), 2));
            latencySummary.put("latency_p95_ms_at_" + p.percent() + "pct", round(p.latency().at(95), 2));
            latencySummary.put("latency_p99_ms_at_" + p.percent() + "pct", round(p.latency().at(99), 2));
        }
        List<Object> series = new ArrayList<>();
        for (int q : new int[] {50, 95, 99}) {
            List<Object> points = new ArrayList<>();
            for (LoadPhase p : f.phases()) {
                points.add(List.of(p.percent(), round(p.latency().at(q), 2)));
            }
            series.add(map("name", "p" + q, "points", points));
        }
        latency.put("plots", List.of(map("file", "pipeline-latency.png",
                "title", "End-to-end latency vs offered load (100% = " + round(ours, 1) + " events/s)",
                "x_label", "offered load, % of the measured pipeline capacity", "y_label", "latency, ms",
                "log_x", false, "series", series)));
        double maxLag = f.phases().stream().mapToDouble(LoadPhase::maxSendLagMs).max().orElse(0);
        latency.put("notes", List.of(setup,
                "Open loop: a producer thread sends each event at its scheduled instant (seeded exponential gaps, "
                        + "i.e. Poisson arrivals) whatever the results do; latency runs from that scheduled instant "
                        + "to the moment the result is read from the results topic. The largest send lag behind "
                        + "schedule was " + round(maxLag, 1) + " ms.",
                "Results are timed when they reach the results topic's log (read_uncommitted): a read_committed "
                        + "consumer sees them when the sink's transaction commits, up to one checkpoint interval ("
                        + CHECKPOINT_INTERVAL.toMillis() + " ms here) later; that delay is a setting, not a cost "
                        + "of the operator.",
                String.format(Locale.ROOT, "Scheduler's added latency at low load (added_latency_ms_at_25pct) = "
                        + "p50 at 25%% load of the result's queueWaitMillis - preprocessMillis: the time from the "
                        + "event's arrival at the operator to the start of its prefill, less the image decoding, "
                        + "preprocessing and tokenizing on the engine's CPU pool (work the naive map does too) = "
                        + "%.0f ms (goal <= 2 ms + maxWait = %d ms). It holds everything the scheduler adds before a "
                        + "request runs: the max-wait hold and the wait for the running iteration to finish, plus "
                        + "the operator's own hand-over; both fields are whole milliseconds rounded down, so the "
                        + "true median is within about 1 ms of [%.0f, %.0f). It leaves out Kafka, Flink and the model's own time, which "
                        + "on this shared machine vary by more than the quantity measured.", added,
                        2 + MAX_WAIT.toMillis(), added, added + 1),
                String.format(Locale.ROOT, "Cross-check, end to end (added_latency_e2e_ms_at_25pct): p50 at 25%% "
                        + "load minus p50 of the same mix sent one at a time through the same running pipeline "
                        + "(each event after the previous result) = %.1f - %.1f = %.1f ms; it would also count "
                        + "decode steps shared with other sequences, but with %d one-at-a-time samples on a loaded "
                        + "machine its noise is several ms.", low.latency().at(50), sequential.at(50), addedEndToEnd,
                        f.sequentialMs().length),
                "The 100% phase offers the median capacity of the throughput rounds; the machine's load drifts, "
                        + "so its percentiles can come out below the 80% phase's."));
        write(options.latencyJson(), latency);

        printTable(throughput, command);
        printTable(latency, command);
    }

    /** A throughput table row: median rate, the rate of every round, the given ratio, events counted. */
    private static List<Object> row(String name, List<Measured> runs, double ratio) {
        String perRound = String.join(" / ", runs.stream()
                .map(m -> String.format(Locale.ROOT, "%.1f", m.eventsPerSecond())).toList());
        return List.of(name, round(median(runs), 2), perRound, round(ratio, 3),
                runs.stream().mapToInt(Measured::events).sum());
    }

    private static double median(List<Measured> runs) {
        return median(runs.stream().mapToDouble(Measured::eventsPerSecond).toArray());
    }

    /** The median over rounds of {@code a[r] / b[r]}. */
    private static double medianRatio(List<Measured> a, List<Measured> b) {
        double[] ratios = new double[a.size()];
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = a.get(r).eventsPerSecond() / b.get(r).eventsPerSecond();
        }
        return median(ratios);
    }

    /** The median (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Map<String, Object> part(String title, String command, List<String> columns,
            List<List<Object>> rows) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("title", title);
        part.put("command", command);
        part.put("table", map("columns", columns, "rows", rows));
        part.put("summary", new LinkedHashMap<String, Object>());
        return part;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Map<String, Object> part) {
        return (Map<String, Object>) part.get("summary");
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private void write(Path file, Map<String, Object> part) throws Exception {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, Json.write(part));
        progress("wrote %s", file);
    }

    @SuppressWarnings("unchecked")
    private void printTable(Map<String, Object> part, String command) {
        Map<String, Object> table = (Map<String, Object>) part.get("table");
        List<String> columns = (List<String>) table.get("columns");
        List<List<Object>> rows = (List<List<Object>>) table.get("rows");
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).length();
            for (List<Object> row : rows) {
                widths[c] = Math.max(widths[c], String.valueOf(row.get(c)).length());
            }
        }
        out.println();
        out.println("== " + part.get("title"));
        StringBuilder header = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            header.append(String.format(Locale.ROOT, "%-" + (widths[c] + 2) + "s", columns.get(c)));
        }
        out.println(header.toString().stripTrailing());
        for (List<Object> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                line.append(String.format(Locale.ROOT, "%-" + (widths[c] + 2) + "s", row.get(c)));
            }
            out.println(line.toString().stripTrailing());
        }
        summary(part).forEach((k, v) -> out.println("  " + k + " = " + v));
        for (Object note : (List<Object>) part.get("notes")) {
            out.println("  note: " + note);
        }
        out.println("  rerun (every figure above): " + command);
    }

    /** The 1-minute load average (the machine is shared: it says how much the figures can be trusted). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private void progress(String format, Object... args) {
        out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
        out.flush();
    }

    /**
     * JVM-wide settings the job needs when it runs inside this process, each only if the caller did not
     * set it: DJL offline with one intra-op thread and its cache under {@code target/}, Avro's trusted
     * package, and errors-only logging from Flink and Kafka (the benchmark prints its own lines).
     */
    static void applyJvmDefaults() {
        LocalDemo.applyJvmDefaults();
        Path log4j = Path.of("deploy", "demo-log4j2.properties");
        if (Files.isRegularFile(log4j) && System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", log4j.toAbsolutePath().toString());
        }
    }
}
