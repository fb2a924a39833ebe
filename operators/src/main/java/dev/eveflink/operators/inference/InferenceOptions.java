package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.DeviceSelection;
import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.validation.ImageSourcePolicy;
import dev.eveflink.operators.validation.ValidationOptions;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.Preconditions;

/**
 * Operational knobs of the inference operator, validated at construction with messages that name
 * the option.
 *
 * <pre>{@code
 * InferenceOptions options = InferenceOptions.builder("/models/eve-7b").setDevice("gpu").build();
 * }</pre>
 *
 * @param modelDir the checkpoint directory on every TaskManager (required)
 * @param modelId reported in results; default: the model directory's name
 * @param device device option, see {@link DeviceSelection}; default {@code gpu}
 * @param capacity in-flight requests per subtask (the async operator's capacity); default 32
 * @param timeout the async operator's timeout, after which a TIMEOUT result is emitted; default 60 s
 * @param outputOrder ordered or unordered results; default {@link OutputOrder#UNORDERED}
 * @param maxBatchSize the engine's largest running batch; default 8
 * @param maxWait how long the engine waits to fill a batch; default 20 ms
 * @param defaultMaxNewTokens tokens generated when an event names none; default 64
 * @param captionQuestion the question asked for CAPTION; default {@link #DEFAULT_CAPTION_QUESTION}
 * @param policies the moderation policies MODERATE events are checked against unless the caller
 *     of {@link EventMapper} passes another set; empty (default): MODERATE is rejected with
 *     {@code MODERATION_UNAVAILABLE}
 * @param engineOptions further engine settings, passed to the factory in the {@link EngineKey};
 *     default empty
 * @param validation request limits; default {@link ValidationOptions#defaults()}
 * @param imageSource where images may come from; default {@link ImageSourcePolicy#defaults()}
 */
public record InferenceOptions(
        String modelDir,
        String modelId,
        String device,
        int capacity,
        Duration timeout,
        OutputOrder outputOrder,
        int maxBatchSize,
        Duration maxWait,
        int defaultMaxNewTokens,
        String captionQuestion,
        PolicySet policies,
        Map<String, String> engineOptions,
        ValidationOptions validation,
        ImageSourcePolicy imageSource)
        implements Serializable {

    /** Default {@link #captionQuestion}. */
    public static final String DEFAULT_CAPTION_QUESTION = "Describe the image in one sentence.";

    /** {@link EngineKey} option carrying {@link #maxBatchSize}. */
    public static final String MAX_BATCH_SIZE_KEY = "maxBatchSize";

    /** {@link EngineKey} option carrying {@link #maxWait} (ISO-8601, e.g. {@code PT0.02S}). */
    public static final String MAX_WAIT_KEY = "maxWait";

    public InferenceOptions {
        Preconditions.checkArgument(
                modelDir != null && !modelDir.isBlank(), "modelDir must not be blank");
        if (modelId == null) {
            Path name = Path.of(modelDir).getFileName();
            modelId = name == null ? modelDir : name.toString();
        }
        Preconditions.checkArgument(!modelId.isBlank(), "modelId must not be blank");
        Preconditions.checkArgument(device != null, "device must not be null");
        try {
            DeviceSelection.parse(device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device: " + e.getMessage(), e);
        }
        Preconditions.checkArgument(capacity >= 1, "capacity must be >= 1, got %s", capacity);
        Preconditions.checkArgument(
                timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive, got %s", timeout);
        Preconditions.checkArgument(outputOrder != null, "outputOrder must not be null");
        Preconditions.checkArgument(
                maxBatchSize >= 1, "maxBatchSize must be >= 1, got %s", maxBatchSize);
        Preconditions.checkArgument(
                maxWait != null && !maxWait.isNegative(), "maxWait must be >= 0, got %s", maxWait);
        Preconditions.checkArgument(validation != null, "validation must not be null");
        Preconditions.checkArgument(imageSource != null, "imageSource must not be null");
        Preconditions.checkArgument(
                defaultMaxNewTokens >= 1 && defaultMaxNewTokens <= validation.maxNewTokensLimit(),
                "defaultMaxNewTokens must be in 1..%s (validation.maxNewTokensLimit), got %s",
                validation.maxNewTokensLimit(),
                defaultMaxNewTokens);
        Preconditions.checkArgument(
                captionQuestion != null && !captionQuestion.isBlank(),
                "captionQuestion must not be blank");
        Preconditions.checkArgument(
                captionQuestion.length() <= validation.maxQuestionChars(),
                "captionQuestion has %s chars, validation.maxQuestionChars is %s",
                captionQuestion.length(),
                validation.maxQuestionChars());
        Preconditions.checkArgument(policies != null, "policies must not be null");
        Preconditions.checkArgument(engineOptions != null, "engineOptions must not be null");
        Preconditions.checkArgument(
                !engineOptions.containsKey(MAX_BATCH_SIZE_KEY)
                        && !engineOptions.containsKey(MAX_WAIT_KEY),
                "engineOptions must not set %s or %s: use the options of the same name",
                MAX_BATCH_SIZE_KEY,
                MAX_WAIT_KEY);
        engineOptions = Map.copyOf(engineOptions);
    }

    /** A builder with every default; {@code modelDir} is the one required option. */
    public static Builder builder(String modelDir) {
        return new Builder(modelDir);
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The timeout in milliseconds, as {@code AsyncDataStream} wants it. */
    public long timeoutMillis() {
        return timeout.toMillis();
    }

    /**
     * The key under which {@code EnginePool} shares the engine of {@code device}: model directory
     * plus {@link #engineOptions}, {@link #maxBatchSize} and {@link #maxWait}.
     */
    public EngineKey engineKey(String device) {
        Map<String, String> options = new TreeMap<>(engineOptions);
        options.put(MAX_BATCH_SIZE_KEY, Integer.toString(maxBatchSize));
        options.put(MAX_WAIT_KEY, maxWait.toString());
        return new EngineKey(device, Path.of(modelDir), options);
    }

    /**
     * Settings that are legal but probably wrong, one sentence each. {@link EveInference} logs them
     * as warnings when it builds the operator.
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (capacity < maxBatchSize) {
            warnings.add(
                    "capacity ("
                            + capacity
                            + ") < maxBatchSize ("
                            + maxBatchSize
                            + "): one subtask can never fill a batch on its own; raise capacity to"
                            + " at least maxBatchSize (better a multiple of it)");
        }
        if (timeout.compareTo(maxWait) <= 0) {
            warnings.add(
                    "timeout ("
                            + timeout
                            + ") <= maxWait ("
                            + maxWait
                            + "): requests may time out while the engine waits to fill a batch");
        }
        return warnings;
    }

    /** Builds {@link InferenceOptions}; setters return the builder, {@link #build()} validates. */
    public static final class Builder {
        private String modelDir;
        private String modelId;
        private String device = "gpu";
        private int capacity = 32;
        private Duration timeout = Duration.ofSeconds(60);
        private OutputOrder outputOrder = OutputOrder.UNORDERED;
        private int maxBatchSize = 8;
        private Duration maxWait = Duration.ofMillis(20);
        private int defaultMaxNewTokens = 64;
        private String captionQuestion = DEFAULT_CAPTION_QUESTION;
        private PolicySet policies = PolicySet.empty();
        private Map<String, String> engineOptions = Map.of();
        private ValidationOptions validation = ValidationOptions.defaults();
        private ImageSourcePolicy imageSource = ImageSourcePolicy.defaults();

        private Builder(String modelDir) {
            this.modelDir = modelDir;
        }

        private Builder(InferenceOptions o) {
            modelDir = o.modelDir;
            modelId = o.modelId;
            device = o.device;
            capacity = o.capacity;
            timeout = o.timeout;
            outputOrder = o.outputOrder;
            maxBatchSize = o.maxBatchSize;
            maxWait = o.maxWait;
            defaultMaxNewTokens = o.defaultMaxNewTokens;
            captionQuestion = o.captionQuestion;
            policies = o.policies;
            engineOptions = o.engineOptions;
            validation = o.validation;
            imageSource = o.imageSource;
        }

        public Builder setModelId(String modelId) {
            this.modelId = modelId;
            return this;
        }

        public Builder setDevice(String device) {
            this.device = device;
            return this;
        }

        public Builder setCapacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        public Builder setTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder setOutputOrder(OutputOrder outputOrder) {
            this.outputOrder = outputOrder;
            return this;
        }

        public Builder setMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        public Builder setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        public Builder setDefaultMaxNewTokens(int defaultMaxNewTokens) {
            this.defaultMaxNewTokens = defaultMaxNewTokens;
            return this;
        }

        public Builder setCaptionQuestion(String captionQuestion) {
            this.captionQuestion = captionQuestion;
            return this;
        }

        /** The default moderation policies (e.g. read by {@code PolicyFiles.read}). */
        public Builder setPolicies(PolicySet policies) {
            this.policies = policies;
            return this;
        }

        public Builder setEngineOptions(Map<String, String> engineOptions) {
            this.engineOptions = engineOptions;
            return this;
        }

        public Builder setValidation(ValidationOptions validation) {
            this.validation = validation;
            return this;
        }

        public Builder setImageSource(ImageSourcePolicy imageSource) {
            this.imageSource = imageSource;
            return this;
        }

        /** Validated options. */
        public InferenceOptions build() {
            return new InferenceOptions(
                    modelDir,
                    modelId,
                    device,
                    capacity,
                    timeout,
                    outputOrder,
                    maxBatchSize,
                    maxWait,
                    defaultMaxNewTokens,
                    captionQuestion,
                    policies,
                    engineOptions,
                    validation,
                    imageSource);
        }
    }
}
