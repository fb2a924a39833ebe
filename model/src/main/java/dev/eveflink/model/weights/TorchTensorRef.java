package dev.eveflink.model.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as a torch pickle describes it: a view (offset, sizes, strides, in elements) into a
 * storage kept in the zip under {@code <stem>/data/<key>}. Two names may share one storage.
 *
 * @param storageKey the storage's entry name under {@code data/}
 * @param dtype the storage's element type, or null when the storage class is not supported
 * @param storageClass the storage class name as pickled, e.g. {@code FloatStorage}
 * @param storageNumel elements in the storage
 * @param offset first element of the view
 * @param sizes view sizes
 * @param strides view strides in elements
 */
record TorchTensorRef(
        String storageKey,
        TensorDType dtype,
        String storageClass,
        long storageNumel,
        long offset,
        long[] sizes,
        long[] strides) {

    TorchTensorRef {
        Objects.requireNonNull(storageKey, "storageKey");
        sizes = sizes.clone();
        strides = strides.clone();
        if (sizes.length != strides.length) {
            throw new CheckpointException("tensor view has " + sizes.length + " sizes but " + strides.length + " strides");
        }
    }

    @Override
    public long[] sizes() {
        return sizes.clone();
    }

    @Override
    public long[] strides() {
        return strides.clone();
    }

    long numel() {
        long n = 1;
        for (long s : sizes) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** True when the view is row-major contiguous (size-1 dimensions may carry any stride). */
    boolean isContiguous() {
        long expected = 1;
        for (int d = sizes.length - 1; d >= 0; d--) {
            if (sizes[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= sizes[d];
        }
        return true;
    }

    /** One past the largest storage element the view touches (the view's offset included). */
    long extentEnd() {
        if (numel() == 0) {
            return offset;
        }
        long last = offset;
        for (int d = 0; d < sizes.length; d++) {
            last += (sizes[d] - 1) * strides[d];
        }
        return last + 1;
    }

    @Override
    public String toString() {
        return "TorchTensorRef[" + storageClass + " key=" + storageKey + " offset=" + offset + " sizes="
                + Arrays.toString(sizes) + " strides=" + Arrays.toString(strides) + "]";
    }
}
