package dev.eveflink.model.bench;

import java.nio.file.Path;

/**
 * DJL settings of every benchmark main, set before any DJL class loads: offline, engine cache in
 * {@code <repo>/target/djl-cache}, one intra-op and one inter-op thread, quiet logging. A {@code -D}
 * given on the command line wins.
 */
final class DjlDefaults {
    private DjlDefaults() {}

    static void apply(Path repo) {
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.default_engine", "PyTorch");
        setDefault("ENGINE_CACHE_DIR", repo.resolve("target").resolve("djl-cache").toString());
        setDefault("ai.djl.pytorch.num_threads", "1");
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
