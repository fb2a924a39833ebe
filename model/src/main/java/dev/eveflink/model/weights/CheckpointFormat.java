package dev.eveflink.model.weights;

/** Which on-disk format {@link CheckpointLoader} reads from a model directory. */
public enum CheckpointFormat {
    /** safetensors when present (single file or indexed shards), else PyTorch {@code .bin}. */
    AUTO,
    /** Only {@code model.safetensors} or {@code model.safetensors.index.json}. */
    SAFETENSORS,
    /** Only {@code pytorch_model.bin} or {@code pytorch_model.bin.index.json}. */
    PYTORCH_BIN
}
