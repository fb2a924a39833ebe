package dev.eveflink.job.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The local demo's options.
 *
 * @param count world images to send (default 200)
 * @param rate events per second; 0 = as fast as possible (default)
 * @param modelDir the checkpoint (default {@code model/demo/eve-shapes})
 * @param bootstrapServers an existing Kafka; null = start an in-process broker (default)
 * @param seed the world seed the images are drawn from (default 7)
 */
public record DemoOptions(int count, double rate, String modelDir, String bootstrapServers, long seed) {
    public static final String DEFAULT_MODEL_DIR = "model/demo/eve-shapes";
    static final String USAGE = "LocalDemo [--count N] [--rate EVENTS_PER_S] [--model-dir DIR]"
            + " [--bootstrap-servers HOST:PORT] [--seed S]";
    private static final Set<String> KNOWN = Set.of("count", "rate", "model-dir", "bootstrap-servers", "seed");

    public DemoOptions {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be >= 0 (0 = as fast as possible), got " + rate);
        }
        if (modelDir == null || modelDir.isBlank()) {
            throw new IllegalArgumentException("--model-dir must not be blank");
        }
    }

    /** Parses {@code --name value} pairs; unknown names and bad numbers fail naming the option. */
    public static DemoOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: " + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            values.put(name, args[i + 1]);
        }
        try {
            return new DemoOptions(
                    Integer.parseInt(values.getOrDefault("count", "200")),
                    Double.parseDouble(values.getOrDefault("rate", "0")),
                    values.getOrDefault("model-dir", DEFAULT_MODEL_DIR),
                    values.get("bootstrap-servers"),
                    Long.parseLong(values.getOrDefault("seed", "7")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a numeric option is not a number: " + e.getMessage(), e);
        }
    }
}
