package dev.eveflink.model.weights;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * What a checkpoint says about one stored tensor, before any data is read.
 *
 * @param name the checkpoint name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype the stored element type, or null when the file uses a type this loader does not
 *     support (the tensor can then be skipped but not loaded)
 * @param dtypeName the type as the file spells it (for messages)
 * @param shape the logical shape
 * @param byteSize bytes the tensor occupies in the file ({@code numel * element size})
 */
public record TensorInfo(String name, TensorDType dtype, String dtypeName, Shape shape, long byteSize) {
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtypeName, "dtypeName");
        Objects.requireNonNull(shape, "shape");
        if (byteSize < 0) {
            throw new IllegalArgumentException(name + ": negative byte size " + byteSize);
        }
    }

    /** Number of elements. */
    public long numel() {
        return shape.size();
    }
}
