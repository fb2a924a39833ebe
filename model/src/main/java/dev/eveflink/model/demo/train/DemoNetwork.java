package dev.eveflink.model.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.decoder.LlamaDecoder;
import dev.eveflink.model.vision.VisionTokenizer;
import dev.eveflink.model.weights.WeightMap;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo model as trained: EVE's own {@link VisionTokenizer} and {@link LlamaDecoder} (the inference code,
 * so training and inference share one forward) over a {@link WeightMap} whose arrays are the parameters, plus
 * the training-only heads. Computes the losses of a batch of packed examples.
 */
public final class DemoNetwork {
    /** Added to the score of a key a query must not see. */
    static final float MASKED = -1e9f;

    private final EveConfig config;
    private final VisionTokenizer vision;
    private final LlamaDecoder decoder;
    private final NDArray cellKindW; // [KIND_CLASSES, D]
    private final NDArray cellKindB;
    private final NDArray cellColorW; // [COLOR_CLASSES, D]
    private final NDArray cellColorB;
    private final NDArray shapeListW; // [SHAPE_LIST_OUTPUTS, D]
    private final NDArray shapeListB;

    public DemoNetwork(EveConfig config, PreprocessorConfig image, WeightMap weights, NDManager manager) {
        this.config = config;
        this.vision = new VisionTokenizer(config, image, weights, DataType.FLOAT32);
        this.decoder = new LlamaDecoder(config, weights, manager, DataType.FLOAT32);
        long d = config.hiddenSize();
        this.cellKindW = weights.get(DemoParameters.CELL_KIND + "weight", DemoParameters.KIND_CLASSES, d);
        this.cellKindB = weights.get(DemoParameters.CELL_KIND + "bias", DemoParameters.KIND_CLASSES);
        this.cellColorW = weights.get(DemoParameters.CELL_COLOR + "weight", DemoParameters.COLOR_CLASSES, d);
        this.cellColorB = weights.get(DemoParameters.CELL_COLOR + "bias", DemoParameters.COLOR_CLASSES);
        this.shapeListW = weights.get(DemoParameters.SHAPE_LIST + "weight", DemoParameters.SHAPE_LIST_OUTPUTS, d);
        this.shapeListB = weights.get(DemoParameters.SHAPE_LIST + "bias", DemoParameters.SHAPE_LIST_OUTPUTS);
        weights.assertAllUsed();
    }

    /** The losses of one batch: scalar NDArrays (owned by the scope), null where not computed. */
    public record Losses(NDArray answer, NDArray cellKind, NDArray cellColor, NDArray shapeList) {
        /** answer + auxWeight * (the three head losses); the heads alone when there is no answer loss. */
        public NDArray total(float auxWeight) {
            NDArray aux = cellKind.add(cellColor).add(shapeList);
            return answer == null ? aux : answer.add(aux.mul(auxWeight));
        }
    }

    /**
     * Losses of a batch. {@code withText} false runs only the patch layer, projector and heads (the
     * vision-first stage); true also runs the decoder teacher-forced over the packed sequences.
     */
    public Losses losses(NDManager scope, List<TrainingExample> batch, boolean withText) {
        List<NDArray> visuals = new ArrayList<>(batch.size());
        List<NDArray> cellLogitsKind = new ArrayList<>();
        List<NDArray> cellLogitsColor = new ArrayList<>();
        List<NDArray> slotLogits = new ArrayList<>();
        int cells = 0;
        for (TrainingExample ex : batch) {
            NDArray embeds = vision.encode(scope, ex.image()); // [N_vis, D]
            visuals.add(embeds);
            int h = ex.gridHeight();
            int w = ex.gridWidth();
            long[] rows = new long[h * w];
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    rows[r * w + c] = 1 + (long) r * (w + 1) + c; // CLS first, a split token after each row
                }
            }
            NDArray cellEmbeds = embeds.get(new NDIndex("{}", scope.create(rows))); // [h*w, D]
            cellLogitsKind.add(Linear.linear(cellEmbeds, cellKindW, cellKindB).singletonOrThrow());
            cellLogitsColor.add(Linear.linear(cellEmbeds, cellColorW, cellColorB).singletonOrThrow());
            slotLogits.add(Linear.linear(embeds.get("0:1"), shapeListW, shapeListB).singletonOrThrow()); // [1, O]
            cells += h * w;
        }
        int[] kindLabels = new int[cells];
        int[] colorLabels = new int[cells];
        int at = 0;
        for (TrainingExample ex : batch) {
            System.arraycopy(ex.cellKinds(), 0, kindLabels, at, ex.cellKinds().length);
            System.arraycopy(ex.cellColors(), 0, colorLabels, at, ex.cellColors().length);
            at += ex.cellKinds().length;
        }
        NDArray cellKind = crossEntropy(scope, NDArrays.concat(new NDList(cellLogitsKind), 0), kindLabels);
        NDArray cellColor = crossEntropy(scope, NDArrays.concat(new NDList(cellLogitsColor), 0), colorLabels);
        NDArray shapeList = shapeListLoss(scope, NDArrays.concat(new NDList(slotLogits), 0), batch);
        NDArray answer = withText ? answerLoss(scope, batch, visuals) : null;
        return new Losses(answer, cellKind, cellColor, shapeList);
    }

    private NDArray shapeListLoss(NDManager scope, NDArray logits, List<TrainingExample> batch) {
        int k = DemoParameters.KIND_CLASSES;
        int c = DemoParameters.SLOT_COLOR_CLASSES;
        NDArray total = null;
        for (int s = 0; s < DemoParameters.SLOTS; s++) {
            int[] kinds = new int[batch.size()];
            int[] colors = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                kinds[i] = batch.get(i).slotKinds()[s];
                colors[i] = batch.get(i).slotColors()[s];
            }
            long kindStart = (long) s * k;
            long colorStart = (long) DemoParameters.SLOTS * k + (long) s * c;
            NDArray loss = crossEntropy(scope, logits.get(":, {}:{}", kindStart, kindStart + k), kinds)
                    .add(crossEntropy(scope, logits.get(":, {}:{}", colorStart, colorStart + c), colors));
            total = total == null ? loss : total.add(loss);
        }
        return total.div(DemoParameters.SLOTS);
    }

    /** Mean cross-entropy of the answer tokens (and EOS) over the packed batch. */
    private NDArray answerLoss(NDManager scope, List<TrainingExample> batch, List<NDArray> visuals) {
        PackedBatch packed = PackedBatch.of(batch);
        int b = batch.size();
        int t = packed.length();
        long d = config.hiddenSize();
        List<NDArray> rows = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TrainingExample ex = batch.get(i);
            NDArray prefixText = decoder.embed(scope, scope.create(toLongs(ex.prefixIds()))); // [Lp, D]
            NDArray segText = decoder.embed(scope, scope.create(packed.segmentTokens(i))); // [Ls, D]
            List<NDArray> parts = new ArrayList<>(List.of(prefixText, visuals.get(i), segText));
            int pad = t - ex.packedLength();
            if (pad > 0) {
                parts.add(scope.zeros(new Shape(pad, d)));
            }
            rows.add(NDArrays.concat(new NDList(parts), 0)); // [T, D]
        }
        NDArray embeds = NDArrays.stack(new NDList(rows), 0); // [B, T, D]
        NDArray positions = scope.create(packed.positions(), new Shape(b, t));
        NDArray mask = scope.create(packed.mask(MASKED), new Shape(b, 1, t, t));
        NDArray hidden = decoder.forward(scope, embeds, positions, mask, new NoCacheKvStore(), null); // [B, T, D]
        NDArray picked = hidden.reshape(-1, d).get(new NDIndex("{}", scope.create(packed.targetRows()))); // [N, D]
        return crossEntropy(scope, decoder.logits(picked), packed.targetIds()); // logits [N, V]
    }

    /** The decoder's logits [B, T, V] of a packed batch (for tests: the training forward, no loss). */
    public NDArray packedLogits(NDManager scope, List<TrainingExample> batch) {
        PackedBatch packed = PackedBatch.of(batch);
        int b = batch.size();
        int t = packed.length();
        long d = config.hiddenSize();
        List<NDArray> rows = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TrainingExample ex = batch.get(i);
            List<NDArray> parts = new ArrayList<>(List.of(
                    decoder.embed(scope, scope.create(toLongs(ex.prefixIds()))),
                    vision.encode(scope, ex.image()),
                    decoder.embed(scope, scope.create(packed.segmentTokens(i)))));
            int pad = t - ex.packedLength();
            if (pad > 0) {
                parts.add(scope.zeros(new Shape(pad, d)));
            }
            rows.add(NDArrays.concat(new NDList(parts), 0));
        }
        NDArray hidden = decoder.forward(scope, NDArrays.stack(new NDList(rows), 0),
                scope.create(packed.positions(), new Shape(b, t)),
                scope.create(packed.mask(MASKED), new Shape(b, 1, t, t)), new NoCacheKvStore(), null);
        return decoder.logits(hidden);
    }

    /** Mean of -log softmax(logits)[label] over rows; logits [N, C]. */
    static NDArray crossEntropy(NDManager scope, NDArray logits, int[] labels) {
        int n = labels.length;
        int classes = (int) logits.getShape().get(1);
        float[] oneHot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (classes - 1));
            }
            oneHot[i * classes + labels[i]] = 1f;
        }
        NDArray target = scope.create(oneHot, new Shape(n, classes));
        return logits.logSoftmax(-1).mul(target).sum().neg().div(n);
    }

    static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
