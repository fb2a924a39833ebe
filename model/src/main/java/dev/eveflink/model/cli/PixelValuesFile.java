package dev.eveflink.model.cli;

import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.vision.VisualInput;
import dev.eveflink.model.weights.CheckpointException;
import dev.eveflink.model.weights.SafetensorsFile;
import dev.eveflink.model.weights.SafetensorsWriter;
import dev.eveflink.model.weights.StoredTensor;
import dev.eveflink.model.weights.TensorDType;
import dev.eveflink.model.weights.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code pixel_values} safetensors file the {@code preprocess} command writes and the
 * {@code logits --pixels} option reads: one float32 tensor {@code [4, S, S]} (3 normalised channels
 * plus EVE's 0/1 mask), as the golden case files hold it (which carry other tensors besides).
 */
final class PixelValuesFile {
    static final String TENSOR = "pixel_values";

    private PixelValuesFile() {}

    static void write(Path file, float[] canvas, int size) throws IOException {
        SafetensorsWriter.TensorSpec spec = new SafetensorsWriter.TensorSpec(TENSOR, TensorDType.F32, 4, size, size);
        SafetensorsWriter.write(file, List.of(new SafetensorsWriter.FloatTensor(spec, canvas)), Map.of());
    }

    static VisualInput read(Path file, PreprocessorConfig config) throws CliFailure {
        try {
            SafetensorsFile st = SafetensorsFile.open(file);
            if (!st.names().contains(TENSOR)) {
                throw new CliFailure(file + ": no '" + TENSOR + "' tensor");
            }
            int size = config.imageSize();
            TensorInfo info = st.info(TENSOR);
            long[] shape = info.shape().getShape();
            if (info.dtype() != TensorDType.F32 || shape.length != 3 || shape[0] != 4 || shape[1] != size
                    || shape[2] != size) {
                throw new CliFailure(file + ": '" + TENSOR + "' must be F32 [4, " + size + ", " + size + "], got "
                        + info.dtypeName() + " " + info.shape());
            }
            float[] canvas = new float[4 * size * size];
            StoredTensor tensor = st.tensor(TENSOR);
            try (StoredTensor.Reader reader = tensor.openReader()) {
                reader.next(Math.toIntExact(info.byteSize())).asFloatBuffer().get(canvas);
            }
            return VisualInput.fromCanvas(canvas, size, config.patchStride());
        } catch (CheckpointException e) {
            throw new CliFailure(e.getMessage());
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + e.getMessage());
        }
    }
}
