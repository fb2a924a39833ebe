package dev.eveflink.model.engine;

import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.image.ImageLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * Operational knobs of one {@link Engine}. Build with {@link #builder()}:
 *
 * <pre>{@code
 * EngineOptions options = EngineOptions.builder().setMaxBatchSize(16).setMaxWait(Duration.ofMillis(2)).build();
 * }</pre>
 *
 * @param maxBatchSize most sequences in the running batch (default 8; capped by the model's slots)
 * @param maxWait longest time an idle engine holds a request back to let a batch fill (default 5 ms)
 * @param queueCapacity most requests waiting for admission, preparation included (default 1024)
 * @param tokenBudget KV-cache positions all running sequences may reserve together; 0 = the model's
 *     {@code slots * maxPositions} (default 0)
 * @param maxPrefillTokens prompt positions admitted per iteration, so one burst of long (image) prompts
 *     is prefilled over several iterations while running sequences keep decoding; at least one joiner
 *     is always admitted; 0 = unlimited (default {@link #DEFAULT_MAX_PREFILL_TOKENS})
 * @param cpuThreads threads decoding and preprocessing images and tokenizing prompts (default 2)
 * @param maxQuestionChars longest accepted question, in chars (default 4096)
 * @param defaultMaxNewTokens new-token limit of {@link #defaultParams()} (default 64)
 * @param maxConsecutiveFailures batch-level model failures in a row that make the engine give up as
 *     fatal (default 3)
 * @param imageLimits limits checked before an image is decoded (default {@link ImageLimits#defaults()})
 */
public record EngineOptions(
        int maxBatchSize,
        Duration maxWait,
        int queueCapacity,
        long tokenBudget,
        int maxPrefillTokens,
        int cpuThreads,
        int maxQuestionChars,
        int defaultMaxNewTokens,
        int maxConsecutiveFailures,
        ImageLimits imageLimits) {

    /**
     * Default cap of prompt positions per prefill. Measured on the bench-s model with one CPU thread: 15
     * image prompts of 376 positions prefilled in one forward took 10.2 s against 0.25 s each alone (the
     * working set of one huge forward falls out of the caches), while a few prompts per forward are faster
     * per token than one; about 2,048 positions keeps both benefits.
     */
    public static final int DEFAULT_MAX_PREFILL_TOKENS = 2048;

    public EngineOptions {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(imageLimits, "imageLimits");
        positive("maxBatchSize", maxBatchSize);
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be >= 0, got " + maxWait);
        }
        positive("queueCapacity", queueCapacity);
        if (tokenBudget < 0) {
            throw new IllegalArgumentException("tokenBudget must be >= 0 (0 = slots * maxPositions), got "
                    + tokenBudget);
        }
        if (maxPrefillTokens < 0) {
            throw new IllegalArgumentException("maxPrefillTokens must be >= 0 (0 = unlimited), got "
                    + maxPrefillTokens);
        }
        positive("cpuThreads", cpuThreads);
        positive("maxQuestionChars", maxQuestionChars);
        positive("defaultMaxNewTokens", defaultMaxNewTokens);
        positive("maxConsecutiveFailures", maxConsecutiveFailures);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults documented on the record. */
    public static EngineOptions defaults() {
        return builder().build();
    }

    /** Greedy decoding with {@link #defaultMaxNewTokens()} new tokens. */
    public SamplingParams defaultParams() {
        return SamplingParams.greedy(defaultMaxNewTokens);
    }

    /** The token budget for a model with these slots and positions. */
    long effectiveTokenBudget(int slots, int maxPositions) {
        return tokenBudget > 0 ? tokenBudget : (long) slots * maxPositions;
    }

    /** Fluent builder; defaults are documented on {@link EngineOptions}. */
    public static final class Builder {
        private int maxBatchSize = 8;
        private Duration maxWait = Duration.ofMillis(5);
        private int queueCapacity = 1024;
        private long tokenBudget = 0;
        private int maxPrefillTokens = DEFAULT_MAX_PREFILL_TOKENS;
        private int cpuThreads = 2;
        private int maxQuestionChars = 4096;
        private int defaultMaxNewTokens = 64;
        private int maxConsecutiveFailures = 3;
        private ImageLimits imageLimits = ImageLimits.defaults();

        private Builder() {}

        public Builder setMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        public Builder setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        public Builder setTokenBudget(long tokenBudget) {
            this.tokenBudget = tokenBudget;
            return this;
        }

        public Builder setMaxPrefillTokens(int maxPrefillTokens) {
            this.maxPrefillTokens = maxPrefillTokens;
            return this;
        }

        public Builder setCpuThreads(int cpuThreads) {
            this.cpuThreads = cpuThreads;
            return this;
        }

        public Builder setMaxQuestionChars(int maxQuestionChars) {
            this.maxQuestionChars = maxQuestionChars;
            return this;
        }

        public Builder setDefaultMaxNewTokens(int defaultMaxNewTokens) {
            this.defaultMaxNewTokens = defaultMaxNewTokens;
            return this;
        }

        public Builder setMaxConsecutiveFailures(int maxConsecutiveFailures) {
            this.maxConsecutiveFailures = maxConsecutiveFailures;
            return this;
        }

        public Builder setImageLimits(ImageLimits imageLimits) {
            this.imageLimits = imageLimits;
            return this;
        }

        /** Validates every option (the message names the offending one) and builds. */
        public EngineOptions build() {
            return new EngineOptions(maxBatchSize, maxWait, queueCapacity, tokenBudget, maxPrefillTokens, cpuThreads,
                    maxQuestionChars, defaultMaxNewTokens, maxConsecutiveFailures, imageLimits);
        }
    }
}
