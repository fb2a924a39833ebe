package dev.eveflink.model.demo.train;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.PromptBatch;
import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.demo.world.QuestionAnswer;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.demo.world.WorldSample;
import dev.eveflink.model.generate.Generation;
import dev.eveflink.model.generate.GenerationRequest;
import dev.eveflink.model.generate.Generator;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.generate.YesNoScorer;
import dev.eveflink.model.image.ImageException;
import dev.eveflink.model.image.ImageLimits;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.image.PreprocessedImage;
import dev.eveflink.model.policy.Decision;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.model.policy.Verdict;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import dev.eveflink.model.vision.VisualInput;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores a published demo model on held-out world images through the inference path (greedy
 * {@link Generator}, {@link YesNoScorer}): caption exact match (also by shape count), VQA exact match over
 * every legal question, and each policy's decision accuracy. The images are drawn by the world's own renderer
 * or, with {@code --renderer java2d}, by the independent {@link EvaluationRenderer#JAVA2D} (same scenes and truth).
 */
public final class DemoEvaluator {
    /** A world seed the trainer's defaults never use. */
    public static final long HELD_OUT_SEED = 1_000_003L;

    private static final String USAGE =
            "usage: DemoEvaluator --model DIR [--seed S] [--count N] [--renderer world|java2d]";

    /** The scores; fractions in 0..1. */
    public record Report(int images, double caption, double[] captionByShapes, double vqa, int questions,
            Map<DemoPolicy, Double> policies) {

        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "| metric | value | bar |%n|---|---|---|%n");
            out.printf(Locale.ROOT, "| caption exact match (%d images) | %.1f%% | 90%% |%n", images, 100 * caption);
            for (int n = 1; n <= 3; n++) {
                out.printf(Locale.ROOT, "| caption, %d shape(s) | %.1f%% | |%n", n, 100 * captionByShapes[n - 1]);
            }
            out.printf(Locale.ROOT, "| VQA exact match (%d questions) | %.1f%% | 95%% |%n", questions, 100 * vqa);
            policies.forEach((p, acc) -> out.printf(Locale.ROOT, "| policy %s accuracy | %.1f%% | 97%% |%n",
                    p.policyName(), 100 * acc));
        }
    }

    private final EveModel model;
    private final Tokenizer tokenizer;
    private final ImagePipeline images;
    private final Generator generator;
    private final YesNoScorer scorer;
    /**
     * The demo's policies as the job and the CLI use them by default. A policy's decision is made as the
     * Flink operator makes it ({@link Verdict}): each question's score is p(yes) / (p(yes) + p(no)) at the
     * first answer token, the policy's score the largest of them, and the image counts as flagged when
     * {@link ModerationPolicy#decide} says REVIEW or FLAG (the demo's policies flag at 0.5, no review band).
     */
    private final PolicySet policySet = DemoPolicy.policySet();

    public DemoEvaluator(EveModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.images = new ImagePipeline(model.imageConfig(), ImageLimits.defaults());
        this.generator = new Generator(model, tokenizer);
        this.scorer = new YesNoScorer(tokenizer);
    }

    public static void main(String[] args) throws Exception {
        Path dir = null;
        long seed = HELD_OUT_SEED;
        int count = 200;
        EvaluationRenderer renderer = EvaluationRenderer.WORLD;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--model" -> dir = Path.of(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                case "--renderer" -> renderer = EvaluationRenderer.named(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; " + USAGE);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException(USAGE);
        }
        try (EveModel model = EveModel.load(dir, Device.cpu());
                Tokenizer tokenizer = Tokenizers.load(dir)) {
            System.out.printf(Locale.ROOT, "renderer %s, seed %d%n", renderer.optionName(), seed);
            new DemoEvaluator(model, tokenizer).evaluate(seed, count, renderer).print(System.out);
        }
    }

    /** Evaluates images {@code 0 .. count-1} of world {@code seed}, drawn by the world's own renderer. */
    public Report evaluate(long seed, int count) throws ImageException {
        return evaluate(seed, count, EvaluationRenderer.WORLD);
    }

    /** Evaluates the scenes of images {@code 0 .. count-1} of world {@code seed}, drawn by {@code renderer}. */
    public Report evaluate(long seed, int count, EvaluationRenderer renderer) throws ImageException {
        int captions = 0;
        int[] byShapes = new int[3];
        int[] shapesSeen = new int[3];
        int vqaRight = 0;
        int vqaTotal = 0;
        Map<DemoPolicy, int[]> policy = new EnumMap<>(DemoPolicy.class);
        for (DemoPolicy p : DemoPolicy.values()) {
            policy.put(p, new int[1]);
        }
        for (int i = 0; i < count; i++) {
            WorldSample sample = World.sample(seed, i);
            PreprocessedImage pre = images.process(renderer.image(sample));
            VisualInput image = new VisualInput(pre.pixels(), pre.height(), pre.width());
            List<QuestionAnswer> questions = sample.truth().questions();
            List<GenerationRequest> requests = new ArrayList<>();
            requests.add(new GenerationRequest(prompt(DemoVocabulary.CAPTION_QUESTION, image), SamplingParams.greedy(40)));
            for (QuestionAnswer qa : questions) {
                requests.add(new GenerationRequest(prompt(qa.question(), image), SamplingParams.greedy(4)));
            }
            List<Generation> out = generator.generate(requests);
            int n = sample.scene().shapes().size();
            shapesSeen[n - 1]++;
            if (out.get(0).text().equals(sample.truth().caption())) {
                captions++;
                byShapes[n - 1]++;
            }
            for (int q = 0; q < questions.size(); q++) {
                vqaRight += out.get(q + 1).text().equals(questions.get(q).answer()) ? 1 : 0;
                vqaTotal++;
            }
            for (DemoPolicy p : DemoPolicy.values()) {
                ModerationPolicy rule = policySet.policy(p.policyName()).orElseThrow();
                double[] questionScores = new double[rule.questions().size()];
                for (int q = 0; q < questionScores.length; q++) {
                    try (PromptBatch batch = model.prefill(List.of(prompt(rule.questions().get(q), image)), 0)) {
                        questionScores[q] = scorer.score(batch.logits()[0]).score();
                    }
                }
                // The operator's rule: flagged (sent to the flagged topic) when the decision is not ALLOW.
                Verdict verdict = Verdict.of(List.of(rule), questionScores).get(0);
                boolean flagged = verdict.decision() != Decision.ALLOW;
                policy.get(p)[0] += flagged == sample.truth().flagged(p) ? 1 : 0;
            }
        }
        double[] captionBy = new double[3];
        for (int k = 0; k < 3; k++) {
            captionBy[k] = shapesSeen[k] == 0 ? Double.NaN : (double) byShapes[k] / shapesSeen[k];
        }
        Map<DemoPolicy, Double> policies = new EnumMap<>(DemoPolicy.class);
        policy.forEach((p, right) -> policies.put(p, (double) right[0] / count));
        return new Report(count, (double) captions / count, captionBy, (double) vqaRight / vqaTotal, vqaTotal,
                policies);
    }

    private Prompt prompt(String question, VisualInput image) {
        return new Prompt(ChatTemplate.tokenizeWithImage(tokenizer, ChatTemplate.VICUNA_V1.prompt(question, true)),
                image);
    }
}
