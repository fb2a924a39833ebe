package dev.eveflink.model.engine;

/**
 * A prepared request in the wait queue, with what the scheduler derived from the model at arrival.
 *
 * @param request the request
 * @param promptLength positions its prompt takes
 * @param newTokenLimit new tokens it may produce (its maxNewTokens, cut to the context left)
 * @param reservedTokens KV-cache tokens it reserves while running
 * @param arrival arrival order (ties after priority and deadline)
 * @param enqueuedNanos when it entered the queue
 */
record QueuedRequest(
        PreparedRequest request, int promptLength, int newTokenLimit, long reservedTokens, long arrival,
        long enqueuedNanos) {}
