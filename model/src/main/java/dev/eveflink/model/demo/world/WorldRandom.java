package dev.eveflink.model.demo.world;

/**
 * The world's own seeded PRNG: SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), written out here so
 * that a seed gives the same world on every JDK.
 *
 * <p>Not thread-safe; one instance per stream. Independent streams come from {@link #stream}.
 */
public final class WorldRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** The generator's whole state: a Weyl sequence. */
    private long state;

    public WorldRandom(long seed) {
        this.state = seed;
    }

    /**
     * A stream that depends only on (seed, index, streamId): used so that sample {@code index} and
     * each of its parts (layout, noise, encoding, questions) never depend on generation order.
     */
    public static WorldRandom stream(long seed, long index, long streamId) {
        long base = mix(seed + GOLDEN_GAMMA * mix(index + GOLDEN_GAMMA));
        return new WorldRandom(mix(base ^ mix(streamId * GOLDEN_GAMMA + 0x632BE59BD9B4E019L)));
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in {@code 0 .. bound-1}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        // Rejection on 63-bit draws: accept only below the largest multiple of bound.
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Uniform in {@code low .. high}, both inclusive. */
    public int nextInt(int low, int high) {
        if (high < low) {
            throw new IllegalArgumentException("empty range " + low + ".." + high);
        }
        return low + nextInt(high - low + 1);
    }

    /** True with probability numerator/denominator, exactly. */
    public boolean chance(int numerator, int denominator) {
        return nextInt(denominator) < numerator;
    }

    /** The SplitMix64 finalizer (a bijection on 64-bit values). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
