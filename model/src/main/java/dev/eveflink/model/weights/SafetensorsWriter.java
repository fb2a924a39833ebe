package dev.eveflink.model.weights;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Streams named float tensors into one {@code .safetensors} file: an 8-byte little-endian header
 * length, the JSON header ({@code name -> {dtype, shape, data_offsets}}, optional
 * {@code __metadata__}) padded with spaces to a multiple of 8 bytes, then each tensor's raw
 * little-endian data in header order.
 *
 * <p>The layout (names, dtypes, shapes) is declared up front so that the header can be written
 * first; the data then follows tensor by tensor, each in one call or in chunks, through a
 * {@link FileChannel} and a fixed 1 MiB buffer: the heap never holds more than the caller's own
 * arrays, and every offset is a {@code long}, so files (and tensors) larger than 2 GiB work.
 *
 * <p>Element types: F32 (exact), F16 and BF16, converted from float32 with IEEE round-to-nearest,
 * ties-to-even (what {@code torch.Tensor.to(torch.float16 / torch.bfloat16)} does): F16 overflows
 * to infinity above 65504 and goes through its subnormals below 2^-14; BF16 keeps float32's range.
 * NaN stays a (quiet) NaN and keeps its sign in both.
 *
 * <p>Empty tensors (a zero dimension) take no data and need no write call. Not thread-safe. {@link #close()} fails when a declared tensor was not fully written, and
 * leaves the (then invalid) file behind for inspection.
 */
public final class SafetensorsWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;

    /** One tensor of the layout: its name, stored type (F32, F16 or BF16) and shape. */
    public record TensorSpec(String name, TensorDType dtype, long... shape) {
        public TensorSpec {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
            if (name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            if (dtype != TensorDType.F32 && dtype != TensorDType.F16 && dtype != TensorDType.BF16) {
                throw new IllegalArgumentException(name + ": only F32, F16 and BF16 can be written, not " + dtype);
            }
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException(name + ": negative dimension in shape " + new Shape(shape));
                }
            }
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of elements (1 for a scalar). */
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        /** Bytes in the file. */
        public long byteSize() {
            return Math.multiplyExact(numel(), dtype.byteSize());
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final List<TensorSpec> layout;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private int current; // index into layout of the tensor being written
    private long writtenOfCurrent; // elements of the current tensor written so far
    private boolean closed;

    private SafetensorsWriter(Path file, FileChannel channel, List<TensorSpec> layout) {
        this.file = file;
        this.channel = channel;
        this.layout = layout;
    }

    /**
     * Creates (or truncates) {@code file} and writes its header.
     *
     * @param layout every tensor, in the order their data will be written
     * @param metadata the {@code __metadata__} string map (may be empty: then no metadata entry)
     */
    public static SafetensorsWriter create(Path file, List<TensorSpec> layout, Map<String, String> metadata)
            throws IOException {
        List<TensorSpec> specs = List.copyOf(layout);
        byte[] header = header(specs, metadata);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(header.length).put(header).flip();
            writeFully(channel, head);
            SafetensorsWriter writer = new SafetensorsWriter(file, channel, specs);
            writer.skipEmpty();
            return writer;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A tensor with its values, row-major, for {@link #write(Path, List, Map)}. */
    public record FloatTensor(TensorSpec spec, float[] values) {
        public FloatTensor {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(values, "values");
            if (values.length != spec.numel()) {
                throw new IllegalArgumentException(spec.name() + ": shape " + new Shape(spec.shape()) + " needs "
                        + spec.numel() + " values, got " + values.length);
            }
        }
    }

    /** Writes a whole file in one call, the tensors in list order. */
    public static void write(Path file, List<FloatTensor> tensors, Map<String, String> metadata) throws IOException {
        List<TensorSpec> specs = tensors.stream().map(FloatTensor::spec).toList();
        try (SafetensorsWriter writer = create(file, specs, metadata)) {
            for (FloatTensor t : tensors) {
                if (t.spec().numel() > 0) { // an empty tensor has no data to write
                    writer.write(t.spec().name(), t.values());
                }
            }
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes (so the data starts 8-aligned). */
    static byte[] header(List<TensorSpec> specs, Map<String, String> metadata) {
        JsonObject root = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            root.add("__metadata__", meta);
        }
        long offset = 0;
        for (TensorSpec spec : specs) {
            if (root.has(spec.name())) {
                throw new IllegalArgumentException("tensor '" + spec.name() + "' is declared twice");
            }
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", spec.dtype().safetensorsName());
            JsonArray shape = new JsonArray();
            for (long d : spec.shape) {
                shape.add(d);
            }
            entry.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset = Math.addExact(offset, spec.byteSize());
            offsets.add(offset);
            entry.add("data_offsets", offsets);
            root.add(spec.name(), entry);
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /** Writes the whole of tensor {@code name}, which must be the next one of the layout. */
    public void write(String name, float[] values) throws IOException {
        TensorSpec spec = expect(name);
        if (writtenOfCurrent != 0) {
            throw new IllegalStateException(file + ": tensor '" + name + "' is already partly written");
        }
        if (values.length != spec.numel()) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' " + new Shape(spec.shape)
                    + " needs " + spec.numel() + " values, got " + values.length);
        }
        writeChunk(name, values, 0, values.length);
    }

    /**
     * Appends {@code length} values (row-major) to tensor {@code name}, which must be the one being
     * written; the writer moves to the next tensor once this one has all its elements.
     */
    public void writeChunk(String name, float[] values, int offset, int length) throws IOException {
        TensorSpec spec = expect(name);
        Objects.checkFromIndexSize(offset, length, values.length);
        if (writtenOfCurrent + length > spec.numel()) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has " + spec.numel()
                    + " elements; " + (writtenOfCurrent + length) + " would be written");
        }
        int elementBytes = spec.dtype().byteSize();
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (buffer.remaining() < elementBytes) {
                flush();
            }
            float v = values[i];
            switch (spec.dtype()) {
                case F32 -> buffer.putFloat(v);
                case F16 -> buffer.putShort(floatToHalf(v));
                case BF16 -> buffer.putShort(floatToBfloat16(v));
                default -> throw new IllegalStateException("unwritable dtype " + spec.dtype());
            }
        }
        writtenOfCurrent += length;
        if (writtenOfCurrent == spec.numel()) {
            current++;
            writtenOfCurrent = 0;
            skipEmpty();
        }
    }

    /** Names of the tensors not yet (fully) written, in layout order. */
    public List<String> pending() {
        List<String> out = new ArrayList<>();
        for (int i = current; i < layout.size(); i++) {
            out.add(layout.get(i).name());
        }
        return Collections.unmodifiableList(out);
    }

    /** Flushes and closes the file; fails naming the tensors that were declared but not written. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (FileChannel ch = channel) {
            flush();
            if (current < layout.size()) {
                throw new IllegalStateException(file + ": closed before these declared tensors were written: "
                        + pending());
            }
            ch.force(false);
        }
    }

    /** Empty tensors (a zero dimension) have no data: step over them so they never block the order. */
    private void skipEmpty() {
        while (current < layout.size() && layout.get(current).numel() == 0) {
            current++;
        }
    }

    private TensorSpec expect(String name) {
        if (closed) {
            throw new IllegalStateException(file + ": writer is closed");
        }
        if (current >= layout.size()) {
            throw new IllegalStateException(file + ": every declared tensor is written; got '" + name + "'");
        }
        TensorSpec spec = layout.get(current);
        if (!spec.name().equals(name)) {
            throw new IllegalStateException(file + ": tensors must be written in header order: expected '"
                    + spec.name() + "', got '" + name + "'");
        }
        return spec;
    }

    private void flush() throws IOException {
        buffer.flip();
        writeFully(channel, buffer);
        buffer.clear();
    }

    private static void writeFully(FileChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    /** float32 to bfloat16 bits, round-to-nearest-even; NaN becomes a quiet NaN of the same sign. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds half to even; a carry into the exponent is the
        // correct rounding up (to the next binade or to infinity).
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** float32 to IEEE binary16 bits, round-to-nearest-even, overflow to infinity, subnormals kept. */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xFF;
        int mant = bits & 0x7FFFFF;
        if (exp == 0xFF) { // inf stays inf; NaN stays a quiet NaN with the top payload bits
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int halfExp = exp - 127 + 15;
        if (halfExp >= 0x1F) {
            return (short) (sign | 0x7C00); // beyond 65504 (after rounding): infinity
        }
        if (halfExp <= 0) {
            // Subnormal half: value = m * 2^-24. Below 2^-25 everything rounds to zero.
            if (halfExp < -10) {
                return (short) sign;
            }
            int full = mant | 0x800000; // the implicit leading bit
            int shift = 14 - halfExp; // 14..24
            int half = full >>> shift;
            int rest = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++; // may become 0x400, the smallest normal: still the right encoding
            }
            return (short) (sign | half);
        }
        int half = (halfExp << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding (up to infinity at the top)
        }
        return (short) (sign | half);
    }

}
