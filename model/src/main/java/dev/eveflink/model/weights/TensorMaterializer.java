package dev.eveflink.model.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Turns a {@link StoredTensor} into an NDArray of the requested type on the manager's device.
 *
 * <p>Two paths. Zero-copy: a CPU tensor whose stored type already is the result type is the
 * copy-on-write mapping itself (an in-place op then touches private pages, never the file).
 * Copy: everything else (dtype conversion, torch zip storages, tensors over 2 GiB, GPU devices) is
 * converted chunk by chunk through one reusable direct buffer into a torch-owned array, so the
 * heap never holds more than one chunk and no direct memory accumulates per tensor.
 */
final class TensorMaterializer {
    /** Size of the conversion buffer; also the largest piece copied at once. */
    static final int DEFAULT_CHUNK_BYTES = 16 << 20;

    private final int chunkBytes;
    private final ByteBuffer scratch; // reused for every chunk: DJL copies it into the destination

    TensorMaterializer(int chunkBytes) {
        if (chunkBytes < 64) {
            throw new IllegalArgumentException("chunkBytes too small: " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        this.scratch = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.nativeOrder());
    }

    TensorMaterializer() {
        this(DEFAULT_CHUNK_BYTES);
    }

    /** The DJL type a tensor of {@code dtype} gets when floats are converted to {@code target}. */
    static DataType resultType(TensorDType dtype, DataType target) {
        return dtype.isFloating() ? target : dtype.ownType();
    }

    NDArray materialize(StoredTensor tensor, NDManager manager, DataType target) throws IOException {
        TensorInfo info = tensor.info();
        if (info.dtype() == null) {
            throw new CheckpointException(
                    tensor.origin() + ": tensor '" + info.name() + "' has unsupported dtype '"
                            + info.dtypeName() + "' (supported: " + TensorDType.supportedSafetensorsNames() + ")");
        }
        DataType result = resultType(info.dtype(), target);
        Shape shape = info.shape();
        if (info.dtype().ownType() == result && isCpu(manager)) {
            Optional<ByteBuffer> mapped = tensor.mapPrivate();
            if (mapped.isPresent()) {
                // The mapping sits at the tensor's file offset, which is rarely 64-byte aligned, and
                // PyTorch's CPU kernels (gemv in particular) round differently on unaligned data. A
                // native copy lands in PyTorch's aligned memory, so the same weights give the same
                // outputs whatever file they came from (safetensors, .bin shards, any offsets).
                try (NDManager step = manager.newSubManager()) {
                    NDArray view = step.create(mapped.get().order(ByteOrder.nativeOrder()), shape, result);
                    NDArray owned = view.duplicate();
                    owned.attach(manager);
                    return named(owned, info);
                }
            }
        }
        return named(copy(tensor, manager, result), info);
    }

    private static NDArray named(NDArray array, TensorInfo info) {
        array.setName(info.name());
        return array;
    }

    private static boolean isCpu(NDManager manager) {
        return Device.Type.CPU.equals(manager.getDevice().getDeviceType());
    }

    private NDArray copy(StoredTensor tensor, NDManager manager, DataType result) throws IOException {
        TensorInfo info = tensor.info();
        TensorDType dtype = info.dtype();
        Shape shape = info.shape();
        // What Java writes: F16 passes through to a float16 target, other floats become float32.
        boolean passThrough = !dtype.isFloating() || (dtype == TensorDType.F16 && result == DataType.FLOAT16);
        DataType javaType = passThrough ? result : DataType.FLOAT32;
        int outBytes = passThrough ? dtype.byteSize() : 4;

        long numel = shape.size();
        if (numel == 0) {
            return manager.create(shape, result);
        }
        long rows = shape.dimension() == 0 ? 1 : shape.get(0);
        long rowElems = numel / rows;
        long rowBytes = rowElems * Math.max(outBytes, dtype.byteSize());
        if (rowBytes > chunkBytes) {
            // A row wider than the chunk: treat the tensor as a flat vector and reshape at the end.
            return copyFlat(tensor, manager, result);
        }
        long rowsPerChunk = Math.max(1, chunkBytes / rowBytes);

        NDArray dest = manager.create(shape.dimension() == 0 ? new Shape(1) : shape, result);
        try (StoredTensor.Reader reader = tensor.openReader()) {
            for (long r0 = 0; r0 < rows; r0 += rowsPerChunk) {
                long n = Math.min(rowsPerChunk, rows - r0);
                int count = Math.toIntExact(n * rowElems);
                ByteBuffer src = reader.next(count * dtype.byteSize());
                ElementConversion.convert(src, dtype, count, scratch, !passThrough);
                ByteBuffer filled = scratch.duplicate().order(ByteOrder.nativeOrder());
                filled.position(0).limit(count * outBytes);
                Shape pieceShape = shape.dimension() == 0 ? new Shape(1) : new Shape(n).addAll(shape.slice(1));
                try (NDManager step = manager.newSubManager()) {
                    NDArray piece = step.create(filled.slice().order(ByteOrder.nativeOrder()), pieceShape, javaType);
                    if (javaType != result) {
                        piece = piece.toType(result, false);
                    }
                    dest.set(new NDIndex("{}:{}", r0, r0 + n), piece);
                }
            }
        } catch (RuntimeException | IOException e) {
            dest.close();
            throw e;
        }
        if (shape.dimension() == 0) {
            NDArray scalar = dest.reshape(shape);
            dest.close();
            return scalar;
        }
        return dest;
    }

    private NDArray copyFlat(StoredTensor tensor, NDManager manager, DataType result) throws IOException {
        Shape flat = new Shape(tensor.info().numel());
        StoredTensor flatView = new ReshapedTensor(tensor, flat);
        NDArray vector = copy(flatView, manager, result);
        NDArray shaped = vector.reshape(tensor.info().shape());
        vector.close();
        return shaped;
    }

    /** The same bytes seen as another shape (row-major order is unchanged). */
    private record ReshapedTensor(StoredTensor inner, Shape shape) implements StoredTensor {
        @Override
        public TensorInfo info() {
            TensorInfo i = inner.info();
            return new TensorInfo(i.name(), i.dtype(), i.dtypeName(), shape, i.byteSize());
        }

        @Override
        public String origin() {
            return inner.origin();
        }

        @Override
        public Optional<ByteBuffer> mapPrivate() {
            return Optional.empty();
        }

        @Override
        public Reader openReader() throws IOException {
            return inner.openReader();
        }
    }
}
