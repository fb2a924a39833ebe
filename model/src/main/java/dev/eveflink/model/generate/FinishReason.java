package dev.eveflink.model.generate;

/** Why a sequence stopped generating. */
public enum FinishReason {
    /** The model produced the end-of-sequence token. */
    EOS,
    /** The text reached one of the request's stop strings (it is cut before the stop string). */
    STOP_STRING,
    /** {@code maxNewTokens} tokens were produced, or the context window is full. */
    LENGTH
}
