package dev.eveflink.model.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.vision.VisualInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code pixel_values} safetensors file the {@code preprocess} command writes and the
 * {@code logits --pixels} option reads: one float32 tensor {@code [4, S, S]} (3 normalised channels
 * plus EVE's 0/1 mask), as the golden case files hold it.
 */
final class PixelValuesFile {
    static final String TENSOR = "pixel_values";

    private PixelValuesFile() {}

    static void write(Path file, float[] canvas, int size) throws IOException {
        long bytes = 4L * canvas.length;
        String header = "{\"" + TENSOR + "\":{\"dtype\":\"F32\",\"shape\":[4," + size + "," + size
                + "],\"data_offsets\":[0," + bytes + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8; // the format aligns data to 8 bytes with trailing spaces
        ByteBuffer buf = ByteBuffer.allocate(8 + padded + (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded);
        buf.put(h);
        for (int i = h.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        buf.asFloatBuffer().put(canvas);
        Files.write(file, buf.array());
    }

    static VisualInput read(Path file, PreprocessorConfig config) throws CliFailure {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + e.getMessage());
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = buf.getLong(0);
            if (headerLength <= 0 || headerLength > all.length - 8) {
                throw new CliFailure(file + ": not a safetensors file");
            }
            JsonObject header = JsonParser.parseString(
                    new String(all, 8, (int) headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
            if (!header.has(TENSOR)) {
                throw new CliFailure(file + ": no '" + TENSOR + "' tensor");
            }
            JsonObject t = header.getAsJsonObject(TENSOR);
            int size = config.imageSize();
            JsonArray shape = t.getAsJsonArray("shape");
            if (!"F32".equals(t.get("dtype").getAsString()) || shape.size() != 3 || shape.get(0).getAsInt() != 4
                    || shape.get(1).getAsInt() != size || shape.get(2).getAsInt() != size) {
                throw new CliFailure(file + ": '" + TENSOR + "' must be F32 [4, " + size + ", " + size + "], got "
                        + t.get("dtype") + " " + shape);
            }
            long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
            long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
            long base = 8 + headerLength;
            if (end - begin != 16L * size * size || base + end > all.length) {
                throw new CliFailure(file + ": '" + TENSOR + "' data is truncated or misplaced");
            }
            float[] canvas = new float[4 * size * size];
            ByteBuffer.wrap(all, (int) (base + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(canvas);
            return VisualInput.fromCanvas(canvas, size, config.patchStride());
        } catch (RuntimeException e) {
            throw new CliFailure(file + ": unreadable safetensors header: " + e.getMessage());
        }
    }
}
