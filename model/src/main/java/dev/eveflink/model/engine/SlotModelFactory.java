package dev.eveflink.model.engine;

/**
 * Creates the engine's {@link SlotModel}. Called once, ON the engine's worker thread, so that every
 * tensor of the device is created by the thread that will use it.
 */
@FunctionalInterface
public interface SlotModelFactory {
    SlotModel create() throws Exception;
}
