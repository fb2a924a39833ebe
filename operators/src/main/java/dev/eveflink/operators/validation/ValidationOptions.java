package dev.eveflink.operators.validation;

import org.apache.flink.util.Preconditions;

import java.io.Serializable;

/**
 * Limits that {@link ImageEventValidator} enforces.
 *
 * @param maxQuestionChars longest accepted question, in UTF-16 chars; default 2048
 * @param maxNewTokensLimit largest accepted {@code maxNewTokens}; default 1024
 */
public record ValidationOptions(int maxQuestionChars, int maxNewTokensLimit)
        implements Serializable {

    public ValidationOptions {
        Preconditions.checkArgument(
                maxQuestionChars > 0,
                "maxQuestionChars must be positive, got %s",
                maxQuestionChars);
        Preconditions.checkArgument(
                maxNewTokensLimit > 0,
                "maxNewTokensLimit must be positive, got %s",
                maxNewTokensLimit);
    }

    /** 2048 question chars, 1024 new tokens. */
    public static ValidationOptions defaults() {
        return new ValidationOptions(2048, 1024);
    }

    /** A copy with another question limit. */
    public ValidationOptions withMaxQuestionChars(int maxQuestionChars) {
        return new ValidationOptions(maxQuestionChars, maxNewTokensLimit);
    }

    /** A copy with another token limit. */
    public ValidationOptions withMaxNewTokensLimit(int maxNewTokensLimit) {
        return new ValidationOptions(maxQuestionChars, maxNewTokensLimit);
    }
}
