package dev.eveflink.model.cli;

import ai.djl.Device;
import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.engine.CloseableInferenceService;
import dev.eveflink.model.engine.EngineOptions;
import dev.eveflink.model.engine.EveEngines;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.model.engine.Task;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.model.policy.PolicyFileException;
import dev.eveflink.model.policy.PolicyFiles;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.model.policy.Verdict;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code batch}: offline inference of a JSONL file of requests through the batching engine, writing one
 * JSONL result per request in input order. A bad line or image gets a {@code REJECTED} result and the
 * rest go on; a progress bar and a final summary go to stderr.
 *
 * <p>Moderation follows the Flink job's rules: policies come from {@code --policies FILE} (the job's
 * policies file format, YAML or JSON; default the demo's two), a moderate line checks those it names in
 * {@code "policies"} (else every policy of its optional {@code "tenant"}), and its result line carries
 * {@code "scores": {policyId: {"score", "decision", "version"}}}, the overall {@code "decision"} and the
 * {@code "policySet"} version.
 *
 * <p>Lines are submitted ahead of the one being written, at most {@link #WINDOW_PER_SLOT} times the
 * batch size, so the engine's running batch stays full without holding the whole file's images in memory.
 */
final class BatchCommand implements CliCommand {
    static final int DEFAULT_MAX_BATCH = 8;
    static final int MAX_NEW_TOKENS = 64;
    private static final int WINDOW_PER_SLOT = 4;
    /** Positions one sequence may use: a demo image prompt plus its answer fit with room to spare. */
    private static final int MAX_POSITIONS = 2048;

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String usage() {
        return "batch --model DIR --requests FILE.jsonl --out FILE.jsonl [--max-batch N] [--policies FILE.yaml|.json]";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "requests", "out", "max-batch", "policies");
    }

    @Override
    public void run(CliArgs args, PrintStream out) throws Exception {
        run(args, out, System.err);
    }

    @Override
    public void run(CliArgs args, PrintStream out, PrintStream err) throws Exception {
        Path model = args.path("model");
        Path requests = args.path("requests");
        Path results = args.path("out");
        int maxBatch = args.intValue("max-batch", DEFAULT_MAX_BATCH);
        if (maxBatch < 1) {
            throw new UsageException("--max-batch must be >= 1, got " + maxBatch);
        }
        PolicySet policies;
        try {
            policies = args.has("policies") ? PolicyFiles.read(args.path("policies")) : DemoPolicy.policySet();
        } catch (PolicyFileException e) {
            throw new CliFailure(e.getMessage());
        }
        if (!Files.isDirectory(model)) {
            throw new CliFailure("model directory not found: " + model);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(requests, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new CliFailure("cannot read requests file " + requests + ": " + e.getMessage());
        }
        Path baseDir = requests.toAbsolutePath().getParent();
        EngineOptions options = EngineOptions.builder().setMaxBatchSize(maxBatch)
                .setQueueCapacity(Math.max(1024, maxBatch * WINDOW_PER_SLOT))
                .build();
        long start = System.nanoTime();
        try (CloseableInferenceService engine = EveEngines.start(model, Device.cpu(), options, MAX_POSITIONS);
                BufferedWriter writer = Files.newBufferedWriter(results, StandardCharsets.UTF_8)) {
            BatchProgress progress = new BatchProgress(err, lines.size(), start);
            Deque<CompletableFuture<Map<String, Object>>> window = new ArrayDeque<>();
            int windowSize = maxBatch * WINDOW_PER_SLOT;
            for (int i = 0; i < lines.size(); i++) {
                window.add(submit(engine, lines.get(i), i + 1, baseDir, policies));
                if (window.size() >= windowSize) {
                    write(writer, window.poll().join(), progress);
                }
            }
            while (!window.isEmpty()) {
                write(writer, window.poll().join(), progress);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        err.println(String.format(Locale.ROOT, "batch: %d requests in %.2f s, %.2f images/s (max batch %d)",
                lines.size(), seconds, lines.size() / Math.max(seconds, 1e-9), maxBatch));
    }

    private static void write(BufferedWriter writer, Map<String, Object> result, BatchProgress progress)
            throws IOException {
        writer.write(Json.line(result));
        writer.newLine();
        progress.advance(System.nanoTime());
    }

    /** Parses and submits one line; the future never fails: problems become a non-OK result. */
    private static CompletableFuture<Map<String, Object>> submit(CloseableInferenceService engine, String text,
            int lineNumber, Path baseDir, PolicySet policies) {
        BatchLine line;
        try {
            line = BatchLine.parse(text, lineNumber, baseDir, policies);
        } catch (BatchLine.BadLineException e) {
            return CompletableFuture.completedFuture(failure(e.id, OutcomeStatus.REJECTED, e.getMessage()));
        }
        // A moderate line is one scoring request: the engine prefills the image once for all its questions.
        InferenceRequest request = line.isModeration()
                ? InferenceRequest.scoring(line.id(), line.image(), line.questions(),
                        SamplingParams.greedy(MAX_NEW_TOKENS), InferenceRequest.DEFAULT_PRIORITY, null)
                : new InferenceRequest(line.id(), Task.GENERATE, line.image(), line.questions().get(0),
                        SamplingParams.greedy(MAX_NEW_TOKENS), InferenceRequest.DEFAULT_PRIORITY, null);
        return engine.submit(request)
                .handle((outcome, error) -> error != null
                        ? failure(line.id(), OutcomeStatus.FAILED, "engine failed: " + error.getMessage())
                        : result(line, policies, outcome));
    }

    private static Map<String, Object> result(BatchLine line, PolicySet policies, InferenceOutcome outcome) {
        if (outcome.status() != OutcomeStatus.OK) {
            return failure(line.id(), outcome.status(), outcome.errorCode() + ": " + outcome.errorMessage());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", line.id());
        json.put("status", OutcomeStatus.OK.name());
        if (line.isModeration()) {
            double[] questionScores = outcome.scores().stream().mapToDouble(YesNoScore::score).toArray();
            List<Verdict> verdicts = Verdict.of(line.policies(), questionScores);
            Map<String, Object> scores = new LinkedHashMap<>();
            for (Verdict v : verdicts) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("score", v.score());
                one.put("decision", v.decision().name());
                one.put("version", v.policy().version());
                scores.put(v.policy().id(), one);
            }
            json.put("scores", scores);
            json.put("decision", Verdict.overall(verdicts).name());
            json.put("policySet", policies.version());
        } else {
            json.put("text", outcome.text());
        }
        return json;
    }

    private static Map<String, Object> failure(String id, OutcomeStatus status, String error) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("status", status.name());
        json.put("error", error);
        return json;
    }
}
