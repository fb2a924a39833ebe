package dev.eveflink.model.engine;

/** What a request asks of the model. */
public enum Task {
    /** Generate text for the prompt (captions, answers). */
    GENERATE,
    /** Score yes/no: p(yes) and p(no) at the first answer token, no decoding (moderation). */
    SCORE_YES_NO
}
