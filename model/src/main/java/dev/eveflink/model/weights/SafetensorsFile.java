package dev.eveflink.model.weights;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}}, optional {@code __metadata__}), then raw
 * little-endian data. Only the header is read on open; every offset is validated against the file
 * size there, so a truncated file fails at once with the file and tensor named. Tensor data is
 * reached per tensor with {@code long} offsets (files over 2 GiB work), either as a copy-on-write
 * mapping or through positional reads.
 */
public final class SafetensorsFile implements Checkpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SafetensorsFile.class);
    /** A header larger than this is not a safetensors header (the reference implementation caps at 100 MB). */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path file;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path file, long dataStart, Map<String, String> metadata, Map<String, Entry> entries) {
        this.file = file;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.entries = entries;
    }

    /** Reads and validates the header of {@code file}. */
    public static SafetensorsFile open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw new CheckpointException(file + ": truncated safetensors file (" + fileSize + " bytes, no header length)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
                throw new CheckpointException(file + ": not a safetensors file (header length " + headerLen + ")");
            }
            if (8 + headerLen > fileSize) {
                throw new CheckpointException(file + ": truncated safetensors file: header of " + headerLen
                        + " bytes but the file has only " + fileSize + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            String json = new String(headerBuf.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            return parse(file, json, dataStart, fileSize - dataStart);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": file not found", e);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile parse(Path file, String json, long dataStart, long dataSize) {
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(json.trim());
            if (!parsed.isJsonObject()) {
                throw new CheckpointException(file + ": safetensors header is not a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (RuntimeException e) {
            if (e instanceof CheckpointException ce) {
                throw ce;
            }
            throw new CheckpointException(file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (e.getValue().isJsonObject()) {
                    e.getValue().getAsJsonObject().entrySet().forEach(m -> metadata.put(m.getKey(),
                            m.getValue().isJsonPrimitive() ? m.getValue().getAsString() : m.getValue().toString()));
                }
                continue;
            }
            entries.put(name, parseEntry(file, name, e.getValue(), dataSize));
        }
        return new SafetensorsFile(file, dataStart, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(entries));
    }

    private static Entry parseEntry(Path file, String name, JsonElement value, long dataSize) {
        String where = file + ": tensor '" + name + "'";
        try {
            JsonObject o = value.getAsJsonObject();
            String dtypeName = o.get("dtype").getAsString();
            JsonArray shapeJson = o.getAsJsonArray("shape");
            long[] dims = new long[shapeJson.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shapeJson.get(i).getAsLong();
                if (dims[i] < 0) {
                    throw new CheckpointException(where + ": negative dimension in shape " + shapeJson);
                }
            }
            JsonArray offsets = o.getAsJsonArray("data_offsets");
            if (offsets == null || offsets.size() != 2) {
                throw new CheckpointException(where + ": data_offsets must hold [begin, end]");
            }
            long begin = offsets.get(0).getAsLong();
            long end = offsets.get(1).getAsLong();
            if (begin < 0 || end < begin) {
                throw new CheckpointException(where + ": invalid data_offsets [" + begin + ", " + end + "]");
            }
            if (end > dataSize) {
                throw new CheckpointException(where + ": truncated file: the tensor needs data bytes up to " + end
                        + " but the file holds only " + dataSize + " data bytes");
            }
            Shape shape = new Shape(dims);
            TensorDType dtype = TensorDType.fromSafetensors(dtypeName).orElse(null);
            if (dtype != null) {
                long expected = Math.multiplyExact(shape.size(), dtype.byteSize());
                if (expected != end - begin) {
                    throw new CheckpointException(where + ": " + dtypeName + " " + shape + " needs " + expected
                            + " bytes but data_offsets span " + (end - begin));
                }
            }
            return new Entry(new TensorInfo(name, dtype, dtypeName, shape, end - begin), begin);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(where + ": malformed header entry " + value + ": " + e.getMessage(), e);
        }
    }

    /** The file this header came from. */
    public Path file() {
        return file;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return entry(name).info();
    }

    /** Absolute file offset of a tensor's first byte. */
    public long fileOffset(String name) {
        return dataStart + entry(name).begin();
    }

    @Override
    public StoredTensor tensor(String name) {
        return new MappedTensor(entry(name));
    }

    @Override
    public void close() {
        // Nothing held open: every read opens its own channel, every mapping outlives its channel.
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new CheckpointException(file + ": no tensor named '" + name + "'");
        }
        return e;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new CheckpointException(file + ": unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private record Entry(TensorInfo info, long begin) {}

    /** A tensor region of this file. */
    private final class MappedTensor implements StoredTensor {
        private final Entry entry;

        MappedTensor(Entry entry) {
            this.entry = entry;
        }

        @Override
        public TensorInfo info() {
            return entry.info();
        }

        @Override
        public String origin() {
            return file.toString();
        }

        @Override
        public Optional<ByteBuffer> mapPrivate() throws IOException {
            long size = entry.info().byteSize();
            if (size > Integer.MAX_VALUE || size == 0) {
                return Optional.empty();
            }
            // PRIVATE needs a channel opened for writing, although nothing is ever written to the file.
            // A read-only file or file system falls back to copying.
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return Optional.of(ch.map(FileChannel.MapMode.PRIVATE, dataStart + entry.begin(), size));
            } catch (java.nio.file.FileSystemException | UnsupportedOperationException e) {
                LOG.debug("{}: cannot map '{}' copy-on-write ({}); copying instead", file, entry.info().name(), e.toString());
                return Optional.empty();
            }
        }

        @Override
        public Reader openReader() throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            return new Reader() {
                private long position = dataStart + entry.begin();
                private final long end = position + entry.info().byteSize();
                private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

                @Override
                public ByteBuffer next(int byteCount) throws IOException {
                    if (position + byteCount > end) {
                        throw new CheckpointException(file + ": read past the end of tensor '" + entry.info().name() + "'");
                    }
                    if (buffer.capacity() < byteCount) {
                        buffer = ByteBuffer.allocateDirect(byteCount);
                    }
                    buffer.clear().limit(byteCount);
                    try {
                        readFully(ch, buffer, position, file);
                    } catch (CheckpointException e) {
                        throw new CheckpointException(file + ": truncated while reading tensor '"
                                + entry.info().name() + "': " + e.getMessage(), e);
                    }
                    position += byteCount;
                    buffer.flip();
                    return buffer.order(ByteOrder.LITTLE_ENDIAN);
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        }
    }
}
