package dev.eveflink.model.engine;

import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.SharedPrompt;
import dev.eveflink.model.SlotBatch;
import java.util.List;

/** {@link SlotModel} over a real EVE model: the continuous batch's tensors live in a {@link SlotBatch}. */
public final class EveSlotModel implements SlotModel {
    private final EveModel model;
    private final SlotBatch batch;
    private final boolean ownsModel;

    /**
     * @param slots the largest running batch
     * @param maxPositions positions per sequence (at most the model's context)
     * @param ownsModel close the model with this slot model
     */
    public EveSlotModel(EveModel model, int slots, int maxPositions, boolean ownsModel) {
        this.model = model;
        this.batch = model.newSlotBatch(slots, Math.min(maxPositions, model.config().maxPositions()));
        this.ownsModel = ownsModel;
    }

    public EveModel model() {
        return model;
    }

    @Override
    public int slots() {
        return batch.slots();
    }

    @Override
    public int maxPositions() {
        return batch.capacity();
    }

    @Override
    public int promptLength(Prompt prompt) {
        return model.promptLength(prompt);
    }

    @Override
    public float[][] prefill(int[] slots, List<Prompt> prompts) {
        return batch.prefill(slots, prompts);
    }

    @Override
    public float[][] scoreShared(List<SharedPrompt> groups) {
        return batch.scoreShared(groups);
    }

    @Override
    public float[][] decode(int[] tokens) {
        return batch.decode(tokens);
    }

    @Override
    public void move(int from, int to) {
        batch.move(from, to);
    }

    @Override
    public void release(int slot) {
        batch.release(slot);
    }

    @Override
    public String device() {
        return model.device().toString();
    }

    @Override
    public void close() {
        batch.close();
        if (ownsModel) {
            model.close();
        }
    }
}
