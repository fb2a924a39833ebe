package dev.eveflink.model.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test helper: writes small torch-zip and safetensors files byte by byte. */
final class TestCheckpoints {
    private TestCheckpoints() {}

    /** Writes a torch.save-style zip: {@code archive/data.pkl}, {@code archive/data/<key>}, {@code archive/version}. */
    static void writeTorchZip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, "archive/data.pkl", pickle);
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                stored(zip, "archive/data/" + e.getKey(), e.getValue());
            }
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** One safetensors tensor to write. */
    record Tensor(String name, String dtype, long[] shape, byte[] data) {}

    /** Writes a safetensors file holding the tensors back to back. */
    static void writeSafetensors(Path file, Tensor... tensors) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Tensor t : tensors) {
            header.append(",\"").append(t.name()).append("\":{\"dtype\":\"").append(t.dtype()).append("\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) {
                header.append(i == 0 ? "" : ",").append(t.shape()[i]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + t.data().length).append("]}");
            offset += t.data().length;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream os = Files.newOutputStream(file)) {
            os.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            os.write(h);
            for (Tensor t : tensors) {
                os.write(t.data());
            }
        }
    }

    static byte[] floatsLe(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] shortsLe(short... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    static Map<String, byte[]> storages(Object... keyAndBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < keyAndBytes.length; i += 2) {
            m.put((String) keyAndBytes[i], (byte[]) keyAndBytes[i + 1]);
        }
        return m;
    }
}
