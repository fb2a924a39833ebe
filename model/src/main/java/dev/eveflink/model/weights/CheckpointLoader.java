package dev.eveflink.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a checkpoint directory as published into a {@link WeightMap}.
 *
 * <p>Formats, detected by file name: {@code model.safetensors}, {@code model.safetensors.index.json},
 * {@code pytorch_model.bin}, {@code pytorch_model.bin.index.json} (safetensors preferred under
 * {@link CheckpointFormat#AUTO}). Only the tensors the keep rule accepts are read (by default
 * {@link InferenceTensors#eve()}); the rest are skipped with one INFO line. Floating tensors become
 * {@code targetType} (FLOAT32 for CPU, FLOAT16 for GPU), with BF16/F16 widened in Java; integer
 * tensors keep their type. Arrays are created on the manager's device.
 *
 * <p>Memory: the heap holds one conversion chunk (16 MiB) at most; CPU tensors whose stored type
 * is the target type are copy-on-write mappings of the file (no copy at all), the rest are copied
 * chunk by chunk into torch-owned memory.
 */
public final class CheckpointLoader {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointLoader.class);

    static final String SAFETENSORS = "model.safetensors";
    static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    static final String TORCH_BIN = "pytorch_model.bin";
    static final String TORCH_BIN_INDEX = "pytorch_model.bin.index.json";

    private CheckpointLoader() {}

    /** Loads the EVE inference tensors with {@link CheckpointFormat#AUTO}. */
    public static WeightMap load(Path modelDir, NDManager manager, DataType targetType) {
        return load(modelDir, manager, targetType, CheckpointFormat.AUTO, InferenceTensors.eve());
    }

    /** Loads the EVE inference tensors from the given format. */
    public static WeightMap load(Path modelDir, NDManager manager, DataType targetType, CheckpointFormat format) {
        return load(modelDir, manager, targetType, format, InferenceTensors.eve());
    }

    /**
     * Loads every tensor {@code keep} accepts.
     *
     * @param modelDir the directory holding the checkpoint files
     * @param manager parent of the weights' manager; its device is where the arrays go
     * @param targetType FLOAT32 or FLOAT16, the type of every floating tensor
     * @param format which format to read
     * @param keep which tensor names to load
     * @throws CheckpointException naming the file/tensor on any problem; nothing stays allocated then
     */
    public static WeightMap load(
            Path modelDir, NDManager manager, DataType targetType, CheckpointFormat format, Predicate<String> keep) {
        if (targetType != DataType.FLOAT32 && targetType != DataType.FLOAT16) {
            throw new IllegalArgumentException("targetType must be FLOAT32 or FLOAT16, not " + targetType);
        }
        long start = System.nanoTime();
        try (Checkpoint checkpoint = open(modelDir, format)) {
            NDManager weights = manager.newSubManager();
            try {
                Map<String, NDArray> arrays = new LinkedHashMap<>();
                SkipSummary skipped = new SkipSummary();
                TensorMaterializer materializer = new TensorMaterializer();
                long loadedBytes = 0;
                for (String name : checkpoint.names()) {
                    TensorInfo info = checkpoint.info(name);
                    if (!keep.test(name)) {
                        skipped.add(info);
                        continue;
                    }
                    StoredTensor tensor = checkpoint.tensor(name);
                    try {
                        arrays.put(name, materializer.materialize(tensor, weights, targetType));
                    } catch (IOException e) {
                        throw new CheckpointException(tensor.origin() + ": cannot read tensor '" + name + "': "
                                + e.getMessage(), e);
                    }
                    loadedBytes += info.byteSize();
                }
                if (!skipped.isEmpty()) {
                    LOG.info("{}: skipped {}", modelDir, skipped);
                }
                LOG.info("{}: loaded {} tensors ({} stored bytes) as {} on {} in {} ms", modelDir, arrays.size(),
                        loadedBytes, targetType, manager.getDevice(), (System.nanoTime() - start) / 1_000_000);
                return new WeightMap(weights, arrays);
            } catch (RuntimeException e) {
                weights.close();
                throw e;
            }
        }
    }

    /** Opens the checkpoint of {@code modelDir} in the chosen format without reading tensor data. */
    public static Checkpoint open(Path modelDir, CheckpointFormat format) {
        if (!Files.isDirectory(modelDir)) {
            throw new CheckpointException(modelDir + ": not a directory");
        }
        List<String> candidates = switch (format) {
            case AUTO -> List.of(SAFETENSORS, SAFETENSORS_INDEX, TORCH_BIN, TORCH_BIN_INDEX);
            case SAFETENSORS -> List.of(SAFETENSORS, SAFETENSORS_INDEX);
            case PYTORCH_BIN -> List.of(TORCH_BIN, TORCH_BIN_INDEX);
        };
        for (String candidate : candidates) {
            Path p = modelDir.resolve(candidate);
            if (Files.exists(p)) {
                LOG.debug("{}: reading {}", modelDir, candidate);
                return switch (candidate) {
                    case SAFETENSORS -> SafetensorsFile.open(p);
                    case SAFETENSORS_INDEX -> ShardedCheckpoint.open(p, SafetensorsFile::open);
                    case TORCH_BIN -> TorchZipCheckpoint.open(p);
                    default -> ShardedCheckpoint.open(p, TorchZipCheckpoint::open);
                };
            }
        }
        throw new CheckpointException(modelDir + ": no checkpoint found (looked for " + candidates + ")");
    }

    /** Skipped tensors grouped by name prefix (layer numbers folded to {@code *}), with counts and bytes. */
    private static final class SkipSummary {
        private final Map<String, long[]> groups = new TreeMap<>(); // prefix -> {count, bytes}
        private long count;
        private long bytes;

        void add(TensorInfo info) {
            long[] g = groups.computeIfAbsent(prefix(info.name()), k -> new long[2]);
            g[0]++;
            g[1] += info.byteSize();
            count++;
            bytes += info.byteSize();
        }

        boolean isEmpty() {
            return count == 0;
        }

        /** First three name components with numbers folded; the whole folded name when a number is among them. */
        static String prefix(String name) {
            String[] parts = name.split("\\.");
            StringBuilder sb = new StringBuilder();
            boolean numbered = false;
            for (int i = 0; i < parts.length; i++) {
                boolean number = parts[i].chars().allMatch(Character::isDigit) && !parts[i].isEmpty();
                numbered |= number && i < 3;
                if (i >= 3 && !numbered) {
                    sb.append(".*");
                    break;
                }
                sb.append(i == 0 ? "" : ".").append(number ? "*" : parts[i]);
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(count).append(" tensors (").append(bytes).append(" bytes; aliases counted per name) not used "
                    + "for inference:");
            groups.forEach((prefix, g) -> sb.append(' ').append(prefix).append(" [").append(g[0]).append(", ")
                    .append(g[1]).append(" B]"));
            return sb.toString();
        }
    }
}
