package dev.eveflink.model.engine;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What makes two engines interchangeable: the same device, the same model directory and the same
 * engine options. {@link EnginePool} shares one engine among all leases with equal keys.
 *
 * @param device the device in DJL's notation, e.g. {@code "gpu(0)"} or {@code "cpu()"}
 * @param modelDir the checkpoint directory (normalized to an absolute path)
 * @param options engine settings that change its behaviour (e.g. {@code maxBatchSize}); copied
 *     into a sorted map so that equal settings give equal keys and a stable {@link #toString()}
 */
public record EngineKey(String device, Path modelDir, Map<String, String> options) {

    public EngineKey {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(options, "options");
        if (device.isBlank()) {
            throw new IllegalArgumentException("device must not be blank");
        }
        modelDir = modelDir.toAbsolutePath().normalize();
        TreeMap<String, String> sorted = new TreeMap<>();
        options.forEach(
                (name, value) ->
                        sorted.put(
                                Objects.requireNonNull(name, "option name"),
                                Objects.requireNonNull(value, "value of option " + name)));
        options = Collections.unmodifiableSortedMap(sorted);
    }

    /** A key without engine options. */
    public static EngineKey of(String device, Path modelDir) {
        return new EngineKey(device, modelDir, Map.of());
    }

    /** The option's value, or {@code fallback} when it is not set. */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
