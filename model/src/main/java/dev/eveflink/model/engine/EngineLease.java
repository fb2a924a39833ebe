package dev.eveflink.model.engine;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One holder's claim on a shared engine from {@link EnginePool}. Closing it returns the claim; the
 * engine is closed when its last lease is closed. Closing a lease twice is harmless.
 */
public final class EngineLease implements AutoCloseable {

    /** The pool that counts this lease. */
    private final EnginePool pool;
    /** The pool's record of the shared engine. */
    private final EnginePool.Entry entry;
    /** The shared engine. */
    private final CloseableInferenceService service;
    /** Set by the first {@link #close()}; later calls do nothing. */
    private final AtomicBoolean closed = new AtomicBoolean();

    EngineLease(EnginePool pool, EnginePool.Entry entry, CloseableInferenceService service) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.entry = Objects.requireNonNull(entry, "entry");
        this.service = Objects.requireNonNull(service, "service");
    }

    /** The shared engine; only valid until this lease is closed. */
    public InferenceService service() {
        if (closed.get()) {
            throw new IllegalStateException("lease on " + entry.key() + " is closed");
        }
        return service;
    }

    /** The key the engine was loaded for. */
    public EngineKey key() {
        return entry.key();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Returns the claim. The last lease of a key closes the engine in the calling thread before
     * this method returns, so a task that closes its function has freed the device when it ends.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pool.release(entry);
        }
    }

    @Override
    public String toString() {
        return "EngineLease[" + entry.key() + (closed.get() ? ", closed]" : "]");
    }
}
