package dev.eveflink.model.engine;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reference-counted engines shared by every caller in a JVM that asks for the same {@link
 * EngineKey}.
 *
 * <p>Why a JVM-wide pool: the task slots of one Flink TaskManager share nothing but the JVM, and
 * every slot pinned to the same GPU must use ONE engine there (one copy of the weights, one batch
 * scheduler that batches across slots). {@link #shared()} is therefore the single explicit
 * JVM-wide object of the project; tests create their own pools with {@link #EnginePool()}.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>An engine is loaded at most once per key while leases on that key exist, even when many
 *       threads call {@link #lease} at the same time. The first caller loads; the others wait for
 *       its result. Loading happens outside any pool-wide lock, so keys load in parallel.
 *   <li>The engine is closed exactly once, by the thread that closes the key's last lease, before
 *       that {@link EngineLease#close()} returns.
 *   <li>A lease asked for while the previous engine of the same key is closing waits for the close
 *       to finish before loading anew, so a device never holds two copies of the weights.
 *   <li>A failed load is reported to every caller waiting for it, and forgotten: the next {@link
 *       #lease} loads again (a restarted Flink task retries).
 * </ul>
 */
public final class EnginePool {

    private static final Logger LOG = LoggerFactory.getLogger(EnginePool.class);

    /** The JVM-wide pool (see the class comment for why it exists). */
    private static final EnginePool SHARED = new EnginePool();

    /** The live (or closing) engine of each key. */
    private final Map<EngineKey, Entry> entries = new ConcurrentHashMap<>();

    /** A pool of its own, for tests and for callers that manage engines explicitly. */
    public EnginePool() {}

    /** The JVM-wide pool that all Flink task slots of a TaskManager share. */
    public static EnginePool shared() {
        return SHARED;
    }

    /**
     * A lease on the engine for {@code key}, loading it with {@code loader} if no lease on the key
     * exists. Blocks until the engine is loaded.
     *
     * @throws EngineLoadException when the load failed (for this and every concurrent caller)
     * @throws InterruptedException when interrupted while waiting; no lease is then held
     */
    public EngineLease lease(EngineKey key, EngineLoader loader) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        while (true) {
            Entry entry = entries.computeIfAbsent(key, Entry::new);
            if (!entry.retain()) {
                // The key's last lease is closing that engine: wait, then start a fresh entry.
                awaitQuietly(entry.closed);
                entries.remove(key, entry);
                continue;
            }
            try {
                return new EngineLease(this, entry, entry.awaitEngine(loader, this));
            } catch (InterruptedException | RuntimeException e) {
                release(entry);
                throw e;
            }
        }
    }

    /** Leases currently held on {@code key}; 0 when its engine is closed or closing. */
    public int activeLeases(EngineKey key) {
        Entry entry = entries.get(key);
        return entry == null ? 0 : entry.references();
    }

    /** Called by {@link EngineLease#close()} exactly once per lease. */
    void release(Entry entry) {
        if (!entry.releaseLast()) {
            return;
        }
        try {
            CloseableInferenceService engine = entry.loadedOrNull();
            if (engine != null) {
                LOG.info("closing the engine for {}: its last lease was returned", entry.key());
                engine.close();
            }
        } catch (Exception e) {
            LOG.warn("closing the engine for {} failed", entry.key(), e);
        } finally {
            entries.remove(entry.key(), entry);
            entry.closed.complete(null);
        }
    }

    /** Forgets an entry whose load failed, so that the next lease loads again. */
    void forget(Entry entry) {
        entries.remove(entry.key(), entry);
    }

    private static void awaitQuietly(CompletableFuture<Void> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("an engine close future never fails", e);
        }
    }

    /** One key's engine, its reference count and its life cycle. */
    static final class Entry {

        /** The key this entry serves. */
        private final EngineKey key;
        /** The loaded engine, or the load failure. */
        private final CompletableFuture<CloseableInferenceService> engine =
                new CompletableFuture<>();
        /** Completed when the engine was closed after its last lease. */
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        /** Leases holding the engine; guarded by {@code this}. */
        private int references;
        /** Set once the reference count fell to zero: the entry takes no new leases. */
        private boolean retired;
        /** Set by the one caller that loads; guarded by {@code this}. */
        private boolean loading;

        Entry(EngineKey key) {
            this.key = key;
        }

        EngineKey key() {
            return key;
        }

        synchronized boolean retain() {
            if (retired) {
                return false;
            }
            references++;
            return true;
        }

        /** True when this released the last reference (the caller then closes the engine). */
        synchronized boolean releaseLast() {
            if (references <= 0) {
                throw new IllegalStateException("released more leases than taken on " + key);
            }
            references--;
            if (references == 0) {
                retired = true;
                return true;
            }
            return false;
        }

        synchronized int references() {
            return retired ? 0 : references;
        }

        CloseableInferenceService awaitEngine(EngineLoader loader, EnginePool pool)
                throws InterruptedException {
            boolean mustLoad;
            synchronized (this) {
                mustLoad = !loading;
                loading = true;
            }
            if (mustLoad) {
                load(loader, pool);
            }
            try {
                return engine.get();
            } catch (ExecutionException e) {
                throw new EngineLoadException(key, e.getCause());
            }
        }

        /** Runs the loader in the calling thread, outside every lock. */
        private void load(EngineLoader loader, EnginePool pool) {
            long start = System.nanoTime();
            try {
                CloseableInferenceService loaded =
                        Objects.requireNonNull(loader.load(key), "the loader returned null");
                LOG.info(
                        "loaded the engine for {} in {} ms",
                        key,
                        (System.nanoTime() - start) / 1_000_000);
                engine.complete(loaded);
            } catch (Throwable t) {
                pool.forget(this);
                // Every waiter, the loading caller included, gets it as an EngineLoadException.
                engine.completeExceptionally(t);
            }
        }

        /** The loaded engine, or null when the load failed or never finished. */
        CloseableInferenceService loadedOrNull() {
            return engine.isDone() && !engine.isCompletedExceptionally() ? engine.join() : null;
        }
    }
}
