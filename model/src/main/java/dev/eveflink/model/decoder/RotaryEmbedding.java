package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the "rotate-half" layout of HF LLaMA (dimension i pairs with
 * i + headDim/2). The cos/sin tables are computed once in float32 the way transformers 4.31 does
 * ({@code inv_freq = 1 / theta^(arange(0, hd, 2) / hd)}, {@code freqs = pos * inv_freq}) and
 * gathered per token by position, so every sequence of a batch can have its own positions.
 */
public final class RotaryEmbedding {
    private final NDArray cosTable; // [maxPositions, headDim]
    private final NDArray sinTable; // [maxPositions, headDim]
    private final int headDim;

    public RotaryEmbedding(NDManager manager, int headDim, int maxPositions, double theta, DataType type) {
        this.headDim = headDim;
        int half = headDim / 2;
        float[] invFreq = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) headDim;
            invFreq[i] = 1.0f / (float) Math.pow(theta, exponent);
        }
        float[] cos = new float[maxPositions * headDim];
        float[] sin = new float[maxPositions * headDim];
        for (int p = 0; p < maxPositions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * invFreq[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                // emb = cat(freqs, freqs): both halves share the angle.
                cos[p * headDim + i] = c;
                cos[p * headDim + i + half] = c;
                sin[p * headDim + i] = s;
                sin[p * headDim + i + half] = s;
            }
        }
        Shape shape = new Shape(maxPositions, headDim);
        this.cosTable = manager.create(cos, shape).toType(type, false);
        this.sinTable = manager.create(sin, shape).toType(type, false);
    }

    /**
     * The rotation for a batch of positions.
     *
     * @param positions int64 [B, T]
     * @return {cos, sin}, each [B, 1, T, headDim], ready to broadcast over heads
     */
    public NDArray[] angles(NDManager scope, NDArray positions) {
        Shape bt = positions.getShape();
        NDArray flat = positions.reshape(-1); // [B*T]
        NDArray cos = cosTable.get(scope, new NDIndex("{}", flat)).reshape(bt.get(0), 1, bt.get(1), headDim);
        NDArray sin = sinTable.get(scope, new NDIndex("{}", flat)).reshape(bt.get(0), 1, bt.get(1), headDim);
        return new NDArray[] {cos, sin};
    }

    /** x: [B, heads, T, headDim] -> the same shape, rotated. */
    public NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        int half = headDim / 2;
        NDArray first = x.get("..., :{}", half); // [B, h, T, hd/2]
        NDArray second = x.get("..., {}:", half); // [B, h, T, hd/2]
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), -1); // [B, h, T, hd]
        return x.mul(cos).add(rotated.mul(sin));
    }

}
