package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/** LLaMA's SwiGLU MLP: {@code down(silu(gate(x)) * up(x))}, no biases. */
final class FeedForward {
    private final NDArray gate; // [I, D]
    private final NDArray up; // [I, D]
    private final NDArray down; // [D, I]

    FeedForward(NDArray gate, NDArray up, NDArray down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /** x: [B, T, D] -> [B, T, D]. */
    NDArray forward(NDArray x) {
        NDArray g = Linear.linear(x, gate).singletonOrThrow(); // [B, T, I]
        NDArray silu = g.mul(Activation.sigmoid(g)); // silu(g) = g * sigmoid(g)
        NDArray u = Linear.linear(x, up).singletonOrThrow(); // [B, T, I]
        return Linear.linear(silu.mul(u), down).singletonOrThrow(); // [B, T, D]
    }
}
