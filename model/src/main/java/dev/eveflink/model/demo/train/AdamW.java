package dev.eveflink.model.demo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AdamW on NDArrays with its moments held by name, so that they can be saved and restored exactly:
 * {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2}, {@code p -= lr (m^ / (sqrt(v^) + eps) + wd p)}
 * with bias correction, decoupled weight decay on matrices only, and global-norm gradient clipping. Updates
 * the parameters in place (outside any gradient collector) and zeroes their gradients.
 */
public final class AdamW {
    private static final Logger LOG = LoggerFactory.getLogger(AdamW.class);
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final float beta1;
    private final float beta2;
    private final float eps;
    private long skipped;
    private final float weightDecay;

    /**
     * @param params the parameters to update, by name (each must require gradients)
     * @param moments restored moments ({@code m.<name>}, {@code v.<name>}), or an empty map for zeros
     */
    public AdamW(NDManager manager, Map<String, NDArray> params, Map<String, NDArray> moments, float weightDecay) {
        this.manager = manager;
        this.params = params;
        this.beta1 = 0.9f;
        this.beta2 = 0.98f;
        this.eps = 1e-8f;
        this.weightDecay = weightDecay;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            m.put(e.getKey(), moment(moments, "m." + e.getKey(), p));
            v.put(e.getKey(), moment(moments, "v." + e.getKey(), p));
        }
    }

    private NDArray moment(Map<String, NDArray> moments, String name, NDArray p) {
        NDArray saved = moments.get(name);
        if (saved == null) {
            return manager.zeros(p.getShape());
        }
        if (!saved.getShape().equals(p.getShape())) {
            throw new IllegalArgumentException("optimizer state '" + name + "' has shape " + saved.getShape()
                    + ", the parameter " + p.getShape());
        }
        return saved.duplicate(); // own copy: the restored file may be a mapping
    }

    /**
     * One update with learning rate {@code lr} at 1-based step {@code t}.
     *
     * @param clipNorm the largest global gradient norm; larger gradients are scaled down to it
     * @return the global gradient norm before clipping
     */
    public float step(float lr, long t, float clipNorm) {
        try (NDScope scope = new NDScope()) {
            double sq = 0;
            Map<String, NDArray> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                NDArray g = e.getValue().getGradient();
                grads.put(e.getKey(), g);
                sq += g.square().sum().getFloat();
            }
            float norm = (float) Math.sqrt(sq);
            if (!Float.isFinite(norm)) {
                // A non-finite gradient (an overflow somewhere in the backward pass) would poison the moments
                // for good: skip this update, as a loss scaler does, and count it.
                skipped++;
                LOG.warn("step {}: gradient norm {}, update skipped ({} skipped so far)", t, norm, skipped);
                params.values().forEach(AdamW::zeroGradient);
                scope.suppressNotUsedWarning();
                return norm;
            }
            float scale = norm > clipNorm ? clipNorm / norm : 1f;
            float c1 = (float) (1 - Math.pow(beta1, t));
            float c2 = (float) (1 - Math.pow(beta2, t));
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = grads.get(name).mul(scale);
                NDArray mi = m.get(name);
                NDArray vi = v.get(name);
                mi.muli(beta1).addi(g.mul(1 - beta1));
                vi.muli(beta2).addi(g.square().mul(1 - beta2));
                NDArray update = mi.div(c1).div(vi.div(c2).sqrt().add(eps)); // m^ / (sqrt(v^) + eps)
                if (weightDecay > 0 && p.getShape().dimension() >= 2) {
                    update = update.add(p.mul(weightDecay));
                }
                p.subi(update.mul(lr));
                zeroGradient(p); // gradients accumulate: clear them for the next step
            }
            scope.suppressNotUsedWarning();
            return norm;
        }
    }

    /** Updates skipped because the gradient was not finite. */
    public long skipped() {
        return skipped;
    }

    /** Zeroes a parameter's gradient in place (libtorch's zero_, which also clears an inf or NaN). */
    private static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /** The moments as {@code m.<name>} / {@code v.<name>}, in parameter order. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("m." + k, a));
        v.forEach((k, a) -> out.put("v." + k, a));
        return out;
    }
}
