package dev.eveflink.model.engine;

import dev.eveflink.model.image.ImageErrorCode;

/** The machine-readable {@link InferenceOutcome#errorCode()} values an engine produces. */
public final class ErrorCodes {
    /** The wait queue (preparation included) holds {@code queueCapacity} requests already. */
    public static final String QUEUE_FULL = "QUEUE_FULL";
    /** The question has more chars than {@code maxQuestionChars}. */
    public static final String QUESTION_TOO_LONG = "QUESTION_TOO_LONG";
    /** The prompt (text plus visual tokens) takes more positions than the model has. */
    public static final String PROMPT_TOO_LONG = "PROMPT_TOO_LONG";
    /** The request alone needs more KV-cache tokens than the engine's whole token budget. */
    public static final String TOKEN_BUDGET_EXCEEDED = "TOKEN_BUDGET_EXCEEDED";
    /** The request's deadline passed before it finished. */
    public static final String DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED";
    /** The model failed on this request, also after the batch-level retry. */
    public static final String MODEL_ERROR = "MODEL_ERROR";
    /** The prompt could not be built (tokenizer failure, malformed request). */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    private ErrorCodes() {}

    /** {@code IMAGE_<code>}, e.g. {@code IMAGE_CORRUPT}. */
    public static String image(ImageErrorCode code) {
        return "IMAGE_" + code.name();
    }
}
