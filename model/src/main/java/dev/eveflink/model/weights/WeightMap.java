package dev.eveflink.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The loaded inference tensors by checkpoint name, with strict access: {@link #get} fails naming
 * the tensor when it is missing or its shape differs, and {@link #assertAllUsed()} fails when the
 * model never asked for a tensor, so a weight cannot be ignored silently.
 *
 * <p>Every array belongs to {@link #manager()}, a sub-manager of the manager passed to the loader;
 * {@link #close()} frees them all (closing the parent manager does too). Not thread-safe: build the
 * model on one thread.
 */
public final class WeightMap implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> arrays;
    private final Set<String> used = new HashSet<>();

    WeightMap(NDManager manager, Map<String, NDArray> arrays) {
        this.manager = manager;
        this.arrays = Collections.unmodifiableMap(arrays);
    }

    /**
     * The tensor called {@code name}, checked to have exactly {@code expectedShape} (no dimensions
     * = a scalar), and marked as used.
     *
     * @throws CheckpointException naming the tensor when it is absent or its shape differs
     */
    public NDArray get(String name, long... expectedShape) {
        return get(name, new Shape(expectedShape));
    }

    /** As {@link #get(String, long...)} with a DJL shape. */
    public NDArray get(String name, Shape expectedShape) {
        NDArray array = require(name);
        if (!array.getShape().equals(expectedShape)) {
            throw new CheckpointException("tensor '" + name + "' has shape " + array.getShape()
                    + " but the model expects " + expectedShape);
        }
        used.add(name);
        return array;
    }

    /** True when the checkpoint provided {@code name} (for optional tensors such as biases). */
    public boolean contains(String name) {
        return arrays.containsKey(name);
    }

    /** The shape of a loaded tensor, without marking it used (to read dimensions off the checkpoint). */
    public Shape shape(String name) {
        return require(name).getShape();
    }

    /** Every loaded tensor name, in checkpoint order. */
    public Set<String> names() {
        return arrays.keySet();
    }

    /** Names never fetched with {@code get}, sorted. */
    public Set<String> unusedNames() {
        Set<String> unused = new TreeSet<>(arrays.keySet());
        unused.removeAll(used);
        return unused;
    }

    /**
     * Fails when a loaded tensor was never fetched: call once the model is built.
     *
     * @throws CheckpointException listing the unused names
     */
    public void assertAllUsed() {
        Set<String> unused = unusedNames();
        if (!unused.isEmpty()) {
            throw new CheckpointException(unused.size() + " loaded tensor(s) were never used by the model: " + unused);
        }
    }

    /** The manager owning every array here. */
    public NDManager manager() {
        return manager;
    }

    /** Frees every array. */
    @Override
    public void close() {
        manager.close();
    }

    private NDArray require(String name) {
        NDArray array = arrays.get(name);
        if (array == null) {
            throw new CheckpointException("tensor '" + name + "' is not in the checkpoint (or was skipped by the loader rule)"
                    + nearby(name));
        }
        return array;
    }

    private String nearby(String name) {
        int dot = name.lastIndexOf('.');
        String prefix = dot > 0 ? name.substring(0, dot) : name;
        Object[] similar = arrays.keySet().stream().filter(n -> n.startsWith(prefix)).limit(5).toArray();
        return similar.length == 0 ? "" : "; similar names: " + Arrays.toString(similar);
    }
}
