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
import dev.eveflink.operators.inference.ModerationQuestion;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * The baseline a user writes first: a synchronous map that loads EVE in {@code open()} and runs each
 * record alone on the task thread, decode image, prompt, prefill, greedy decode (the model's own
 * {@link Generator}) or one yes/no prefill per policy, before the next record is even read. No
 * batching, no overlap of CPU preprocessing with the model. Results carry the same fields the real
 * operator's results carry where they mean the same.
 */
final class NaiveEveMapFunction extends RichMapFunction<ImageEvent, InferenceResult> {
    private static final long serialVersionUID = 1L;

    private final String modelDir;
    private final String captionQuestion;
    private final List<ModerationQuestion> policies;
    private final int defaultMaxNewTokens;

    private transient EveModel model;
    private transient Tokenizer tokenizer;
    private transient Generator generator;
    private transient YesNoScorer scorer;
    private transient ImagePipeline images;

    NaiveEveMapFunction(String modelDir, String captionQuestion, List<ModerationQuestion> policies,
            int defaultMaxNewTokens) {
        this.modelDir = modelDir;
        this.captionQuestion = captionQuestion;
        this.policies = List.copyOf(policies);
        this.defaultMaxNewTokens = defaultMaxNewTokens;
    }

    @Override
    public void open(OpenContext openContext) {
        model = EveModel.load(Path.of(modelDir), Device.cpu());
        tokenizer = Tokenizers.load(Path.of(modelDir));
        generator = new Generator(model, tokenizer);
        scorer = new YesNoScorer(tokenizer);
        images = new ImagePipeline(model.imageConfig(), ImageLimits.defaults());
    }

    @Override
    public InferenceResult map(ImageEvent event) {
        long start = System.nanoTime();
        InferenceResult.Builder result = InferenceResult.newBuilder()
                .setId(event.getId())
                .setTask(event.getTask())
                .setModelId(Path.of(modelDir).getFileName().toString())
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
                for (ModerationQuestion policy : policies) {
                    try (PromptBatch batch = model.prefill(List.of(prompt(policy.question(), image)), 0)) {
                        double pYes = scorer.score(batch.logits()[0]).pYes();
                        PolicyDecision decision = policy.decide(pYes);
                        flagged |= decision != PolicyDecision.ALLOW;
                        verdicts.add(PolicyVerdict.newBuilder().setPolicyId(policy.policyId())
                                .setScore((float) pYes).setDecision(decision).build());
                    }
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
            // The naive version still must not lose a record: an error becomes a FAILED result.
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
    public void close() throws Exception {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (model != null) {
            model.close();
        }
    }
}
