package dev.eveflink.model.demo.world;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Writes samples of the world to a folder, for people and for other renderers: one image file per
 * sample ({@code 000000.png}, {@code 000001.jpg}, ...) and {@code truth.jsonl}, one JSON object per
 * line (see {@link TruthJson}).
 *
 * <p>Command line: {@code WorldExport <outDir> <count> [seed=0] [firstIndex=0]}; a progress line goes
 * to standard error.
 */
public final class WorldExport {
    /** The truth file's name inside the output folder. */
    public static final String TRUTH_FILE = "truth.jsonl";

    private WorldExport() {}

    /**
     * Writes samples {@code firstIndex .. firstIndex+count-1} of the world with {@code seed} into
     * {@code dir} (created if missing; an existing truth file is replaced), calling {@code progress}
     * with the number written after each sample.
     */
    public static void export(Path dir, long seed, int firstIndex, int count, IntConsumer progress) {
        if (count < 0 || firstIndex < 0) {
            throw new IllegalArgumentException("count and firstIndex must be >= 0, got " + count + ", " + firstIndex);
        }
        try {
            Files.createDirectories(dir);
            try (BufferedWriter truth = Files.newBufferedWriter(dir.resolve(TRUTH_FILE), StandardCharsets.UTF_8)) {
                for (int i = 0; i < count; i++) {
                    WorldSample sample = World.sample(seed, firstIndex + i);
                    Files.write(dir.resolve(sample.fileName()), sample.image());
                    truth.write(TruthJson.line(sample));
                    truth.newLine();
                    progress.accept(i + 1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the shapes world to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Command-line entry point; prints usage and exits with 2 on bad arguments. */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: WorldExport <outDir> <count> [seed=0] [firstIndex=0]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0L;
        int firstIndex = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        long start = System.nanoTime();
        int step = Math.max(1, count / 100);
        export(dir, seed, firstIndex, count, done -> {
            if (done % step == 0 || done == count) {
                double seconds = (System.nanoTime() - start) / 1e9;
                System.err.printf("\rshapes world: %d/%d samples, %.1f s", done, count, seconds);
            }
        });
        System.err.printf("%nwrote %d samples (seed %d, from index %d) to %s in %.2f s%n", count, seed, firstIndex, dir,
                (System.nanoTime() - start) / 1e9);
    }
}
