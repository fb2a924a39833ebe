package dev.eveflink.operators.errors;

/**
 * Typed reasons why a record could not be turned into a normal result.
 *
 * <p>The constant's name is what travels in {@code InferenceResult.error.code} and {@code
 * DeadLetter.errorCode}; later stages add their own constants here (names are never reused).
 */
public enum ErrorCode {
    // Deserialization (the record becomes a DeadLetter).
    /** The Kafka record has no value (null or zero bytes). */
    EMPTY_VALUE,
    /** The value is not an Avro single-object encoded ImageEvent this job can read. */
    UNDECODABLE_VALUE,
    /** The value was written with a schema whose fingerprint this job does not know. */
    UNKNOWN_WRITER_SCHEMA,

    // Request validation (the request is REJECTED).
    /** The id is blank. */
    MISSING_ID,
    /** The task is UNKNOWN (a newer writer's task, or none). */
    UNKNOWN_TASK,
    /** A VQA request without a question. */
    MISSING_QUESTION,
    /** The question exceeds the configured length limit. */
    QUESTION_TOO_LONG,
    /** Priority outside 0..9. */
    PRIORITY_OUT_OF_RANGE,
    /** maxNewTokens is not positive or exceeds the configured limit. */
    MAX_NEW_TOKENS_OUT_OF_RANGE,
    /** A policies list that is present but empty or contains a blank id. */
    INVALID_POLICIES,

    // Image resolution (the request is REJECTED).
    /** The image field is missing or of an unknown kind. */
    MISSING_IMAGE,
    /** Zero image bytes. */
    IMAGE_EMPTY,
    /** More image bytes than the configured limit. */
    IMAGE_TOO_LARGE,
    /** The URI cannot be parsed or is not absolute. */
    INVALID_IMAGE_URI,
    /** The URI's scheme is not file, http or https. */
    UNSUPPORTED_URI_SCHEME,
    /** The URI matches no allowed prefix (the default allow-list is empty). */
    IMAGE_URI_NOT_ALLOWED,
    /** Fetching an allowed URI failed (I/O error, non-200 status, redirect, timeout). */
    IMAGE_FETCH_FAILED,

    // Inference (the operator's own codes; an engine's error codes travel verbatim as strings).
    /** A MODERATE request, but no moderation question (or not the named policy) is configured. */
    MODERATION_UNAVAILABLE,
    /** The operator's async timeout passed before the engine answered (status TIMEOUT). */
    OPERATOR_TIMEOUT,
    /** The engine answered TIMEOUT without a code of its own. */
    DEADLINE_EXCEEDED,
    /** The engine answered REJECTED without a code of its own. */
    ENGINE_REJECTED,
    /** The engine answered FAILED without a code of its own. */
    INFERENCE_FAILED,

    // Policy topic (the record becomes a DeadLetter; the tenant keeps its previous set).
    /** A policy-topic record whose key or policies file cannot be used. */
    POLICY_INVALID
}
