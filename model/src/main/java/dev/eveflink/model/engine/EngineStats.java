package dev.eveflink.model.engine;

/**
 * The engine's load at one instant.
 *
 * @param queueDepth requests waiting for admission (prepared, not yet running)
 * @param preparing requests whose image is being decoded and preprocessed
 * @param running sequences in the running batch
 * @param slots the running batch's capacity (maxBatchSize)
 * @param tokenBudget KV-cache tokens the engine may reserve in total
 * @param tokensReserved KV-cache tokens reserved by the running sequences (prompt + max new tokens)
 * @param completed requests answered so far (any status)
 */
public record EngineStats(
        int queueDepth, int preparing, int running, int slots, long tokenBudget, long tokensReserved, long completed) {

    /** Running sequences over slots, 0..1. */
    public double occupancy() {
        return slots == 0 ? 0 : (double) running / slots;
    }
}
