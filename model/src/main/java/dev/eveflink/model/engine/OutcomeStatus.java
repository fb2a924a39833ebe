package dev.eveflink.model.engine;

/** How a request ended. */
public enum OutcomeStatus {
    /** The model answered. */
    OK,
    /** The deadline passed before the model could answer. */
    TIMEOUT,
    /** The request itself is unusable (bad image, prompt too long, queue full). */
    REJECTED,
    /** The model failed on it (after the batch-level retry). */
    FAILED
}
