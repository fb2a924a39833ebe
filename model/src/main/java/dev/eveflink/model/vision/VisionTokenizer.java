package dev.eveflink.model.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.weights.WeightMap;

/**
 * EVE's patch embedding layer ({@code VisionTokenizer}) and projector: pixels of one image in,
 * {@code N_vis = 1 + h*(w+1)} embeddings of the decoder's width out, ordered
 * {@code CLS, r0c0 .. r0c(w-1), SPL, r1c0 .., SPL}. One image at a time, as the reference does;
 * images of a batch have different grids.
 */
public final class VisionTokenizer {
    private final int width; // C
    private final int patch; // conv kernel = stride
    private final int pool; // average-pool window = stride
    private final DataType type;
    private final NDArray patchEmbedding; // [C, 3, p, p]
    private final NDArray splitEmbedding; // [C]
    private final LocalAttention local;
    private final GlobalAttention global;
    private final NDArray[] projector; // mlp2x_gelu: {W0 [D, C], b0 [D], W2 [D, D], b2 [D]}; linear: {W [D, C], b [D]}

    public VisionTokenizer(EveConfig config, PreprocessorConfig image, WeightMap weights, DataType type) {
        long c = config.visionWidth();
        long d = config.hiddenSize();
        this.width = config.visionWidth();
        this.patch = image.patchStride();
        this.pool = image.convStride();
        this.type = type;
        String p = "model.vision_tower.";
        this.patchEmbedding = weights.get(p + "patch_embedding.weight", c, 3, patch, patch);
        this.splitEmbedding = weights.get(p + "split_embedding", c);
        this.local = new LocalAttention(CrossAttentionWeights.load(weights, p + "local_attention.", c), width);
        this.global = new GlobalAttention(
                CrossAttentionWeights.load(weights, p + "global_attention.", c),
                weights.get(p + "class_embedding", c), width);
        if ("mlp2x_gelu".equals(config.projectorType())) {
            this.projector = new NDArray[] {
                weights.get("model.mm_projector.0.weight", d, c),
                weights.get("model.mm_projector.0.bias", d),
                weights.get("model.mm_projector.2.weight", d, d),
                weights.get("model.mm_projector.2.bias", d)
            };
        } else {
            this.projector = new NDArray[] {
                weights.get("model.mm_projector.weight", d, c), weights.get("model.mm_projector.bias", d)
            };
        }
    }

    /** The intermediate tensors of one encode, for tests and debugging. */
    public record Trace(
            NDArray convCrop, // [C, Hc, Wc]
            NDArray localOut, // [h*w, C]
            NDArray cls, // [C]
            NDArray tokens, // [N_vis, C]
            NDArray embeds) {} // [N_vis, D]

    /** Pixels -> visual embeddings [N_vis, D], owned by {@code scope}. */
    public NDArray encode(NDManager scope, VisualInput input) {
        return trace(scope, input).embeds();
    }

    /** Pooled grid {h, w} of an input, and its visual token count. */
    public int[] grid(VisualInput input) {
        int cell = patch * pool;
        if (input.height() % cell != 0 || input.width() % cell != 0) {
            throw new IllegalArgumentException("image rectangle " + input.width() + "x" + input.height()
                    + " is not a multiple of patch_stride*conv_stride = " + cell);
        }
        return new int[] {input.height() / cell, input.width() / cell};
    }

    public Trace trace(NDManager scope, VisualInput input) {
        int[] grid = grid(input);
        int h = grid[0];
        int w = grid[1];
        int hc = h * pool;
        int wc = w * pool;
        NDArray pixels = scope.create(input.chw(), new Shape(1, 3, input.height(), input.width()))
                .toType(type, false); // [1, 3, H, W]
        NDArray conv = Conv2d.conv2d(pixels, patchEmbedding, null, new Shape(patch, patch)).singletonOrThrow();
        // conv: [1, C, Hc, Wc]
        NDArray pooled = Pool.avgPool2d(conv, new Shape(pool, pool), new Shape(pool, pool), new Shape(0, 0),
                        false, true) // [1, C, h, w]
                .reshape(width, (long) h * w)
                .transpose(); // [h*w, C], index r*w + c
        NDArray members = conv.reshape(width, h, pool, w, pool) // [C, h, i, w, j]
                .transpose(1, 3, 2, 4, 0) // [h, w, i, j, C]
                .reshape((long) h * w, (long) pool * pool, width); // [h*w, s*s, C], i-major
        NDArray localOut = local.forward(pooled, members); // [h*w, C]
        NDArray cls = global.forward(localOut); // [1, C]
        NDArray split = scope.zeros(new Shape(h, 1, width), type).add(splitEmbedding); // [h, 1, C]
        NDArray rows = NDArrays.concat(new NDList(localOut.reshape(h, w, width), split), 1) // [h, w+1, C]
                .reshape((long) h * (w + 1), width);
        NDArray tokens = NDArrays.concat(new NDList(cls, rows), 0); // [N_vis, C]
        NDArray embeds = project(tokens); // [N_vis, D]
        return new Trace(conv.reshape(width, hc, wc), localOut, cls.reshape(width), tokens, embeds);
    }

    /** tokens [N, C] -> [N, D]: Linear, exact (erf) GELU, Linear; or a single Linear. */
    private NDArray project(NDArray tokens) {
        NDArray x = Linear.linear(tokens, projector[0], projector[1]).singletonOrThrow();
        if (projector.length == 2) {
            return x;
        }
        return Linear.linear(Activation.gelu(x), projector[2], projector[3]).singletonOrThrow();
    }
}
