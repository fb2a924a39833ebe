package dev.eveflink.model.weights;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * One {@code torch.save} zip checkpoint ({@code pytorch_model*.bin}): {@code <stem>/data.pkl} (the
 * state dict, read by {@link StateDictUnpickler}, which refuses anything but plain tensors),
 * {@code <stem>/data/<key>} (one raw little-endian storage per key), {@code <stem>/version} and
 * maybe {@code <stem>/byteorder}. Opening reads only the pickle; storage bytes are streamed from the
 * zip per tensor on demand. Views are honoured: storage offset, strides (non-contiguous views are
 * gathered element by element) and storages shared by several names.
 */
public final class TorchZipCheckpoint implements Checkpoint {
    private final Path file;
    private final ZipFile zip;
    private final String stem;
    private final Map<String, TorchTensorRef> refs;
    private final Map<String, TensorInfo> infos;

    private TorchZipCheckpoint(Path file, ZipFile zip, String stem, Map<String, TorchTensorRef> refs) {
        this.file = file;
        this.zip = zip;
        this.stem = stem;
        this.refs = refs;
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        refs.forEach((name, ref) -> infos.put(name, new TensorInfo(name, ref.dtype(), ref.storageClass(),
                new Shape(ref.sizes()), ref.dtype() == null ? 0 : ref.numel() * ref.dtype().byteSize())));
        this.infos = Collections.unmodifiableMap(infos);
    }

    /** Opens the zip and reads its state dict pickle (no tensor data). */
    public static TorchZipCheckpoint open(Path file) {
        if (!Files.exists(file)) {
            throw new CheckpointException(file + ": file not found");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file + ": not a torch zip checkpoint (legacy pre-1.6 torch.save files "
                    + "and truncated zips are not supported): " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": file not found", e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            String stem = findStem(file, zip);
            checkByteOrder(file, zip, stem);
            ZipEntry pkl = zip.getEntry(stem + "data.pkl");
            byte[] pickle;
            try (InputStream in = zip.getInputStream(pkl)) {
                pickle = in.readAllBytes(); // only the pickle: a few hundred bytes per tensor
            }
            Map<String, TorchTensorRef> refs = StateDictUnpickler.read(file + "!" + pkl.getName(), pickle);
            TorchZipCheckpoint checkpoint = new TorchZipCheckpoint(file, zip, stem, Collections.unmodifiableMap(refs));
            checkpoint.validateStorages();
            return checkpoint;
        } catch (IOException e) {
            closeQuietly(zip);
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(zip);
            throw e;
        }
    }

    private static String findStem(Path file, ZipFile zip) {
        List<String> candidates = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.endsWith("data.pkl") && (name.equals("data.pkl") || name.endsWith("/data.pkl"))
                    && name.indexOf('/') == name.lastIndexOf('/')) {
                candidates.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (candidates.size() != 1) {
            throw new CheckpointException(file + ": expected exactly one <stem>/data.pkl in the zip, found " + candidates);
        }
        return candidates.get(0);
    }

    private static void checkByteOrder(Path file, ZipFile zip, String stem) throws IOException {
        ZipEntry entry = zip.getEntry(stem + "byteorder");
        if (entry == null) {
            return; // torch before 2.1 wrote no byteorder record; those files are little-endian
        }
        try (InputStream in = zip.getInputStream(entry)) {
            String order = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new CheckpointException(file + ": byteorder '" + order + "' is not supported (only little)");
            }
        }
    }

    /** Every storage a tensor names must exist and be large enough for the view. */
    private void validateStorages() {
        refs.forEach((name, ref) -> {
            if (ref.dtype() == null) {
                return; // unsupported storage type: fails only if the tensor is actually loaded
            }
            ZipEntry entry = zip.getEntry(storageEntryName(ref));
            if (entry == null) {
                throw new CheckpointException(file + ": tensor '" + name + "' names storage " + storageEntryName(ref)
                        + " which is not in the zip");
            }
            long needBytes = ref.extentEnd() * ref.dtype().byteSize();
            if (ref.extentEnd() > ref.storageNumel() || (entry.getSize() >= 0 && entry.getSize() < needBytes)) {
                throw new CheckpointException(file + ": tensor '" + name + "' is truncated: its view needs " + needBytes
                        + " bytes of storage " + ref.storageKey() + " but the storage holds " + entry.getSize());
            }
        });
    }

    private String storageEntryName(TorchTensorRef ref) {
        return stem + "data/" + ref.storageKey();
    }

    /** The zip file. */
    public Path file() {
        return file;
    }

    /** Storage key of a tensor (two names with the same key share data). */
    public String storageKey(String name) {
        return ref(name).storageKey();
    }

    @Override
    public Set<String> names() {
        return infos.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        ref(name);
        return infos.get(name);
    }

    @Override
    public StoredTensor tensor(String name) {
        return new ZipTensor(info(name), ref(name));
    }

    @Override
    public void close() {
        closeQuietly(zip);
    }

    private TorchTensorRef ref(String name) {
        TorchTensorRef ref = refs.get(name);
        if (ref == null) {
            throw new CheckpointException(file + ": no tensor named '" + name + "'");
        }
        return ref;
    }

    private static void closeQuietly(ZipFile zip) {
        try {
            zip.close();
        } catch (IOException ignored) {
            // nothing to recover: the file was only read
        }
    }

    /** A view into one zip storage. */
    private final class ZipTensor implements StoredTensor {
        private final TensorInfo info;
        private final TorchTensorRef ref;

        ZipTensor(TensorInfo info, TorchTensorRef ref) {
            this.info = info;
            this.ref = ref;
        }

        @Override
        public TensorInfo info() {
            return info;
        }

        @Override
        public String origin() {
            return file + "!" + storageEntryName(ref);
        }

        @Override
        public Optional<ByteBuffer> mapPrivate() {
            return Optional.empty(); // zip entries are copied, never mapped
        }

        @Override
        public Reader openReader() throws IOException {
            int elem = ref.dtype().byteSize();
            InputStream in = zip.getInputStream(zip.getEntry(storageEntryName(ref)));
            try {
                if (ref.isContiguous()) {
                    skipFully(in, ref.offset() * elem);
                    return new StreamReader(in);
                }
                long spanBytes = (ref.extentEnd() - ref.offset()) * elem;
                if (spanBytes > Integer.MAX_VALUE) {
                    throw new CheckpointException(origin() + ": non-contiguous tensor '" + info.name()
                            + "' spans more than 2 GiB of storage; not supported");
                }
                skipFully(in, ref.offset() * elem);
                ByteBuffer span = ByteBuffer.allocateDirect((int) spanBytes).order(ByteOrder.LITTLE_ENDIAN);
                readFully(in, span);
                in.close();
                return new StridedReader(span, ref.sizes(), ref.strides(), elem);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        private void skipFully(InputStream in, long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long n = in.skip(left);
                if (n <= 0) {
                    if (in.read() < 0) {
                        throw new CheckpointException(origin() + ": storage ends before tensor '" + info.name() + "'");
                    }
                    n = 1;
                }
                left -= n;
            }
        }

        private void readFully(InputStream in, ByteBuffer dst) throws IOException {
            byte[] chunk = new byte[(int) Math.min(1 << 20, Math.max(1, dst.remaining()))];
            while (dst.hasRemaining()) {
                int n = in.read(chunk, 0, Math.min(chunk.length, dst.remaining()));
                if (n < 0) {
                    throw new CheckpointException(origin() + ": truncated storage while reading tensor '" + info.name() + "'");
                }
                dst.put(chunk, 0, n);
            }
            dst.flip();
        }

        /** Contiguous view: the storage bytes in order. */
        private final class StreamReader implements Reader {
            private final InputStream in;
            private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

            StreamReader(InputStream in) {
                this.in = in;
            }

            @Override
            public ByteBuffer next(int byteCount) throws IOException {
                if (buffer.capacity() < byteCount) {
                    buffer = ByteBuffer.allocateDirect(byteCount);
                }
                buffer.clear().limit(byteCount);
                readFully(in, buffer);
                return buffer.order(ByteOrder.LITTLE_ENDIAN);
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        }
    }

    /** Non-contiguous view: gathers elements from the storage span in row-major order of the view. */
    private static final class StridedReader implements StoredTensor.Reader {
        private final ByteBuffer span; // storage bytes from the view's offset on
        private final long[] sizes;
        private final long[] strides;
        private final int elem;
        private final long[] index; // the next element's multi-index
        private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

        StridedReader(ByteBuffer span, long[] sizes, long[] strides, int elem) {
            this.span = span;
            this.sizes = sizes;
            this.strides = strides;
            this.elem = elem;
            this.index = new long[sizes.length];
        }

        @Override
        public ByteBuffer next(int byteCount) {
            if (buffer.capacity() < byteCount) {
                buffer = ByteBuffer.allocateDirect(byteCount);
            }
            buffer.clear().limit(byteCount);
            int count = byteCount / elem;
            for (int i = 0; i < count; i++) {
                long element = 0;
                for (int d = 0; d < sizes.length; d++) {
                    element += index[d] * strides[d];
                }
                int from = Math.toIntExact(element * elem);
                for (int b = 0; b < elem; b++) {
                    buffer.put(span.get(from + b));
                }
                for (int d = sizes.length - 1; d >= 0; d--) { // odometer increment
                    if (++index[d] < sizes[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            buffer.flip();
            return buffer.order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void close() {
            // the span is freed with its buffer
        }
    }
}
