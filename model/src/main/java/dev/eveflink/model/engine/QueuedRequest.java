package dev.eveflink.model.engine;

import dev.eveflink.model.SharedPrompt;

/**
 * A prepared request in the wait queue, with what the scheduler derived from the model at arrival.
 *
 * @param request the request
 * @param promptLength positions its prompt takes (scoring: its prefix plus all its suffixes, what it prefills)
 * @param newTokenLimit new tokens it may produce (its maxNewTokens, cut to the context left)
 * @param reservedTokens KV-cache tokens it reserves while running
 * @param arrival arrival order (ties after priority and deadline)
 * @param enqueuedNanos when it entered the queue
 * @param imageTokens the image's visual tokens among the prompt's positions (0 without an image)
 * @param shared for SCORE_YES_NO, its prompts split into the shared prefix and one suffix per question; else null
 */
record QueuedRequest(
        PreparedRequest request, int promptLength, int newTokenLimit, long reservedTokens, long arrival,
        long enqueuedNanos, SharedPrompt shared, int imageTokens) {}
