package dev.eveflink.job.bench;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.PromptBatch;
import dev.eveflink.model.generate.Generation;
import dev.eveflink.model.generate.GenerationRequest;
import dev.eveflink.model.generate.Generator;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.generate.YesNoScorer;
import dev.eveflink.model.image.ImageLimits;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.image.PreprocessedImage;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import dev.eveflink.model.vision.VisualInput;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.PolicyVerdict;
import dev.eveflink.operators.avro.ResultError;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a user writes first, without Flink: EVE loaded once, then each event run alone on the calling
 * thread, decode image, prompt, prefill, greedy decode (the model's own {@link Generator}) or one
 * yes/no prefill per policy, before the next event is looked at. No batching, no overlap of CPU
 * preprocessing with the model. Results carry the fields of the real operator's results where they
 * mean the same. Not thread-safe.
 */
final class NaiveEve implements AutoCloseable {
    private final String modelId;
    private final String captionQuestion;
    private final List<ModerationPolicy> policies;
    private final int defaultMaxNewTokens;
    private final EveModel model;
    private final Tokenizer tokenizer;
    private final Generator generator;
    private final YesNoScorer scorer;
    private final ImagePipeline images;

    private NaiveEve(Path modelDir, String captionQuestion, List<ModerationPolicy> policies,
            int defaultMaxNewTokens, EveModel model, Tokenizer tokenizer) {
        this.modelId = modelDir.getFileName().toString();
        this.captionQuestion = captionQuestion;
        this.policies = List.copyOf(policies);
        this.defaultMaxNewTokens = defaultMaxNewTokens;
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new Generator(model, tokenizer);
        this.scorer = new YesNoScorer(tokenizer);
        this.images = new ImagePipeline(model.imageConfig(), ImageLimits.defaults());
    }

    /** Loads the model and its tokenizer on the CPU. */
    static NaiveEve load(Path modelDir, String captionQuestion, List<ModerationPolicy> policies,
            int defaultMaxNewTokens) {
        EveModel model = EveModel.load(modelDir, Device.cpu());
        try {
            return new NaiveEve(modelDir, captionQuestion, policies, defaultMaxNewTokens, model,
                    Tokenizers.load(modelDir));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Runs one event to its result; a failure becomes a FAILED result (the record is never lost). */
    InferenceResult apply(ImageEvent event) {
        long start = System.nanoTime();
        InferenceResult.Builder result = InferenceResult.newBuilder()
                .setId(event.getId())
                .setTask(event.getTask())
                .setModelId(modelId)
                .setDevice(model.device().toString())
                .setBatchSize(1);
        try {
            ByteBuffer data = ((InlineImage) event.getImage()).getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            PreprocessedImage pre = images.process(bytes);
            VisualInput image = new VisualInput(pre.pixels(), pre.height(), pre.width());
            if (event.getTask() == Task.MODERATE) {
                List<PolicyVerdict> verdicts = new ArrayList<>();
                boolean flagged = false;
                for (ModerationPolicy policy : policies) {
                    // what a first version does: a full prefill (image included) per question
                    double[] scores = new double[policy.questions().size()];
                    for (int q = 0; q < scores.length; q++) {
                        try (PromptBatch batch = model.prefill(List.of(prompt(policy.questions().get(q), image)), 0)) {
                            scores[q] = scorer.score(batch.logits()[0]).score();
                        }
                    }
                    double score = policy.combine(scores);
                    PolicyDecision decision = PolicyDecision.valueOf(policy.decide(score).name());
                    flagged |= decision != PolicyDecision.ALLOW;
                    verdicts.add(PolicyVerdict.newBuilder().setPolicyId(policy.id()).setPolicyVersion(policy.version())
                            .setScore((float) score).setDecision(decision).build());
                }
                result.setPolicies(verdicts).setFlagged(flagged);
            } else {
                String question = event.getTask() == Task.CAPTION ? captionQuestion : event.getQuestion();
                Integer requested = event.getMaxNewTokens();
                Generation answer = generator.generate(new GenerationRequest(prompt(question, image),
                        SamplingParams.greedy(requested != null ? requested : defaultMaxNewTokens)));
                result.setText(answer.text()).setGeneratedTokens(answer.tokens().length)
                        .setPromptTokens(answer.promptLength());
            }
            result.setStatus(ResultStatus.OK);
        } catch (Exception e) {
            result.setStatus(ResultStatus.FAILED).setError(ResultError.newBuilder()
                    .setCode("NAIVE_FAILURE").setMessage(String.valueOf(e)).build());
        }
        return result.setTotalMillis((System.nanoTime() - start) / 1_000_000).build();
    }

    private Prompt prompt(String question, VisualInput image) {
        return new Prompt(ChatTemplate.tokenizeWithImage(tokenizer, ChatTemplate.VICUNA_V1.prompt(question, true)),
                image);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
