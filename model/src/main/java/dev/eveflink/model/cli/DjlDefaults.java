package dev.eveflink.model.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The JVM-wide DJL settings of our launchers, applied before any DJL class loads. Each is a default:
 * a {@code -D} given on the command line wins.
 */
final class DjlDefaults {
    private DjlDefaults() {}

    static void apply() {
        setDefault("ai.djl.offline", "true"); // without it the engine start makes telemetry calls
        setDefault("ai.djl.default_engine", "PyTorch");
        setDefault("ai.djl.pytorch.num_threads", "1");
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
            System.setProperty("ENGINE_CACHE_DIR", defaultCacheDir().toString());
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** {@code djl-cache} beside the jar (or the classes folder) this class was loaded from. */
    private static Path defaultCacheDir() {
        try {
            Path code = Path.of(DjlDefaults.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().resolve("djl-cache");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "djl-cache").toAbsolutePath();
        }
    }
}
