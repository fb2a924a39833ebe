package dev.eveflink.model.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test moves it. */
final class VirtualClock implements LongSupplier {
    private long now = 1_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        return now;
    }

    synchronized void advance(Duration d) {
        now += d.toNanos();
    }
}
