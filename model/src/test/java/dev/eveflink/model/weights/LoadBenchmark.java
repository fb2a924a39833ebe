package dev.eveflink.model.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Not a test: measures load time and heap use of {@link CheckpointLoader} for the golden checkpoint
 * (both formats) and for a generated ~3.3 GB safetensors file (a 2.3 GB F32 tensor, which exceeds
 * one mapping and takes the chunked path; a BF16 tensor converted in Java; an F32 tensor mapped
 * copy-on-write; a skipped tensor). The file is written to a temp dir and deleted afterwards.
 *
 * <p>Run: {@code java -cp <test classpath> [DJL -D flags] dev.eveflink.model.weights.LoadBenchmark [tmpDir]}.
 */
public final class LoadBenchmark {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private LoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path golden = Path.of(args.length > 1 ? args[1] : "src/test/golden/eve-tiny");
        try (NDManager manager = NDManager.newBaseManager()) {
            measure("warm-up (engine start)", golden, manager, CheckpointFormat.SAFETENSORS);
            measure("golden eve-tiny, .bin shards", golden, manager, CheckpointFormat.PYTORCH_BIN);
            measure("golden eve-tiny, model.safetensors", golden, manager, CheckpointFormat.SAFETENSORS);
            Path dir = args.length > 0 ? Files.createTempDirectory(Path.of(args[0]), "eve-load-bench")
                    : Files.createTempDirectory("eve-load-bench");
            try {
                long t0 = System.nanoTime();
                long size = writeBigSafetensors(dir.resolve("model.safetensors"));
                System.out.printf("generated %.2f GB safetensors in %.1f s%n", size / 1e9, (System.nanoTime() - t0) / 1e9);
                measure("generated ~3.3 GB model.safetensors", dir, manager, CheckpointFormat.SAFETENSORS);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void measure(String label, Path dir, NDManager manager, CheckpointFormat format) throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long baseline = MEMORY.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(200_000); // ~5 kHz, little garbage of its own
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocBefore = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        int count;
        long stored = 0;
        try (WeightMap w = CheckpointLoader.load(dir, manager, DataType.FLOAT32, format)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocBefore;
            running.set(false);
            sampler.join();
            count = w.names().size();
            for (String name : w.names()) {
                stored += w.shape(name).size() * 4;
            }
            spotCheck(w);
            System.out.printf("%-40s %3d tensors, %,14d float32 bytes: %6d ms, peak heap above baseline %,d B, "
                            + "heap allocated by the loading thread %,d B, VmHWM %s%n",
                    label, count, stored, ms, peak.get() - baseline, allocated, vmHwm());
        }
    }

    /** The generated tensors hold value(i) = (i % 251) / 16 at flat index i: check a few, incl. the last. */
    private static void spotCheck(WeightMap w) {
        if (!w.contains("model.layers.0.mlp.gate_proj.weight")
                || w.shape("model.layers.0.mlp.gate_proj.weight").get(0) != 140_000L) {
            return; // not the generated file
        }
        for (String name : new String[] {"model.layers.0.mlp.gate_proj.weight", "lm_head.weight", "model.embed_tokens.weight"}) {
            var a = w.get(name, w.shape(name));
            long rows = a.getShape().get(0);
            long cols = a.getShape().get(1);
            for (long r : new long[] {0, rows / 2, rows - 1}) {
                float[] row = a.get(r).toFloatArray();
                for (long c : new long[] {0, cols - 1}) {
                    float expected = ((r * cols + c) % 251) / 16f;
                    if (row[(int) c] != expected) {
                        throw new AssertionError(name + "[" + r + "," + c + "] = " + row[(int) c] + ", expected " + expected);
                    }
                }
            }
        }
        System.out.println("spot check of generated values: ok");
    }

    private static String vmHwm() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static long writeBigSafetensors(Path file) throws IOException {
        long cols = 4096;
        Object[][] tensors = {
            {"model.layers.0.mlp.gate_proj.weight", "F32", 140_000L}, // 2.29 GB: over one mapping
            {"lm_head.weight", "F32", 32_000L}, // 0.52 GB: mapped copy-on-write
            {"model.embed_tokens.weight", "BF16", 32_000L}, // 0.26 GB: widened in Java
            {"model.vision_clip.backbone.big", "F32", 16_000L}, // 0.26 GB: skipped
        };
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Object[] t : tensors) {
            long bytes = (long) t[2] * cols * ("BF16".equals(t[1]) ? 2 : 4);
            header.append(offset == 0 ? "" : ",").append('"').append(t[0]).append("\":{\"dtype\":\"").append(t[1])
                    .append("\",\"shape\":[").append(t[2]).append(',').append(cols).append("],\"data_offsets\":[")
                    .append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).flip());
            ch.write(ByteBuffer.wrap(h));
            ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Object[] t : tensors) {
                boolean bf16 = "BF16".equals(t[1]);
                long numel = (long) t[2] * cols;
                for (long i = 0; i < numel; i++) {
                    float v = (i % 251) / 16f; // 8 significant bits: exact in bf16 too
                    if (bf16) {
                        buf.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
                    } else {
                        buf.putFloat(v);
                    }
                    if (!buf.hasRemaining()) {
                        ch.write(buf.flip());
                        buf.clear();
                    }
                }
            }
            ch.write(buf.flip());
            return ch.size();
        }
    }
}
