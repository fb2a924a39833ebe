package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * LLaMA's RMSNorm as transformers 4.31 computes it: {@code w * x * rsqrt(mean(x^2) + eps)}, the
 * statistics in float32 whatever the compute type, cast back before the weight multiplies.
 */
public final class RmsNorm {
    private final NDArray weight; // [D]
    private final float eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    /** x: [..., D] -> [..., D]. */
    public NDArray apply(NDArray x) {
        DataType type = x.getDataType();
        NDArray x32 = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray inverseRms = x32.square().mean(new int[] {-1}, true).add(eps).pow(-0.5f); // [..., 1]
        NDArray normed = x32.mul(inverseRms);
        if (type != DataType.FLOAT32) {
            normed = normed.toType(type, false);
        }
        return normed.mul(weight);
    }
}
