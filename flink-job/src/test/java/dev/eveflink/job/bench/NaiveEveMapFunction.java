package dev.eveflink.job.bench;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * The baseline pipeline's operator: a synchronous map that loads EVE in {@code open()} and runs each
 * record alone on the task thread ({@link NaiveEve}), so the next record waits for the model.
 */
final class NaiveEveMapFunction extends RichMapFunction<ImageEvent, InferenceResult> {
    private static final long serialVersionUID = 1L;

    private final String modelDir;
    private final String captionQuestion;
    private final List<ModerationPolicy> policies;
    private final int defaultMaxNewTokens;

    private transient NaiveEve naive;

    NaiveEveMapFunction(String modelDir, String captionQuestion, List<ModerationPolicy> policies,
            int defaultMaxNewTokens) {
        this.modelDir = modelDir;
        this.captionQuestion = captionQuestion;
        this.policies = List.copyOf(policies);
        this.defaultMaxNewTokens = defaultMaxNewTokens;
    }

    @Override
    public void open(OpenContext openContext) {
        naive = NaiveEve.load(Path.of(modelDir), captionQuestion, policies, defaultMaxNewTokens);
    }

    @Override
    public InferenceResult map(ImageEvent event) {
        return naive.apply(event);
    }

    @Override
    public void close() {
        if (naive != null) {
            naive.close();
        }
    }
}
