package dev.eveflink.model.demo.train;

import ai.djl.ndarray.NDArray;
import dev.eveflink.model.weights.SafetensorsWriter;
import dev.eveflink.model.weights.SafetensorsWriter.TensorSpec;
import dev.eveflink.model.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes named float32 arrays as a safetensors file atomically: into a sibling temporary file, then renamed
 * over the target. The rename matters: the loader maps checkpoint files copy-on-write, and truncating a file
 * that is still mapped would fault; a rename leaves the old file's data alive for its mappings.
 */
final class TensorFiles {
    private TensorFiles() {}

    static void write(Path file, Map<String, NDArray> arrays) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<TensorSpec> specs = new ArrayList<>();
        arrays.forEach((name, a) -> specs.add(new TensorSpec(name, TensorDType.F32, a.getShape().getShape())));
        try (SafetensorsWriter writer = SafetensorsWriter.create(tmp, specs, Map.of("format", "pt"))) {
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                if (e.getValue().size() > 0) {
                    writer.write(e.getKey(), e.getValue().toFloatArray());
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
